//! `lessons-bundle [--lessons DIR] OUT.json`: checks every lesson against the engine and
//! writes the course bundle the Learn view fetches. Exits 1 (writing nothing) when a lesson
//! has a problem, 2 on bad arguments or files. Exercises waiting for an engine correction
//! (`needsEngine`) are listed but do not stop the build.

use iam_lessons::bundle::{build_course, bundle_json};
use iam_lessons::source::{default_dir, load_dir};
use iam_lessons::validate::{count_by_kind, validate};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: lessons-bundle [--lessons DIR] OUT.json";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = default_dir();
    let mut out: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--lessons" => match args.next() {
                Some(d) => dir = PathBuf::from(d),
                None => {
                    eprintln!("--lessons needs a folder\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => {
                eprintln!("unexpected argument {a}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let lessons = match load_dir(&dir) {
        Ok(l) => l,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            return ExitCode::from(2);
        }
    };
    let report = validate(&lessons);
    for p in &report.pending {
        eprintln!("pending: {p}");
    }
    if !report.ok() {
        for p in &report.problems {
            eprintln!("error: {p}");
        }
        eprintln!(
            "{} problem(s): the bundle was not written",
            report.problems.len()
        );
        return ExitCode::from(1);
    }
    let json = bundle_json(&build_course(&lessons));
    if let Err(e) = std::fs::write(&out, &json) {
        eprintln!("cannot write {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let kinds: Vec<String> = count_by_kind(&lessons)
        .into_iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    println!(
        "wrote {}: {} lessons, exercises: {}; {} bytes",
        out.display(),
        lessons.len(),
        kinds.join(", "),
        json.len()
    );
    ExitCode::SUCCESS
}
