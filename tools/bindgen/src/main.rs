//! `site-bindgen BUNDLE.wasm OUT_DIR NAME`: what `wasm-bindgen --target web --no-typescript
//! --out-name NAME --out-dir OUT_DIR BUNDLE.wasm` does, through wasm-bindgen's own library.
//!
//! Why not the `wasm-bindgen` command itself: installing wasm-bindgen-cli compiles about 200
//! crates (its test runner's HTTP server and TLS among them) before a first build can start,
//! 92 s on two cores. This crate needs only the library that writes the glue, is built beside
//! the rest, and its version is the workspace's by construction.
use std::path::PathBuf;
use std::process::ExitCode;
use wasm_bindgen_cli_support::Bindgen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [bundle, out_dir, name] = args.as_slice() else {
        eprintln!("usage: site-bindgen BUNDLE.wasm OUT_DIR NAME");
        return ExitCode::from(2);
    };
    match generate(PathBuf::from(bundle), PathBuf::from(out_dir), name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("site-bindgen: could not write the glue for {bundle}: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The command line's defaults, spelled out: they differ from the library's in one place
/// (the command line keeps the default path to the `.wasm` file in the glue), and the glue
/// must be byte for byte what `wasm-bindgen` wrote before.
fn generate(bundle: PathBuf, out_dir: PathBuf, name: &str) -> anyhow::Result<()> {
    Bindgen::new()
        .web(true)?
        .input_path(bundle)
        .out_name(name)
        .typescript(false)
        .debug(false)
        .demangle(true)
        .omit_default_module_path(false)
        .generate(out_dir)
}
