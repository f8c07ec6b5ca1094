//! Contact import from a CSV file: reads the upload and plans, row by row, what applying it
//! would create, update or leave alone, so a person can preview every problem first.
//!
//! The plan is all or nothing: it can be applied only when the file has no errors and no
//! row is rejected. Half an import is harder to reason about than none, so the preview
//! lists every problem, the person fixes the file and uploads it again.
//!
//! The file is the truth for the columns it has: an empty `role`, `tags` or `language`
//! cell clears that field. A column the file lacks (`role`, `tags` and `language` are
//! optional) leaves the field of an existing contact as it is.
//!
//! Values that a spreadsheet would run as a formula (a leading `=`, `+`, `-` or `@`) are
//! refused rather than stored, so a later export can't carry them to someone's Excel.
use crate::email::EmailAddress;
use crate::languages::model::Language;
use communities::CommunityPlanner;
pub use communities::{CommunityPlan, ExistingCommunity, PlannedCommunity};
use csv::StringRecord;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

mod communities;

/// The most data rows one file may hold; larger lists are split into several uploads.
pub const MAX_IMPORT_ROWS: usize = 25_000;
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
    /// Each community's tier and time zone, for files with `tier` or `time_zone` columns.
    pub community_details: Vec<ExistingCommunity>,
    /// Tier names as stored.
    pub tiers: Vec<String>,
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
    /// The contact's preferred language code, if any.
    pub language: Option<String>,
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
    /// Communities and tiers the file creates or changes.
    pub communities: CommunityPlan,
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
    /// `"name"`, `"community"`, `"role"`, `"tags"` and/or `"language"`.
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
    /// The community's stored spelling (or the file's, for one it creates).
    pub community: String,
    /// The contact's role; empty when none.
    pub role: String,
    /// Lower-cased, de-duplicated and sorted.
    pub tags: Vec<String>,
    /// The language their invitations and pages are in, when the survey offers it.
    pub language: Option<Language>,
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
            communities: CommunityPlan::default(),
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
            communities: planner.community_planner.plan(),
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
    tier: Option<usize>,
    time_zone: Option<usize>,
    language: Option<usize>,
    count: usize,
}

const REQUIRED_COLUMNS: [&str; 3] = ["email", "name", "community"];
const OPTIONAL_COLUMNS: [&str; 5] = ["role", "tags", "tier", "time_zone", "language"];

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
            tier: found.get("tier").copied(),
            time_zone: found.get("time_zone").copied(),
            language: found.get("language").copied(),
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
    community_planner: CommunityPlanner<'a>,
    contacts: HashMap<String, &'a ExistingContact>,
    first_lines: HashMap<EmailAddress, usize>,
}

/// A row whose every cell is acceptable, before it is compared with what exists.
struct Draft {
    email: EmailAddress,
    name: String,
    community: String,
    role: Option<String>,
    tags: Option<Vec<String>>,
    /// None: the file has no language column; Some(None): an empty cell, which clears it.
    language: Option<Option<Language>>,
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
            community_planner: CommunityPlanner::new(&existing.community_details, &existing.tiers),
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
    fn read_row(&mut self, line: usize, record: &StringRecord) -> Result<Draft, Vec<String>> {
        let columns = &self.columns;
        let optional = |index: Option<usize>| index.map(|index| cell(record, index));
        let (role, tags) = (optional(columns.role), optional(columns.tags));
        let (tier, time_zone) = (optional(columns.tier), optional(columns.time_zone));
        let language = optional(columns.language);
        let (email, name) = (cell(record, columns.email), cell(record, columns.name));
        let community = cell(record, columns.community);
        let mut problems = Vec::new();
        let email = keep(self.read_email(line, email), &mut problems);
        let name = keep(read_name(name), &mut problems);
        let community = keep(
            self.read_community(line, community, tier, time_zone),
            &mut problems,
        );
        let role = keep(role.map(read_role).transpose(), &mut problems);
        let tags = keep(tags.map(read_tags).transpose(), &mut problems);
        let language = keep(language.map(read_language).transpose(), &mut problems);
        match (email, name, community, role, tags, language) {
            (Some(email), Some(name), Some(community), Some(role), Some(tags), Some(language)) => {
                Ok(Draft {
                    email,
                    name,
                    community,
                    role,
                    tags,
                    language,
                })
            }
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

    /// The community's stored spelling; with `tier` or `time_zone` columns, also a
    /// community the file creates or changes.
    fn read_community(
        &mut self,
        line: usize,
        raw: &str,
        tier: Option<&str>,
        time_zone: Option<&str>,
    ) -> Result<String, String> {
        let name = clean("community", raw)?;
        if name.is_empty() {
            return Err("The community is empty; every contact needs one.".into());
        }
        if tier.is_none() && time_zone.is_none() {
            return self.communities.find(name).map(str::to_string);
        }
        match self.community_planner.read(line, name, tier, time_zone) {
            Ok(stored) => Ok(stored),
            // Unknown and no tier to create it on: the same refusal as without the columns.
            Err(problems) if problems.is_empty() => self
                .communities
                .find(name)
                .map(str::to_string)
                .map_err(|m| format!("{m} Or give its tier in the tier column to create it.")),
            Err(problems) => Err(problems.join(" ")),
        }
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

impl Draft {
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
        let language = self.language.unwrap_or_else(|| {
            existing
                .and_then(|contact| contact.language.as_deref())
                .and_then(|code| Language::parse(code).ok())
        });
        ContactInput {
            email: self.email,
            name: self.name,
            community: self.community,
            role,
            tags,
            language,
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
        (
            "language",
            existing.language.as_deref() == contact.language.map(Language::code),
        ),
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

/// A preferred language: a code (`de`, `pt-BR`) or its English name; empty clears it.
fn read_language(raw: &str) -> Result<Option<Language>, String> {
    let value = clean("language", raw)?;
    if value.is_empty() {
        return Ok(None);
    }
    Language::parse(value).map(Some)
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
mod tests;
