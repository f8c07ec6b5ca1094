//! The built CSS, JS and WASM are linked under a path that names their content
//! (`/assets/{version}/pkg/...`), so browsers may keep them for a year: a new build has a
//! new version, hence new addresses. The version is the start of a SHA-256 over every file
//! in `pkg/` (read from the site folder, or the digests of the files a release binary
//! carries), taken once at start-up.
use super::token::hex;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

/// Characters of the digest kept: enough that two builds never share a version.
const VERSION_LENGTH: usize = 16;

static VERSION: OnceLock<String> = OnceLock::new();

/// Takes the version of the site's `pkg/` folder. The first call wins (one site per process);
/// an unreadable or missing folder gives the version of nothing, which still works.
pub fn init(pkg_dir: &Path) -> &'static str {
    VERSION.get_or_init(|| version_of(pkg_dir))
}

/// The prefix of the built files' addresses (empty before `init`); `/pkg` itself is still
/// served, uncached.
pub fn root() -> String {
    VERSION
        .get()
        .map(|v| format!("/assets/{v}"))
        .unwrap_or_default()
}

/// Where a built file of `pkg/` (`soundings.css`, `soundings.js`, `soundings.wasm`) is served.
pub fn built(file: &str) -> String {
    format!("{}/pkg/{file}", root())
}

/// Where the stylesheet built from `style/` is served.
pub fn stylesheet() -> String {
    built("soundings.css")
}

/// Takes the version of files given as (name, content or content digest), sorted by name.
pub fn init_from(files: Vec<(String, Vec<u8>)>) -> &'static str {
    VERSION.get_or_init(|| version_from(files))
}

fn version_of(pkg_dir: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(pkg_dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    version_from(
        files
            .iter()
            .filter(|f| f.is_file())
            .map(|file| {
                let name = file.file_name().unwrap_or_default();
                (
                    name.to_string_lossy().into_owned(),
                    std::fs::read(file).unwrap_or_default(),
                )
            })
            .collect(),
    )
}

fn version_from(files: Vec<(String, Vec<u8>)>) -> String {
    let mut digest = Sha256::new();
    for (name, content) in files {
        digest.update(name.as_bytes());
        digest.update(content);
    }
    let mut version = hex(&digest.finalize());
    version.truncate(VERSION_LENGTH);
    version
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[test]
    fn the_version_changes_with_any_built_file_and_only_then() {
        let dir = std::env::temp_dir().join(format!("assets-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("soundings.css"), "body{}").unwrap();
        let first = version_of(&dir);
        assert_eq!(first, version_of(&dir));
        assert_eq!(first.len(), 16);
        std::fs::write(dir.join("soundings.css"), "body{color:red}").unwrap();
        assert_ne!(first, version_of(&dir));
        assert_eq!(version_of(&dir.join("missing")).len(), 16);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
