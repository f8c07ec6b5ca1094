//! The built CSS, JS and WASM: pages link them under a path that names their content, and
//! those copies may be cached for a year; a version that is not the running build's is 404.
use crate::process::Process;
use reqwest::header::CACHE_CONTROL;
use reqwest::StatusCode;

const CSS: &str = "body { color: #123456 }";

/// The versioned prefix a page links its stylesheet under (`/assets/{version}`).
fn asset_root(page: &str) -> String {
    let end = page
        .find("/pkg/soundings.css")
        .expect("the page links the stylesheet");
    let start = page[..end].rfind("\"").expect("an href") + 1;
    page[start..end].to_string()
}

#[tokio::test]
async fn built_files_are_linked_by_their_content_and_cached_for_a_year() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("soundings.css"), CSS).unwrap();
    std::fs::write(pkg.join("soundings.js"), "export default function () {}").unwrap();
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/soundings.db", data.path().display());
    let server = Process::start(&url, "", site.path()).await;
    let get = |path: String| reqwest::get(format!("{}{path}", server.address));

    let team_page = get("/setup".into()).await.unwrap().text().await.unwrap();
    let root = asset_root(&team_page);
    assert!(
        root.starts_with("/assets/") && root.len() == "/assets/".len() + 16,
        "{root}"
    );
    assert!(
        team_page.contains(&format!("{root}/pkg/soundings.js"))
            && team_page.contains(&format!("{root}/pkg/soundings.wasm")),
        "the bundle is linked under the same version"
    );
    assert!(
        !team_page.contains("rel=\"modulepreload\"") && !team_page.contains("rel=\"preload\""),
        "no hint starts the bundle's download before the page's first paint"
    );
    let plain_page = get("/s/not-a-real-link-at-all".into())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        asset_root(&plain_page),
        root,
        "the respondent pages link the same copy"
    );

    let versioned = get(format!("{root}/pkg/soundings.css")).await.unwrap();
    assert_eq!(versioned.status(), StatusCode::OK);
    assert_eq!(
        versioned.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(versioned.text().await.unwrap(), CSS);
    let other = get("/assets/0123456789abcdef/pkg/soundings.css".into())
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::NOT_FOUND,
        "another build's version"
    );
    let plain = get("/pkg/soundings.css".into()).await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()[CACHE_CONTROL], "no-cache");
}
