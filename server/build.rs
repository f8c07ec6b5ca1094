//! Lists the files in `migrations/` for `database::migrator`, which compiles them into the
//! binary. This replaces sqlx's `migrate!` macro, whose `macros` feature compiled sqlx's
//! SQLite and PostgreSQL drivers (and SQLite's C source) a second time, for the compiler.
use std::fmt::Write;
use std::path::Path;

fn main() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the migrations folder is readable")
        .map(|entry| entry.expect("a migration's entry is readable").file_name())
        .map(|name| name.into_string().expect("migration file names are UTF-8"))
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    let mut list = String::from("&[\n");
    for name in &names {
        let path = folder.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            list,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    list.push(']');
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    std::fs::write(out, list).expect("OUT_DIR is writable");
}
