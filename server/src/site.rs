//! The built site (the stylesheet, the team's JS and WASM, and `public/`): a release binary
//! carries it inside, so deploying Soundings is copying one file; `LEPTOS_SITE_ROOT` names a
//! folder to serve instead, which development and the end-to-end specs use.
use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use rust_embed::RustEmbed;
use std::borrow::Cow;
use std::path::PathBuf;

/// What `bin/build` leaves in `target/site` for a release, with a `.br` and
/// a `.gz` copy of each file. Only a release build embeds it; a debug build reads the folder
/// when asked, which is why `Site::choose` never picks this in one.
#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Built;

/// The file a release build must carry to be a whole site: without it the team pages would
/// load no script, so a binary built before the site falls back to the folder.
const BUNDLE: &str = "pkg/soundings.wasm";

/// Where the site's files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    Folder(PathBuf),
    Embedded,
}

impl Site {
    /// The folder `LEPTOS_SITE_ROOT` names when set; otherwise the files this binary carries,
    /// or `target/site` when it carries none (a debug build, or one built before the site).
    pub fn choose(folder: Option<PathBuf>) -> Site {
        match folder {
            Some(folder) => Site::Folder(folder),
            None if !cfg!(debug_assertions) && Built::get(BUNDLE).is_some() => Site::Embedded,
            None => Site::Folder(PathBuf::from("target/site")),
        }
    }

    /// The folder Leptos looks in for files no route serves: the chosen one, or for an
    /// embedded site one that is not expected to exist (the embedded files are served first).
    pub fn folder(&self) -> PathBuf {
        match self {
            Site::Folder(folder) => folder.clone(),
            Site::Embedded => PathBuf::from("target/site"),
        }
    }

    /// The version the built files are linked under: over the same files either way.
    pub fn version(&self) -> &'static str {
        match self {
            Site::Folder(folder) => app::server::assets::init(&folder.join("pkg")),
            Site::Embedded => {
                let mut files: Vec<(String, Vec<u8>)> = Built::iter()
                    .filter(|path| path.starts_with("pkg/"))
                    .filter_map(|path| {
                        let hash = Built::get(&path)?.metadata.sha256_hash().to_vec();
                        Some((path.trim_start_matches("pkg/").to_string(), hash))
                    })
                    .collect();
                files.sort();
                app::server::assets::init_from(files)
            }
        }
    }
}

/// One embedded file for a GET or HEAD, in the best encoding the browser accepts that the
/// build compressed it to; `None` when the site has no such file. `If-None-Match` with the
/// file's digest answers 304, so the uncached `/pkg` address costs a round trip, not the bundle.
pub fn embedded_file(
    path: &str,
    request: &Request,
    cache_control: &'static str,
) -> Option<Response> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return None;
    }
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with(".br") || path.ends_with(".gz") {
        return None;
    }
    let file = Built::get(path)?;
    let tag = format!(
        "\"{}\"",
        app::server::token::hex(&file.metadata.sha256_hash())
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, tag);
    }
    let unchanged = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|wanted| {
            wanted
                .split(',')
                .any(|t| t.trim() == tag || t.trim() == "*")
        });
    if unchanged {
        return Some((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    if let Ok(kind) = HeaderValue::from_str(file.metadata.mimetype()) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    let accepted = request.headers().get(header::ACCEPT_ENCODING);
    let (encoding, data) = [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .filter(|(name, _)| accepts(accepted, name))
        .find_map(|(name, suffix)| Some((Some(name), Built::get(&format!("{path}{suffix}"))?.data)))
        .unwrap_or((None, file.data));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    let body = match data {
        Cow::Borrowed(bytes) => Body::from(bytes),
        Cow::Owned(bytes) => Body::from(bytes),
    };
    Some((headers, body).into_response())
}

/// Whether an `Accept-Encoding` header lists `encoding` without refusing it (`;q=0`).
fn accepts(header: Option<&HeaderValue>, encoding: &str) -> bool {
    let Some(value) = header.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    value.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name.eq_ignore_ascii_case(encoding) && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encoding_counts_as_accepted_unless_its_weight_is_zero() {
        let header = HeaderValue::from_static("gzip;q=0.5, br;q=0, deflate");
        assert!(accepts(Some(&header), "gzip"));
        assert!(!accepts(Some(&header), "br"));
        assert!(!accepts(Some(&header), "zstd"));
        assert!(!accepts(None, "gzip"));
        assert!(accepts(Some(&HeaderValue::from_static("BR")), "br"));
    }

    #[test]
    fn a_set_site_root_wins_over_whatever_the_binary_carries() {
        let folder = PathBuf::from("/srv/site");
        assert_eq!(Site::choose(Some(folder.clone())), Site::Folder(folder));
    }

    #[test]
    fn a_debug_build_reads_the_site_from_its_folder() {
        assert_eq!(
            Site::choose(None),
            Site::Folder(PathBuf::from("target/site"))
        );
    }
}
