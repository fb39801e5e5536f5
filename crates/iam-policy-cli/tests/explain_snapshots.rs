//! The wording of every explanation, reviewed: `iam-policy check --explain`
//! on each scenario file of the corpus is a snapshot (`tests/snapshots/`), so a
//! change of wording shows up in review as a diff rather than by accident.
//! Update after a deliberate change with `INSTA_UPDATE=always cargo test -p
//! iam-policy-cli --test explain_snapshots` (or `cargo insta review`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json")
            && !p.to_string_lossy().ends_with(".policy.json")
        {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_explanation_is_reviewed() {
    let root = root();
    let mut files = Vec::new();
    scenario_files(&root.join("tests/scenarios"), &mut files);
    assert!(files.len() > 20, "the corpus is there: {}", files.len());
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let out = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
            .current_dir(&root)
            .args(["check", "--explain", &rel])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let name = rel
            .trim_start_matches("tests/scenarios/")
            .trim_end_matches(".json")
            .replace('/', "__");
        insta::assert_snapshot!(name, text);
    }
}
