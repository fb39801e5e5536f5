//! Embeds the gallery: every scenario file under tests/scenarios/shared/ (the seed examples)
//! becomes an entry of `GALLERY` via include_str!, so the playground needs no network to load
//! them and a new file shows up in the gallery without touching the code. The files are
//! embedded with the whitespace between JSON tokens removed (a smaller download; the
//! playground pretty-prints policies itself).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The JSON text without whitespace between tokens (strings are kept exactly).
fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest
        .join("..")
        .join("tests")
        .join("scenarios")
        .join("shared");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let mut code = String::from("/// (path under tests/scenarios/shared, file text), sorted by path.\npub static GALLERY: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        if let Some(parent) = file.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
        let rel = file
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let compact = out_dir.join(format!("gallery-{}", rel.replace('/', "--")));
        if let Err(err) = std::fs::write(&compact, compact_json(&text)) {
            println!("cargo:warning=could not write {}: {err}", compact.display());
        }
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            compact.to_string_lossy()
        );
    }
    code.push_str("];\n");
    let out = out_dir.join("gallery.rs");
    if let Err(err) = std::fs::write(&out, code) {
        println!("cargo:warning=could not write {}: {err}", out.display());
    }
}
