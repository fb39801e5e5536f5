//! Embeds the example a first visit opens (the seed IP restriction) with the whitespace
//! between JSON tokens removed. The other examples are not in the first load: the Examples
//! dialog fetches them (examples.json, written by web/tools/examples.mjs from web/gallery.json).

use std::path::PathBuf;

/// The example a first visit opens, under tests/scenarios/.
const DEFAULT_EXAMPLE: &str = "shared/image-builder/component-ip-restriction.json";

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
    let file = manifest
        .join("..")
        .join("tests")
        .join("scenarios")
        .join(DEFAULT_EXAMPLE);
    println!("cargo:rerun-if-changed={}", file.display());
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(err) => {
            println!("cargo:warning=could not read {}: {err}", file.display());
            String::new()
        }
    };
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let out = out_dir.join("default-example.json");
    if let Err(err) = std::fs::write(&out, compact_json(&text)) {
        println!("cargo:warning=could not write {}: {err}", out.display());
    }
}
