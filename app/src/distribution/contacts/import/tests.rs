//! Tests of the import planner: file shapes, row checks, comparison and limits.
use super::*;

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
                language: Some("en".into()),
            },
            ExistingContact {
                email: "alan@example.org".into(),
                name: "Alan Turing".into(),
                community: Some("Old Town".into()),
                role: String::new(),
                tags: Vec::new(),
                language: None,
            },
        ],
        community_details: vec![
            ExistingCommunity {
                name: "North Side".into(),
                tier: "Essential".into(),
                time_zone: String::new(),
            },
            ExistingCommunity {
                name: "Riverside".into(),
                tier: "Enterprise".into(),
                time_zone: "Europe/Berlin".into(),
            },
            ExistingCommunity {
                name: "Old Town".into(),
                tier: "Professional".into(),
                time_zone: String::new(),
            },
        ],
        tiers: vec![
            "Essential".into(),
            "Professional".into(),
            "Enterprise".into(),
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
fn a_language_column_sets_clears_or_refuses_each_contacts_language() {
    let file = "email,name,community,language\n\
                ada@example.org,Ada Lovelace,North Side,de-AT\n\
                grace@example.org,Grace Hopper,Riverside,\n\
                alan@example.org,Alan Turing,Old Town,Klingon\n";
    let plan = plan_import(file.as_bytes(), &existing());
    assert_eq!(created_at(&plan, 2).language.map(|l| l.code()), Some("de"));
    let Outcome::Update { contact, changes } = outcome_at(&plan, 3) else {
        panic!("line 3 is not an update: {plan:?}");
    };
    assert_eq!(
        (contact.language, changes.as_slice()),
        (None, &["language"][..])
    );
    assert!(rejection_at(&plan, 4).contains("“Klingon” is not a language"));
}

#[test]
fn a_file_without_a_language_column_keeps_each_contacts_language() {
    let file = "email,name,community\ngrace@example.org,Grace Hopper,Riverside\n";
    let Outcome::Unchanged = outcome_at(&plan_import(file.as_bytes(), &existing()), 2) else {
        panic!("Grace's English was dropped");
    };
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
    let plan = plan("email;name;community;tags\nada@example.org;Lovelace, Ada;North Side;a|b\n");
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
    let plan =
        with_header("\nada@example.org,Ada,North Side,,\n,,,,\nzoe@example.org,Zoë,Riverside,,\n");
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
    let plan = with_header("ada@example.org,Ada,North Side,,\nnot-an-address,Bob,Riverside,,\n");
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
        language: None,
    });
    Existing {
        contacts: contacts.collect(),
        ..existing()
    }
}

#[test]
fn twenty_five_thousand_rows_are_planned_and_one_more_is_refused() {
    let existing = big_existing(MAX_IMPORT_ROWS);
    let file = big_file(MAX_IMPORT_ROWS);
    let plan = plan_import(file.as_bytes(), &existing);
    assert_eq!(plan.counts(), (0, 16_666, 8_334, 0));
    assert_eq!(
        plan.rows.last().map(|row| row.line),
        Some(MAX_IMPORT_ROWS + 1)
    );

    let plan = plan_import(big_file(MAX_IMPORT_ROWS + 1).as_bytes(), &existing);
    assert_eq!(
        file_error(&plan),
        "The file has more than 25,000 contacts; split it into files of at most 25,000 rows."
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
            language: contact.language.map(|l| l.code().to_string()),
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

const CRM: &str = "email,name,community,tier,time_zone\n";

#[test]
fn a_crm_export_creates_unknown_communities_on_their_tier_and_moves_known_ones() {
    let plan = plan(&format!(
        "{CRM}ada@example.org,Ada,Harbour,enterprise,Australia/Brisbane\n\
         bob@example.org,Bob,Harbour,Enterprise,\n\
         grace@example.org,Grace Hopper,Riverside,Professional,\n\
         cy@example.org,Cy,North Side,Essential,\n"
    ));
    assert!(plan.can_apply(), "{plan:?}");
    let created = &plan.communities.created;
    assert_eq!(created.len(), 1);
    assert_eq!(
        (
            created[0].name.as_str(),
            created[0].tier.as_str(),
            created[0].time_zone.as_str()
        ),
        ("Harbour", "Enterprise", "Australia/Brisbane"),
        "the tier's stored spelling, the zone's canonical name"
    );
    let changed = &plan.communities.changed;
    assert_eq!(changed.len(), 1, "North Side stays as it is: {changed:?}");
    assert_eq!(
        (
            changed[0].name.as_str(),
            changed[0].tier.as_str(),
            changed[0].time_zone.as_str()
        ),
        ("Riverside", "Professional", "Europe/Berlin"),
        "an empty time zone cell keeps the stored one"
    );
    assert!(plan.communities.new_tiers.is_empty());
    assert_eq!(created_at(&plan, 2).community, "Harbour");
}

#[test]
fn a_new_tier_is_planned_once_and_a_community_given_two_tiers_is_refused() {
    let plan = plan(&format!(
        "{CRM}ada@example.org,Ada,Harbour,Platinum,\n\
         bob@example.org,Bob,Quay,platinum,\n\
         cy@example.org,Cy,Harbour,Essential,\n"
    ));
    assert_eq!(plan.communities.new_tiers, vec!["Platinum".to_string()]);
    assert!(rejection_at(&plan, 4).contains("Line 2 gives “Harbour” another tier"));
    assert!(!plan.can_apply());
}

#[test]
fn an_unknown_community_without_a_tier_and_a_bad_time_zone_are_refused_in_words() {
    let plan = plan(&format!(
        "{CRM}ada@example.org,Ada,Harbour,,\n\
         bob@example.org,Bob,Old Town,,Mars/Olympus\n"
    ));
    assert!(rejection_at(&plan, 2).contains("Unknown community “Harbour”"));
    assert!(rejection_at(&plan, 2).contains("give its tier"));
    assert!(rejection_at(&plan, 3).contains("Mars/Olympus"));
}
