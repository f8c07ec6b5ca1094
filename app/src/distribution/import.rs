//! Contact import from a CSV file: reads the upload and plans, row by row, what applying it
//! would create, update or leave alone, so a person can preview every problem first.
//!
//! The plan is all or nothing: it can be applied only when the file has no errors and no
//! row is rejected. Half an import is harder to reason about than none, so the preview
//! lists every problem, the person fixes the file and uploads it again.
//!
//! The file is the truth for the columns it has: an empty `role` or `tags` cell clears
//! that field. A column the file lacks (`role` and `tags` are optional) leaves the field
//! of an existing contact as it is.
//!
//! Values that a spreadsheet would run as a formula (a leading `=`, `+`, `-` or `@`) are
//! refused rather than stored, so a later export can't carry them to someone's Excel.
use crate::email::EmailAddress;
use csv::StringRecord;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

/// The most data rows one file may hold; larger lists are split into several uploads.
pub const MAX_IMPORT_ROWS: usize = 10_000;
const MAX_NAME_CHARS: usize = 120;
const MAX_ROLE_CHARS: usize = 80;
const MAX_TAG_CHARS: usize = 40;
const MAX_TAGS: usize = 20;
const SHOWN_CHARS: usize = 60;
// A valid address is never longer, so the preview only ever cuts junk.
const SHOWN_EMAIL_CHARS: usize = 254;
// Spelling suggestions compare a name against every community; this caps the work a
// hostile file full of distinct unknown names can cause.
const SPELLING_COMPARISONS: usize = 5_000;

/// What already exists, as the import compares against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    /// Community names as stored, looked up case-insensitively (trimmed, lower-cased key).
    pub communities: Vec<String>,
    /// Contacts, looked up by lower-cased email.
    pub contacts: Vec<ExistingContact>,
}

/// A contact as stored: its current name, community (if any), role and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExistingContact {
    /// The stored address; compared lower-cased.
    pub email: String,
    /// The contact's name.
    pub name: String,
    /// The stored spelling of the contact's community, if it has one.
    pub community: Option<String>,
    /// The contact's role; empty when none.
    pub role: String,
    /// The contact's tags, compared as a lower-cased set.
    pub tags: Vec<String>,
}

/// What importing a file would do, to preview and then apply in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// One entry per non-blank data row, in file order.
    pub rows: Vec<PlannedRow>,
    /// Problems with the file as a whole; when any is present, `rows` is empty.
    pub file_errors: Vec<String>,
    /// Things worth knowing that don't stop the import, such as ignored columns.
    pub warnings: Vec<String>,
}

/// What would happen to one row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    /// The 1-based line where the row starts in the file; the header is line 1.
    pub line: usize,
    /// The email cell as written (trimmed), for display.
    pub email: String,
    /// What applying the plan would do with this row.
    pub outcome: Outcome,
}

/// The fate of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new contact would be created.
    Create(ContactInput),
    /// An existing contact would be changed in the listed fields:
    /// `"name"`, `"community"`, `"role"` and/or `"tags"`.
    Update {
        /// The contact as it would be after the import.
        contact: ContactInput,
        /// The fields that differ from what is stored, in that order.
        changes: Vec<&'static str>,
    },
    /// The contact exists and the row matches it exactly.
    Unchanged,
    /// The row can't be imported; the sentences say what to fix.
    Rejected(String),
}

/// A contact as the import would store it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    /// The contact's address.
    pub email: EmailAddress,
    /// The contact's name, trimmed.
    pub name: String,
    /// The existing community's stored spelling.
    pub community: String,
    /// The contact's role; empty when none.
    pub role: String,
    /// Lower-cased, de-duplicated and sorted.
    pub tags: Vec<String>,
}

impl ImportPlan {
    /// How many rows would be (created, updated, unchanged, rejected).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut counts = (0, 0, 0, 0);
        for row in &self.rows {
            match row.outcome {
                Outcome::Create(_) => counts.0 += 1,
                Outcome::Update { .. } => counts.1 += 1,
                Outcome::Unchanged => counts.2 += 1,
                Outcome::Rejected(_) => counts.3 += 1,
            }
        }
        counts
    }

    /// Whether the plan may be applied: no file errors, at least one row, no rejected row.
    pub fn can_apply(&self) -> bool {
        self.file_errors.is_empty()
            && !self.rows.is_empty()
            && !self
                .rows
                .iter()
                .any(|row| matches!(row.outcome, Outcome::Rejected(_)))
    }

    fn refused(error: String, warnings: Vec<String>) -> Self {
        Self {
            rows: Vec::new(),
            file_errors: vec![error],
            warnings,
        }
    }
}

/// Reads an uploaded CSV file and plans the import against what already exists.
pub fn plan_import(bytes: &[u8], existing: &Existing) -> ImportPlan {
    let text = match decode(bytes) {
        Ok(text) if !text.trim().is_empty() => text,
        Ok(_) => return ImportPlan::refused(no_contacts(), Vec::new()),
        Err(error) => return ImportPlan::refused(error, Vec::new()),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(_) => return ImportPlan::refused(unreadable(1), Vec::new()),
    };
    let (columns, warnings) = match Columns::from_header(&header) {
        Ok(found) => found,
        Err(error) => return ImportPlan::refused(error, Vec::new()),
    };
    let mut planner = Planner::new(existing, columns);
    match plan_rows(&mut reader, &mut planner, text) {
        Ok(rows) => ImportPlan {
            rows,
            file_errors: Vec::new(),
            warnings,
        },
        Err(error) => ImportPlan::refused(error, warnings),
    }
}

fn plan_rows(
    reader: &mut csv::Reader<&[u8]>,
    planner: &mut Planner,
    text: &str,
) -> Result<Vec<PlannedRow>, String> {
    let mut lines = LineCounter::new(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| unreadable(lines.line))?;
        let start = record
            .position()
            .map_or(lines.offset, |at| at.byte() as usize);
        let line = lines.line_of_record(start);
        rows.extend(planner.plan_row(line, &record));
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(format!(
                "The file has more than {} contacts; split it into files of at most {} rows.",
                thousands(MAX_IMPORT_ROWS),
                thousands(MAX_IMPORT_ROWS)
            ));
        }
    }
    if rows.is_empty() {
        return Err(no_contacts());
    }
    Ok(rows)
}

fn no_contacts() -> String {
    "The file has no contacts.".into()
}

// Text already checked as UTF-8, read from memory with ragged rows allowed, leaves the
// reader nothing to fail on; this message is a guard, not an expected path.
fn unreadable(line: usize) -> String {
    format!("Line {line} could not be read as CSV; check its quotes.")
}

/// Strips a UTF-8 byte order mark and refuses anything that isn't UTF-8 text.
fn decode(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        // NUL bytes mean UTF-16 (Excel's "Unicode Text") or a binary file, not CSV.
        Ok(text) => match text.find('\0') {
            None => Ok(text),
            Some(at) => Err(not_utf8(line_at(bytes, at))),
        },
        Err(error) => Err(not_utf8(line_at(bytes, error.valid_up_to()))),
    }
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    line_breaks(&bytes[..offset]) + 1
}

/// Counts LF, CRLF and a lone CR (old Mac Excel's "CSV (Macintosh)") as line breaks, as
/// the CSV reader does.
fn line_breaks(bytes: &[u8]) -> usize {
    let lone_cr = |at: usize| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n');
    (0..bytes.len())
        .filter(|&at| bytes[at] == b'\n' || lone_cr(at))
        .count()
}

/// Turns the byte offsets of records, which only move forward, into line numbers.
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t [u8]) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn line_of_record(&mut self, start: usize) -> usize {
        // The reader reports where it began reading, before any blank lines it skipped.
        let start = start.clamp(self.offset, self.text.len());
        let blank = self.text[start..]
            .iter()
            .take_while(|&&byte| byte == b'\r' || byte == b'\n')
            .count();
        let start = start + blank;
        self.line += line_breaks(&self.text[self.offset..start]);
        self.offset = start;
        self.line
    }
}

fn not_utf8(line: usize) -> String {
    format!(
        "The file isn't UTF-8 text (the first problem is on line {line}). Save it as CSV \
         UTF-8: in Excel, choose Save As and the “CSV UTF-8 (Comma delimited)” format."
    )
}

/// European spreadsheets write `;` between fields; the header tells which one is used.
fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .split(['\r', '\n'])
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Where each recognised column sits in a row.
struct Columns {
    email: usize,
    name: usize,
    community: usize,
    role: Option<usize>,
    tags: Option<usize>,
    count: usize,
}

const REQUIRED_COLUMNS: [&str; 3] = ["email", "name", "community"];
const OPTIONAL_COLUMNS: [&str; 2] = ["role", "tags"];

impl Columns {
    /// Finds the columns by name, returning warnings about the ones it ignores.
    fn from_header(header: &StringRecord) -> Result<(Self, Vec<String>), String> {
        let mut found: HashMap<&str, usize> = HashMap::new();
        let mut warnings = Vec::new();
        for (index, raw) in header.iter().enumerate() {
            let name = raw.trim().to_lowercase();
            let known = REQUIRED_COLUMNS.iter().chain(&OPTIONAL_COLUMNS);
            let Some(column) = known.copied().find(|column| *column == name) else {
                warnings.push(ignored_column(index, raw));
                continue;
            };
            if found.insert(column, index).is_some() {
                return Err(format!(
                    "The column “{column}” appears twice in the header; keep one."
                ));
            }
        }
        let missing: Vec<&str> = REQUIRED_COLUMNS
            .into_iter()
            .filter(|column| !found.contains_key(column))
            .collect();
        if !missing.is_empty() {
            return Err(missing_columns(&missing, header));
        }
        let columns = Self {
            email: found["email"],
            name: found["name"],
            community: found["community"],
            role: found.get("role").copied(),
            tags: found.get("tags").copied(),
            count: header.len(),
        };
        Ok((columns, warnings))
    }
}

fn ignored_column(index: usize, raw: &str) -> String {
    if raw.trim().is_empty() {
        format!("Column {} has no heading and will be ignored.", index + 1)
    } else {
        format!(
            "The column {} is not recognised and will be ignored.",
            quoted(raw.trim())
        )
    }
}

fn missing_columns(missing: &[&str], header: &StringRecord) -> String {
    let missing: Vec<String> = missing.iter().map(|column| quoted(column)).collect();
    let present: Vec<String> = header
        .iter()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(quoted)
        .collect();
    let present = if present.is_empty() {
        "The first line has no column names.".to_string()
    } else {
        format!("The columns found are {}.", list(&present))
    };
    format!(
        "The first line must name the columns email, name and community; {} {} missing. {present}",
        list(&missing),
        if missing.len() == 1 { "is" } else { "are" },
    )
}

/// Joins quoted names as “a”, “b” and “c”, naming at most ten.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut shown: Vec<String> = items.iter().take(SHOWN).cloned().collect();
    if items.len() > SHOWN {
        shown.push(format!("{} more", items.len() - SHOWN));
    }
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Plans rows one at a time, remembering each address's first line to spot repeats.
struct Planner<'a> {
    columns: Columns,
    communities: Communities<'a>,
    contacts: HashMap<String, &'a ExistingContact>,
    first_lines: HashMap<EmailAddress, usize>,
}

/// A row whose every cell is acceptable, before it is compared with what exists.
struct Draft<'a> {
    email: EmailAddress,
    name: String,
    community: &'a str,
    role: Option<String>,
    tags: Option<Vec<String>>,
}

impl<'a> Planner<'a> {
    fn new(existing: &'a Existing, columns: Columns) -> Self {
        let contacts = existing
            .contacts
            .iter()
            .map(|contact| (contact.email.trim().to_lowercase(), contact))
            .collect();
        Self {
            columns,
            communities: Communities::new(&existing.communities),
            contacts,
            first_lines: HashMap::new(),
        }
    }

    /// Plans one record, or nothing for a row that is entirely blank (spreadsheets
    /// often export trailing `,,,` rows).
    fn plan_row(&mut self, line: usize, record: &StringRecord) -> Option<PlannedRow> {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            return None;
        }
        let email = shorten(cell(record, self.columns.email).trim(), SHOWN_EMAIL_CHARS);
        let outcome = if record.len() != self.columns.count {
            Outcome::Rejected(format!(
                "This line has {}; the header has {}.",
                fields(record.len()),
                self.columns.count
            ))
        } else {
            match self.read_row(line, record) {
                Ok(draft) => self.compare(draft),
                Err(problems) => Outcome::Rejected(problems.join(" ")),
            }
        };
        Some(PlannedRow {
            line,
            email,
            outcome,
        })
    }

    /// Checks every cell, so one preview shows all of a row's problems.
    fn read_row(&mut self, line: usize, record: &StringRecord) -> Result<Draft<'a>, Vec<String>> {
        let columns = &self.columns;
        let optional = |index: Option<usize>| index.map(|index| cell(record, index));
        let (role, tags) = (optional(columns.role), optional(columns.tags));
        let (email, name) = (cell(record, columns.email), cell(record, columns.name));
        let community = cell(record, columns.community);
        let mut problems = Vec::new();
        let email = keep(self.read_email(line, email), &mut problems);
        let name = keep(read_name(name), &mut problems);
        let community = keep(self.read_community(community), &mut problems);
        let role = keep(role.map(read_role).transpose(), &mut problems);
        let tags = keep(tags.map(read_tags).transpose(), &mut problems);
        match (email, name, community, role, tags) {
            (Some(email), Some(name), Some(community), Some(role), Some(tags)) => Ok(Draft {
                email,
                name,
                community,
                role,
                tags,
            }),
            _ => Err(problems),
        }
    }

    fn read_email(&mut self, line: usize, raw: &str) -> Result<EmailAddress, String> {
        let email = EmailAddress::parse(clean("email address", raw)?)?;
        match self.first_lines.entry(email.clone()) {
            Entry::Occupied(first) => Err(format!(
                "This address is already on line {}; each contact may appear once.",
                first.get()
            )),
            Entry::Vacant(slot) => {
                slot.insert(line);
                Ok(email)
            }
        }
    }

    fn read_community(&mut self, raw: &str) -> Result<&'a str, String> {
        let name = clean("community", raw)?;
        if name.is_empty() {
            return Err("The community is empty; every contact needs one.".into());
        }
        self.communities.find(name)
    }

    fn compare(&self, draft: Draft) -> Outcome {
        let Some(existing) = self.contacts.get(draft.email.as_str()).copied() else {
            return Outcome::Create(draft.into_input(None));
        };
        let contact = draft.into_input(Some(existing));
        let changes = changes(existing, &contact);
        if changes.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Update { contact, changes }
        }
    }
}

impl Draft<'_> {
    /// Fills the fields whose column the file lacks from the existing contact.
    fn into_input(self, existing: Option<&ExistingContact>) -> ContactInput {
        let role = self.role.unwrap_or_else(|| {
            existing
                .map(|contact| contact.role.clone())
                .unwrap_or_default()
        });
        let tags = self.tags.unwrap_or_else(|| {
            existing
                .map(|contact| tag_set(&contact.tags))
                .unwrap_or_default()
        });
        ContactInput {
            email: self.email,
            name: self.name,
            community: self.community.to_string(),
            role,
            tags,
        }
    }
}

fn changes(existing: &ExistingContact, contact: &ContactInput) -> Vec<&'static str> {
    let same_community = existing.community.as_deref().map(key) == Some(key(&contact.community));
    [
        ("name", existing.name == contact.name),
        ("community", same_community),
        ("role", existing.role == contact.role),
        ("tags", tag_set(&existing.tags) == contact.tags),
    ]
    .into_iter()
    .filter_map(|(field, same)| (!same).then_some(field))
    .collect()
}

fn tag_set(tags: &[String]) -> Vec<String> {
    let set: BTreeSet<String> = tags
        .iter()
        .map(|tag| tag.trim().to_lowercase())
        .filter(|tag| !tag.is_empty())
        .collect();
    set.into_iter().collect()
}

fn keep<T>(result: Result<T, String>, problems: &mut Vec<String>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

fn cell(record: &StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or("")
}

fn fields(count: usize) -> String {
    match count {
        1 => "1 field".into(),
        _ => format!("{count} fields"),
    }
}

/// Refuses control characters and formula-looking values; returns the trimmed value.
fn clean<'v>(label: &str, raw: &'v str) -> Result<&'v str, String> {
    // A line break in a name could inject an email header; a leading tab or CR is a
    // known way to slip a formula past spreadsheet checks. Neither belongs in a cell.
    if raw.chars().any(char::is_control) {
        return Err(format!(
            "The {label} contains a line break, tab or other control character; remove it."
        ));
    }
    let value = raw.trim();
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(lead @ ('=' | '+' | '-' | '@')), Some(_)) => Err(format!(
            "The {label} {} looks like a spreadsheet formula; remove the leading {lead}.",
            quoted(value)
        )),
        _ => Ok(value),
    }
}

fn read_name(raw: &str) -> Result<String, String> {
    let name = clean("name", raw)?;
    if name.is_empty() {
        return Err("The name is empty; every contact needs one.".into());
    }
    within("name", name, MAX_NAME_CHARS)?;
    Ok(name.to_string())
}

fn read_role(raw: &str) -> Result<String, String> {
    let role = clean("role", raw)?;
    within("role", role, MAX_ROLE_CHARS)?;
    Ok(role.to_string())
}

/// Splits on `;` or `|` (`|` is the one to use in a `;`-separated file).
fn read_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags = BTreeSet::new();
    for tag in raw.split([';', '|']) {
        let tag = clean("tag", tag)?.to_lowercase();
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(format!(
                "The tag {} is {} characters long; the limit is {MAX_TAG_CHARS}.",
                quoted(&tag),
                tag.chars().count()
            ));
        }
        if !tag.is_empty() {
            tags.insert(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!(
            "This line has {} tags; the limit is {MAX_TAGS}.",
            tags.len()
        ));
    }
    Ok(tags.into_iter().collect())
}

fn within(label: &str, value: &str, limit: usize) -> Result<(), String> {
    let length = value.chars().count();
    if length > limit {
        return Err(format!(
            "The {label} is {length} characters long; the limit is {limit}."
        ));
    }
    Ok(())
}

/// Existing communities, found by a trimmed, lower-cased key.
struct Communities<'a> {
    by_key: HashMap<String, &'a str>,
    by_letters: HashMap<String, &'a str>,
    spellings: Vec<(Vec<char>, &'a str)>,
    suggested: HashMap<String, Option<&'a str>>,
    comparisons_left: usize,
}

impl<'a> Communities<'a> {
    fn new(names: &'a [String]) -> Self {
        let stored = || names.iter().map(String::as_str);
        Self {
            by_key: stored().map(|name| (key(name), name)).collect(),
            by_letters: stored().map(|name| (letters(name), name)).collect(),
            spellings: stored()
                .map(|name| (key(name).chars().collect(), name))
                .collect(),
            suggested: HashMap::new(),
            comparisons_left: SPELLING_COMPARISONS,
        }
    }

    /// The stored spelling of the community, or a sentence saying it doesn't exist.
    fn find(&mut self, name: &str) -> Result<&'a str, String> {
        if let Some(stored) = self.by_key.get(&key(name)) {
            return Ok(*stored);
        }
        let hint = match self.suggest(name) {
            Some(close) => format!(" The closest is {}.", quoted(close)),
            None => String::new(),
        };
        Err(format!(
            "Unknown community {}. Add it first, or fix the spelling.{hint}",
            quoted(name)
        ))
    }

    /// A community differing only in spacing, punctuation or a letter or two.
    fn suggest(&mut self, name: &str) -> Option<&'a str> {
        let wanted = key(name);
        if let Some(known) = self.suggested.get(&wanted) {
            return *known;
        }
        let squashed = letters(name);
        let found = match self.by_letters.get(&squashed) {
            Some(stored) if !squashed.is_empty() => Some(*stored),
            _ => self.closest(&wanted),
        };
        self.suggested.insert(wanted, found);
        found
    }

    fn closest(&mut self, wanted: &str) -> Option<&'a str> {
        let wanted: Vec<char> = wanted.chars().collect();
        if wanted.len() > SHOWN_CHARS || self.comparisons_left < self.spellings.len() {
            return None;
        }
        self.comparisons_left -= self.spellings.len();
        // Two edits turn any short word into any other, so short names get one.
        let allowed = if wanted.len() <= 5 { 1 } else { 2 };
        self.spellings
            .iter()
            .filter(|(spelling, _)| spelling.len().abs_diff(wanted.len()) <= allowed)
            .map(|(spelling, stored)| (edit_distance(&wanted, spelling), *stored))
            .filter(|(distance, _)| *distance <= allowed)
            .min()
            .map(|(_, stored)| stored)
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn letters(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance: insertions, deletions and substitutions.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != b_char);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Quotes a value for a message; control characters become spaces so a message stays
/// on one line even when it quotes a header cell.
fn quoted(value: &str) -> String {
    let visible: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("“{}”", shorten(&visible, SHOWN_CHARS))
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        text.chars().take(limit - 3).chain("...".chars()).collect()
    }
}

fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const HEADER: &str = "email,name,community,role,tags\n";

    fn existing() -> Existing {
        Existing {
            communities: vec!["North Side".into(), "Riverside".into(), "Old Town".into()],
            contacts: vec![
                ExistingContact {
                    email: "Grace@Example.org".into(),
                    name: "Grace Hopper".into(),
                    community: Some("Riverside".into()),
                    role: "Admiral".into(),
                    tags: vec!["Navy".into(), "cobol".into()],
                },
                ExistingContact {
                    email: "alan@example.org".into(),
                    name: "Alan Turing".into(),
                    community: Some("Old Town".into()),
                    role: String::new(),
                    tags: Vec::new(),
                },
            ],
        }
    }

    fn plan(text: &str) -> ImportPlan {
        plan_import(text.as_bytes(), &existing())
    }

    fn with_header(rows: &str) -> ImportPlan {
        plan(&format!("{HEADER}{rows}"))
    }

    fn outcome_at(plan: &ImportPlan, line: usize) -> &Outcome {
        let row = plan.rows.iter().find(|row| row.line == line);
        &row.unwrap_or_else(|| panic!("no row on line {line}: {plan:?}"))
            .outcome
    }

    fn rejection_at(plan: &ImportPlan, line: usize) -> &str {
        match outcome_at(plan, line) {
            Outcome::Rejected(reason) => reason,
            other => panic!("line {line} was not rejected: {other:?}"),
        }
    }

    fn created_at(plan: &ImportPlan, line: usize) -> &ContactInput {
        match outcome_at(plan, line) {
            Outcome::Create(contact) => contact,
            other => panic!("line {line} was not created: {other:?}"),
        }
    }

    fn lines(plan: &ImportPlan) -> Vec<usize> {
        plan.rows.iter().map(|row| row.line).collect()
    }

    fn file_error(plan: &ImportPlan) -> &str {
        assert!(plan.rows.is_empty(), "rows planned despite a file error");
        assert!(!plan.can_apply());
        plan.file_errors.first().expect("a file error")
    }

    #[test]
    fn a_valid_file_plans_creates_updates_and_unchanged_rows() {
        let plan = with_header(
            "ada@example.org, Ada Lovelace ,north side,Analyst,poetry;Math\n\
             GRACE@example.org,Grace Hopper,RIVERSIDE,Admiral,cobol|navy\n\
             alan@example.org,Alan Turing,Riverside,,\n",
        );
        assert_eq!(plan.file_errors, Vec::<String>::new());
        assert_eq!(plan.warnings, Vec::<String>::new());
        let ada = created_at(&plan, 2);
        assert_eq!(ada.email.as_str(), "ada@example.org");
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.community, "North Side");
        assert_eq!(ada.role, "Analyst");
        assert_eq!(ada.tags, ["math", "poetry"]);
        assert_eq!(outcome_at(&plan, 3), &Outcome::Unchanged);
        let Outcome::Update { contact, changes } = outcome_at(&plan, 4) else {
            panic!("line 4 is not an update: {plan:?}");
        };
        assert_eq!(contact.community, "Riverside");
        assert_eq!(changes, &["community"]);
        assert_eq!(plan.rows[1].email, "GRACE@example.org");
        assert_eq!(plan.counts(), (1, 1, 1, 0));
        assert!(plan.can_apply());
    }

    #[test]
    fn an_update_names_every_field_that_changes() {
        let plan = with_header("grace@example.org,Grace B. Hopper,Old Town,Rear Admiral,navy\n");
        let Outcome::Update { changes, .. } = outcome_at(&plan, 2) else {
            panic!("not an update: {plan:?}");
        };
        assert_eq!(changes, &["name", "community", "role", "tags"]);
    }

    #[test]
    fn a_contact_without_a_community_gets_one_as_a_change() {
        let mut existing = existing();
        existing.contacts[1].community = None;
        let file = "email,name,community\nalan@example.org,Alan Turing,Old Town\n";
        let plan = plan_import(file.as_bytes(), &existing);
        let Outcome::Update { changes, .. } = outcome_at(&plan, 2) else {
            panic!("not an update: {plan:?}");
        };
        assert_eq!(changes, &["community"]);
    }

    #[test]
    fn a_semicolon_separated_file_is_read() {
        let plan =
            plan("email;name;community;tags\nada@example.org;Lovelace, Ada;North Side;a|b\n");
        let ada = created_at(&plan, 2);
        assert_eq!(ada.name, "Lovelace, Ada");
        assert_eq!(ada.tags, ["a", "b"]);
    }

    #[test]
    fn a_byte_order_mark_before_the_header_is_ignored() {
        let plan = plan("\u{FEFF}email,name,community\nada@example.org,Ada,North Side\n");
        assert_eq!(plan.warnings, Vec::<String>::new());
        assert_eq!(created_at(&plan, 2).name, "Ada");
    }

    #[test]
    fn header_names_are_matched_ignoring_case_and_surrounding_spaces() {
        let plan = plan(" Email , NAME,Community ,  Role\nada@example.org,Ada,North Side,Chair\n");
        assert_eq!(plan.warnings, Vec::<String>::new());
        assert_eq!(created_at(&plan, 2).role, "Chair");
    }

    #[test]
    fn missing_required_columns_are_named_with_the_columns_found() {
        let plan = plan("e-mail,Name,group\nada@example.org,Ada,North Side\n");
        assert_eq!(
            file_error(&plan),
            "The first line must name the columns email, name and community; “email” and \
             “community” are missing. The columns found are “e-mail”, “Name” and “group”."
        );
    }

    #[test]
    fn a_file_without_a_header_is_told_to_add_one() {
        let plan = plan("ada@example.org,Ada,North Side\n");
        assert!(file_error(&plan).contains("“email”, “name” and “community” are missing"));
    }

    #[test]
    fn an_unknown_column_is_ignored_with_a_warning() {
        let plan = plan("email,name,community,phone,\nada@example.org,Ada,North Side,+33 6,\n");
        assert_eq!(
            plan.warnings,
            [
                "The column “phone” is not recognised and will be ignored.",
                "Column 5 has no heading and will be ignored."
            ]
        );
        assert!(plan.can_apply());
    }

    #[test]
    fn a_column_named_twice_is_a_file_error() {
        let plan = plan("email,name,community,Email\nada@example.org,Ada,North Side,x@y.org\n");
        assert_eq!(
            file_error(&plan),
            "The column “email” appears twice in the header; keep one."
        );
    }

    #[test]
    fn a_latin_1_file_is_refused_with_advice_to_save_it_as_csv_utf_8() {
        let mut bytes = b"email,name,community\nzoe@example.org,Zo".to_vec();
        bytes.extend([0xEB]);
        bytes.extend(b",North Side\n");
        let plan = plan_import(&bytes, &existing());
        assert_eq!(
            file_error(&plan),
            "The file isn't UTF-8 text (the first problem is on line 2). Save it as CSV \
             UTF-8: in Excel, choose Save As and the “CSV UTF-8 (Comma delimited)” format."
        );
    }

    #[test]
    fn a_utf_16_file_is_refused_as_not_utf_8() {
        let utf16: Vec<u8> = "email,name,community\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let with_mark = [[0xFF, 0xFE].as_slice(), &utf16].concat();
        for bytes in [utf16, with_mark] {
            let plan = plan_import(&bytes, &existing());
            assert!(file_error(&plan).starts_with("The file isn't UTF-8 text"));
        }
    }

    #[test]
    fn an_empty_file_or_a_header_alone_has_no_contacts() {
        for text in [
            "",
            " \r\n\n",
            "\u{FEFF}",
            HEADER,
            "email,name,community\n,,\n , , \n",
        ] {
            assert_eq!(
                file_error(&plan(text)),
                "The file has no contacts.",
                "{text:?}"
            );
        }
    }

    #[test]
    fn blank_rows_are_skipped_but_still_counted_as_lines() {
        let plan = with_header(
            "\nada@example.org,Ada,North Side,,\n,,,,\nzoe@example.org,Zoë,Riverside,,\n",
        );
        assert_eq!(lines(&plan), [3, 5]);
    }

    #[test]
    fn windows_and_old_mac_line_endings_give_the_lines_an_editor_shows() {
        for (text, expected) in [
            (
                "email,name,community\r\n\r\na@example.org,A,Old Town\r\n",
                vec![3],
            ),
            (
                "email,name,community\ra@example.org,A,Old Town\r\rb@example.org,B,Old Town\r",
                vec![2, 4],
            ),
            (
                "email;name;community\ra@example.org;Turing, A;Old Town\r",
                vec![2],
            ),
        ] {
            assert_eq!(lines(&plan(text)), expected, "{text:?}");
        }
    }

    #[test]
    fn a_row_with_the_wrong_number_of_fields_is_rejected_with_both_counts() {
        let plan = plan(
            "email,name,community\n\
             ada@example.org,Ada\n\
             zoe@example.org,Zoë,Riverside,extra\n\
             bob@example.org\n",
        );
        assert_eq!(
            rejection_at(&plan, 2),
            "This line has 2 fields; the header has 3."
        );
        assert_eq!(
            rejection_at(&plan, 3),
            "This line has 4 fields; the header has 3."
        );
        assert_eq!(
            rejection_at(&plan, 4),
            "This line has 1 field; the header has 3."
        );
        assert_eq!(plan.rows[0].email, "ada@example.org");
    }

    #[test]
    fn a_repeated_address_is_rejected_naming_the_line_where_it_first_appears() {
        let plan = with_header(
            "ada@example.org,Ada,North Side,,\n\
             zoe@example.org,Zoë,Riverside,,\n\
             ADA@Example.org ,Ada L.,North Side,,\n\
             ada@example.org,Ada,North Side,,\n",
        );
        created_at(&plan, 2);
        let repeated = "This address is already on line 2; each contact may appear once.";
        assert_eq!(rejection_at(&plan, 4), repeated);
        assert_eq!(rejection_at(&plan, 5), repeated);
        assert_eq!(plan.counts(), (2, 0, 0, 2));
        assert!(!plan.can_apply());
    }

    #[test]
    fn a_row_with_a_bad_address_is_rejected_with_its_line_number() {
        let plan =
            with_header("ada@example.org,Ada,North Side,,\nnot-an-address,Bob,Riverside,,\n");
        assert_eq!(rejection_at(&plan, 3), "“not-an-address” is missing an @.");
        assert_eq!(plan.rows[1].email, "not-an-address");
    }

    #[test]
    fn an_unknown_community_is_rejected_with_advice() {
        let plan = with_header("ada@example.org,Ada,Atlantis,,\n");
        assert_eq!(
            rejection_at(&plan, 2),
            "Unknown community “Atlantis”. Add it first, or fix the spelling."
        );
    }

    #[test]
    fn a_community_differing_in_spacing_punctuation_or_a_letter_is_suggested() {
        for (typed, meant) in [
            ("NorthSide", "North Side"),
            ("north  side", "North Side"),
            ("Old-Town", "Old Town"),
            ("Rivrside", "Riverside"),
            ("Olde Towne", "Old Town"),
        ] {
            let plan = with_header(&format!("ada@example.org,Ada,{typed},,\n"));
            assert_eq!(
                rejection_at(&plan, 2),
                format!(
                    "Unknown community “{typed}”. Add it first, or fix the spelling. \
                     The closest is “{meant}”."
                )
            );
        }
    }

    #[test]
    fn a_short_unknown_community_is_not_matched_to_any_short_name() {
        let mut existing = existing();
        existing.communities.push("East".into());
        let file = "email,name,community\nada@example.org,Ada,West\n";
        let plan = plan_import(file.as_bytes(), &existing);
        assert!(!rejection_at(&plan, 2).contains("closest"));
    }

    #[test]
    fn formula_looking_values_are_rejected() {
        for (row, message) in [
            (
                "a@example.org,=1+1,North Side,,",
                "The name “=1+1” looks like a spreadsheet formula; remove the leading =.",
            ),
            (
                "a@example.org,@SUM(A1),North Side,,",
                "The name “@SUM(A1)” looks like a spreadsheet formula; remove the leading @.",
            ),
            (
                "a@example.org,Ada,North Side,+33 6,",
                "The role “+33 6” looks like a spreadsheet formula; remove the leading +.",
            ),
            (
                "a@example.org,Ada,North Side,-2,",
                "The role “-2” looks like a spreadsheet formula; remove the leading -.",
            ),
            (
                "a@example.org,Ada,North Side,,ok; -2",
                "The tag “-2” looks like a spreadsheet formula; remove the leading -.",
            ),
            (
                "a@example.org,Ada,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,",
                "The community “=HYPERLINK(\"http://evil.example\",\"x\")” looks like a \
                 spreadsheet formula; remove the leading =.",
            ),
            (
                "-a@example.org,Ada,North Side,,",
                "The email address “-a@example.org” looks like a spreadsheet formula; remove \
                 the leading -.",
            ),
            (
                "a@example.org,  =1+1,North Side,,",
                "The name “=1+1” looks like a spreadsheet formula; remove the leading =.",
            ),
        ] {
            assert_eq!(rejection_at(&with_header(&format!("{row}\n")), 2), message);
        }
    }

    #[test]
    fn a_lone_sign_or_one_inside_a_value_is_not_a_formula() {
        let plan = with_header("a@example.org,Jean-Luc = Picard,North Side,-,+|@\n");
        let contact = created_at(&plan, 2);
        assert_eq!(contact.role, "-");
        assert_eq!(contact.tags, ["+", "@"]);
    }

    #[test]
    fn a_line_break_inside_a_quoted_name_is_rejected() {
        let plan = plan(
            "email,name,community\n\
             ada@example.org,\"Ada\r\nLovelace\",North Side\n\
             grace@example.org,\"Grace\rHopper\",Riverside\n\
             alan@example.org,Alan Turing,Old Town\n",
        );
        let message = "The name contains a line break, tab or other control character; remove it.";
        assert_eq!(rejection_at(&plan, 2), message);
        assert_eq!(rejection_at(&plan, 4), message);
        assert_eq!(outcome_at(&plan, 6), &Outcome::Unchanged);
    }

    #[test]
    fn a_tab_or_other_control_character_in_any_value_is_rejected() {
        for (row, field) in [
            ("a@example.org,Ada,North Side,Lead\tEngineer,", "role"),
            ("a@example.org,Ada,North Side,,ok;be\u{7}ll", "tag"),
            ("a@example.org,\tAda,North Side,,", "name"),
            ("a@example.org,Ada,North\u{1b}Side,,", "community"),
            ("a@example.org\u{b},Ada,North Side,,", "email address"),
        ] {
            let message = format!(
                "The {field} contains a line break, tab or other control character; remove it."
            );
            assert_eq!(rejection_at(&with_header(&format!("{row}\n")), 2), message);
        }
    }

    #[test]
    fn tags_are_split_trimmed_lower_cased_deduplicated_and_sorted() {
        let plan = with_header("a@example.org,Ada,North Side,, Zeta | alpha;ALPHA ;; beta \n");
        assert_eq!(created_at(&plan, 2).tags, ["alpha", "beta", "zeta"]);
    }

    #[test]
    fn too_many_or_too_long_tags_are_rejected() {
        let tags = |count: usize| {
            (0..count)
                .map(|n| format!("t{n}"))
                .collect::<Vec<_>>()
                .join(";")
        };
        let long = "x".repeat(41);
        let plan = with_header(&format!(
            "a@example.org,A,North Side,,{}\nb@example.org,B,North Side,,{}\n\
             c@example.org,C,North Side,,{}\nd@example.org,D,North Side,,{}\n",
            tags(20),
            tags(21),
            &long[1..],
            long,
        ));
        assert_eq!(created_at(&plan, 2).tags.len(), 20);
        assert_eq!(
            rejection_at(&plan, 3),
            "This line has 21 tags; the limit is 20."
        );
        assert_eq!(created_at(&plan, 4).tags, [&long[1..]]);
        assert_eq!(
            rejection_at(&plan, 5),
            format!("The tag “{long}” is 41 characters long; the limit is 40.")
        );
    }

    #[test]
    fn names_and_roles_over_their_limits_are_rejected() {
        let (name, role) = ("é".repeat(121), "r".repeat(81));
        let plan = with_header(&format!(
            "a@example.org,{},North Side,{},\nb@example.org,{name},North Side,,\n\
             c@example.org,C,North Side,{role},\n",
            &name[2..],
            &role[1..],
        ));
        assert_eq!(created_at(&plan, 2).name.chars().count(), 120);
        assert_eq!(
            rejection_at(&plan, 3),
            "The name is 121 characters long; the limit is 120."
        );
        assert_eq!(
            rejection_at(&plan, 4),
            "The role is 81 characters long; the limit is 80."
        );
    }

    #[test]
    fn an_empty_name_or_community_is_rejected() {
        let plan = with_header("a@example.org,  ,North Side,,\nb@example.org,Bob,,,\n");
        assert_eq!(
            rejection_at(&plan, 2),
            "The name is empty; every contact needs one."
        );
        assert_eq!(
            rejection_at(&plan, 3),
            "The community is empty; every contact needs one."
        );
    }

    #[test]
    fn every_problem_on_a_row_is_reported_at_once() {
        let plan = with_header("bob,,Atlantis,=x,\n");
        assert_eq!(
            rejection_at(&plan, 2),
            "“bob” is missing an @. The name is empty; every contact needs one. Unknown \
             community “Atlantis”. Add it first, or fix the spelling. The role “=x” looks \
             like a spreadsheet formula; remove the leading =."
        );
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let community = "c".repeat(100);
        let plan = with_header(&format!("a@example.org,Ada,{community},,\n"));
        let shown = format!("“{}...”", "c".repeat(57));
        assert_eq!(
            rejection_at(&plan, 2),
            format!("Unknown community {shown}. Add it first, or fix the spelling.")
        );
    }

    #[test]
    fn without_role_and_tags_columns_stored_values_are_kept() {
        let plan = plan(
            "email,name,community\n\
             grace@example.org,Grace Hopper,Riverside\n\
             alan@example.org,Alan M. Turing,Old Town\n\
             ada@example.org,Ada,North Side\n",
        );
        assert_eq!(outcome_at(&plan, 2), &Outcome::Unchanged);
        let Outcome::Update { contact, changes } = outcome_at(&plan, 3) else {
            panic!("not an update: {plan:?}");
        };
        assert_eq!(changes, &["name"]);
        assert_eq!((contact.role.as_str(), contact.tags.len()), ("", 0));
        let ada = created_at(&plan, 4);
        assert_eq!((ada.role.as_str(), ada.tags.len()), ("", 0));
    }

    #[test]
    fn empty_role_and_tags_cells_clear_the_stored_values() {
        let plan = with_header("grace@example.org,Grace Hopper,Riverside,,\n");
        let Outcome::Update { contact, changes } = outcome_at(&plan, 2) else {
            panic!("not an update: {plan:?}");
        };
        assert_eq!(changes, &["role", "tags"]);
        assert_eq!((contact.role.as_str(), contact.tags.len()), ("", 0));
    }

    #[test]
    fn a_plan_with_any_rejected_row_cannot_be_applied() {
        let good = "ada@example.org,Ada,North Side,,\n";
        assert!(with_header(good).can_apply());
        let plan = with_header(&format!("{good}bob@example.org,Bob,Atlantis,,\n"));
        assert_eq!(plan.counts(), (1, 0, 0, 1));
        assert!(!plan.can_apply());
    }

    #[test]
    fn a_plan_of_only_unchanged_rows_can_be_applied() {
        let plan = with_header("alan@example.org,Alan Turing,Old Town,,\n");
        assert_eq!(plan.counts(), (0, 0, 1, 0));
        assert!(plan.can_apply());
    }

    fn big_file(rows: usize) -> String {
        let mut file = String::from(HEADER);
        for n in 0..rows {
            let community = ["North Side", "riverside", "OLD TOWN"][n % 3];
            file.push_str(&format!(
                "person{n}@example.org,Person {n},{community},member,a;b|c\n"
            ));
        }
        file
    }

    fn big_existing(contacts: usize) -> Existing {
        let contacts = (0..contacts).map(|n| ExistingContact {
            email: format!("Person{n}@Example.org"),
            name: format!("Person {n}"),
            community: Some("North Side".into()),
            role: "member".into(),
            tags: vec!["c".into(), "b".into(), "a".into()],
        });
        Existing {
            contacts: contacts.collect(),
            ..existing()
        }
    }

    #[test]
    fn ten_thousand_rows_are_planned_quickly_and_one_more_is_refused() {
        let existing = big_existing(MAX_IMPORT_ROWS);
        let file = big_file(MAX_IMPORT_ROWS);
        let started = Instant::now();
        let plan = plan_import(file.as_bytes(), &existing);
        let elapsed = started.elapsed();
        assert_eq!(plan.counts(), (0, 6_666, 3_334, 0));
        assert_eq!(
            plan.rows.last().map(|row| row.line),
            Some(MAX_IMPORT_ROWS + 1)
        );
        // About 0.3 s in a debug build; the bound is loose for busy CI machines and still
        // far below what a quadratic lookup would take.
        assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");

        let plan = plan_import(big_file(MAX_IMPORT_ROWS + 1).as_bytes(), &existing);
        assert_eq!(
            file_error(&plan),
            "The file has more than 10,000 contacts; split it into files of at most 10,000 rows."
        );
    }

    #[test]
    fn re_importing_an_applied_file_changes_nothing() {
        let file = format!(
            "{HEADER}ada@example.org,Ada Lovelace,north side,Analyst,Poetry;math\n\
             Zoe@Example.org,Zoë,RIVERSIDE,,\n{}",
            &big_file(50)[HEADER.len()..]
        );
        let first = plan(&file);
        let applied = first.rows.iter().map(|row| match &row.outcome {
            Outcome::Create(contact) => ExistingContact {
                email: contact.email.to_string(),
                name: contact.name.clone(),
                community: Some(contact.community.clone()),
                role: contact.role.clone(),
                tags: contact.tags.clone(),
            },
            other => panic!("expected only creations: {other:?}"),
        });
        let existing = Existing {
            contacts: applied.collect(),
            ..existing()
        };
        let again = plan_import(file.as_bytes(), &existing);
        assert_eq!(again.counts(), (0, 0, 52, 0));
    }

    /// Deterministic xorshift64, so a failure can be replayed.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, bound: usize) -> usize {
            (self.next() % bound as u64) as usize
        }

        fn bytes(&mut self, length: usize) -> Vec<u8> {
            (0..length).map(|_| self.next() as u8).collect()
        }

        /// CSV-shaped text: mostly pieces that reach the row checks, now and then a raw byte.
        fn csv_like(&mut self, pieces: usize) -> Vec<u8> {
            const PIECES: [&str; 22] = [
                ",",
                ",",
                ",",
                ";",
                "\n",
                "\n",
                "\r\n",
                "\r",
                "\"",
                "\t",
                " ",
                "|",
                "=1",
                "@x",
                "-",
                "+",
                "a@example.org",
                "B@Example.org",
                "North Side",
                "north  side",
                "é",
                "“",
            ];
            let mut text = Vec::new();
            for _ in 0..pieces {
                match self.below(200) {
                    0 => text.push(self.next() as u8),
                    _ => text.extend(PIECES[self.below(PIECES.len())].as_bytes()),
                }
            }
            text
        }
    }

    fn assert_well_formed(plan: &ImportPlan, input: &[u8]) {
        let messages = plan
            .file_errors
            .iter()
            .chain(&plan.warnings)
            .map(String::as_str);
        let rejections = plan.rows.iter().filter_map(|row| match &row.outcome {
            Outcome::Rejected(reason) => Some(reason.as_str()),
            _ => None,
        });
        for message in messages.chain(rejections) {
            assert!(message.ends_with('.'), "{message:?} from {input:?}");
            assert!(
                !message.chars().any(char::is_control),
                "{message:?} from {input:?}"
            );
        }
        assert!(plan.file_errors.is_empty() || plan.rows.is_empty());
        assert!(plan.rows.windows(2).all(|pair| pair[0].line < pair[1].line));
    }

    #[test]
    fn random_bytes_never_panic_and_always_give_sentences() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let headers: [&[u8]; 3] = [b"", HEADER.as_bytes(), b"email;name;community\r\n"];
        for round in 0..5_000 {
            let length = random.below(120);
            let body = match round % 5 {
                0 => random.bytes(length),
                _ => random.csv_like(length),
            };
            let input = [headers[round % 3], &body].concat();
            let plan = plan_import(&input, &existing());
            assert_well_formed(&plan, &input);
        }
    }
}
