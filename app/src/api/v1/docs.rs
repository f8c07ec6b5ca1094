//! `/api/v1/docs`: the OpenAPI document as a readable page, rendered on the server with
//! no script: each endpoint with its method, what it does, its body and its answers.
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::OpenApi;

use leptos::prelude::*;

fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("PATCH", &item.patch),
        ("DELETE", &item.delete),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    .collect()
}

fn schema_name(op: &Operation) -> Option<String> {
    let body = op.request_body.as_ref()?;
    let media = body.content.get("application/json")?;
    let schema = serde_json::to_value(media.schema.as_ref()?).ok()?;
    let reference = schema.get("$ref")?.as_str()?;
    Some(reference.rsplit('/').next()?.to_string())
}

/// The page's HTML.
pub fn render(api: &OpenApi) -> String {
    let rows: Vec<(String, String, String, String, String)> = api
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            operations(item).into_iter().map(move |(method, op)| {
                let what = op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default();
                let answers = op
                    .responses
                    .responses
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    method.to_string(),
                    format!("/api/v1{path}"),
                    what,
                    schema_name(op).unwrap_or_default(),
                    answers,
                )
            })
        })
        .collect();
    let intro = api.info.description.clone().unwrap_or_default();
    crate::server::html::team_document(
        "API reference".into(),
        ("/api-tokens".into(), "API tokens".into()),
        "API reference",
        view! {
            <p class="lead">{intro}</p>
            <p>"The machine-readable document: "<a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a>" (OpenAPI 3.1). Errors are JSON: "<code>"{\"code\", \"message\", \"details\": [{\"field\", \"message\"}]}"</code>"."</p>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th scope="col">"Method"</th><th scope="col">"Path"</th><th scope="col">"What it does"</th><th scope="col">"Body"</th><th scope="col">"Answers"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(method, path, what, body, answers)| view! {
                            <tr><td><code>{method}</code></td><td><code>{path}</code></td><td>{what}</td><td>{body}</td><td>{answers}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        },
    )
}
