//! A survey's responses as CSV or JSON, for `soundings export responses`: one row per
//! response, one column per question. CSV cells that a spreadsheet would run as a formula
//! are neutralised; anonymous surveys name no one.
use crate::db::Db;
use crate::surveys::question::Question;
use serde_json::{json, Value};
use std::collections::HashMap;

/// One stored answer: (score, choices as stored, text).
type Answer = (Option<i64>, Option<String>, Option<String>);

/// One response with its answers, keyed by question id.
struct Row {
    response_id: String,
    submitted_at: i64,
    completed: bool,
    respondent: Option<String>,
    /// The language the answers were given in (identified surveys only).
    language: Option<String>,
    answers: HashMap<String, Answer>,
}

async fn rows(db: &Db, survey_id: &str) -> sqlx::Result<Vec<Row>> {
    type Head = (String, i64, i64, Option<String>, Option<String>);
    let heads: Vec<Head> = sqlx::query_as(
        "SELECT r.response_id, r.submitted_at, CAST(r.completed AS BIGINT), \
         CASE WHEN s.anonymity = 'anonymous' THEN NULL ELSE c.email END, r.language \
         FROM responses r JOIN surveys s ON s.survey_id = r.survey_id \
         LEFT JOIN invitations i ON i.invitation_id = r.invitation_id \
         LEFT JOIN contacts c ON c.contact_id = i.contact_id AND c.erased_at IS NULL \
         WHERE r.survey_id = $1 AND r.held = 0 ORDER BY r.submitted_at, r.response_id",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    type AnswerRow = (String, String, Option<i64>, Option<String>, Option<String>);
    let answers: Vec<AnswerRow> = sqlx::query_as(
        "SELECT a.response_id, a.question_id, CAST(a.score AS BIGINT), a.choices, a.text_value \
         FROM answers a JOIN responses r ON r.response_id = a.response_id \
         WHERE r.survey_id = $1 AND r.held = 0",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    let mut by_response: HashMap<String, HashMap<String, _>> = HashMap::new();
    for (response_id, question_id, score, choices, text) in answers {
        by_response
            .entry(response_id)
            .or_default()
            .insert(question_id, (score, choices, text));
    }
    Ok(heads
        .into_iter()
        .map(
            |(response_id, submitted_at, completed, respondent, language)| Row {
                answers: by_response.remove(&response_id).unwrap_or_default(),
                response_id,
                submitted_at,
                completed: completed != 0,
                respondent,
                language,
            },
        )
        .collect())
}

/// An answer as text: the score, the chosen options' wording (and "Other"), or the text.
fn cell(
    question: &Question,
    answer: Option<&(Option<i64>, Option<String>, Option<String>)>,
) -> String {
    let Some((score, choices, text)) = answer else {
        return String::new();
    };
    if let Some(score) = score {
        return score.to_string();
    }
    let mut parts: Vec<String> = choices
        .as_deref()
        .and_then(|c| serde_json::from_str::<Vec<usize>>(c).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| question.options.get(i).cloned())
        .collect();
    if let Some(text) = text.as_ref().filter(|t| !t.is_empty()) {
        parts.push(text.clone());
    }
    parts.join("; ")
}

/// A spreadsheet runs a cell starting with = + - @ (or a tab or return) as a formula;
/// a leading apostrophe makes it plain text.
pub fn neutralised(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// The CSV text: a header row, then one row per response.
pub async fn to_csv(db: &Db, survey_id: &str) -> anyhow::Result<Vec<u8>> {
    let questions = crate::surveys::db::fetch_questions(db, survey_id).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "response_id".to_string(),
        "submitted_on".into(),
        "completed".into(),
        "respondent".into(),
        "language".into(),
    ];
    header.extend(questions.iter().map(|q| neutralised(&q.prompt)));
    writer.write_record(&header)?;
    for row in rows(db, survey_id).await? {
        let mut record = vec![
            row.response_id.clone(),
            crate::ui::format_date(row.submitted_at),
            if row.completed { "yes" } else { "no" }.to_string(),
            neutralised(row.respondent.as_deref().unwrap_or_default()),
            row.language.clone().unwrap_or_default(),
        ];
        record.extend(
            questions
                .iter()
                .map(|q| neutralised(&cell(q, row.answers.get(&q.question_id)))),
        );
        writer.write_record(&record)?;
    }
    Ok(writer.into_inner()?)
}

/// The JSON text: an array of responses, each answer under its question's id.
pub async fn to_json(db: &Db, survey_id: &str) -> anyhow::Result<Vec<u8>> {
    let questions = crate::surveys::db::fetch_questions(db, survey_id).await?;
    let items: Vec<Value> = rows(db, survey_id)
        .await?
        .into_iter()
        .map(|row| {
            let answers: serde_json::Map<String, Value> = questions
                .iter()
                .filter_map(|q| {
                    let answer = row.answers.get(&q.question_id)?;
                    Some((q.question_id.clone(), json!({ "prompt": q.prompt, "score": answer.0, "answer": cell(q, Some(answer)) })))
                })
                .collect();
            json!({
                "response_id": row.response_id,
                "submitted_at": row.submitted_at,
                "completed": row.completed,
                "respondent": row.respondent,
                "language": row.language,
                "answers": answers,
            })
        })
        .collect();
    Ok(serde_json::to_vec_pretty(&items)?)
}

#[cfg(test)]
mod tests {
    use super::neutralised;

    #[test]
    fn formula_looking_cells_become_plain_text() {
        assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralised("+1"), "'+1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("-2"), "'-2");
        assert_eq!(neutralised("Fine"), "Fine");
        assert_eq!(neutralised(""), "");
    }
}
