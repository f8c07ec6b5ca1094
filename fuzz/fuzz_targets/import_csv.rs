//! Any bytes as an uploaded contact file: the importer plans without panicking, and a
//! plan it would apply has rows and no rejected row.
#![no_main]
use app::distribution::contacts::import::{plan_import, Existing, ExistingContact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let existing = Existing {
        communities: vec!["Lakeside".into(), "North Side".into()],
        contacts: vec![ExistingContact {
            email: "ada@example.org".into(),
            name: "Ada".into(),
            ..ExistingContact::default()
        }],
    };
    let plan = plan_import(bytes, &existing);
    if plan.can_apply() {
        assert!(!plan.rows.is_empty());
        assert!(plan.file_errors.is_empty());
    }
});
