//! Reading lesson folders (`web/lessons/NN-slug/`) from disk: the native side, for the
//! check and the bundle generator. Every problem is collected with its file and, where the
//! parser gives one, its line and column; nothing panics.

use crate::model::{DocLink, Exercise};
use iam_policy::Scenario;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The files of a lesson folder; nothing else may be in it.
pub const LESSON_FILES: [&str; 3] = ["lesson.md", "scenario.json", "exercises.json"];

/// The TOML front matter of `lesson.md`, between two `+++` lines.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub summary: String,
    pub docs: Vec<DocLink>,
}

/// One lesson folder, read and parsed.
#[derive(Debug, Clone)]
pub struct SourceLesson {
    /// The folder name, `NN-slug`.
    pub id: String,
    pub number: u32,
    pub slug: String,
    pub dir: PathBuf,
    pub front: FrontMatter,
    /// The markdown after the front matter.
    pub body: String,
    pub scenario: Scenario,
    pub exercises: Vec<Exercise>,
}

/// A file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// The lessons folder of this repository (`web/lessons`), for tests and the generator.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("web")
        .join("lessons")
}

/// Splits a folder name `NN-slug` into its number and slug.
pub fn parse_folder_name(name: &str) -> Result<(u32, String), String> {
    let (num, slug) = name
        .split_once('-')
        .ok_or_else(|| format!("folder \"{name}\" is not NN-slug (e.g. 03-action-wildcards)"))?;
    if num.len() != 2 || !num.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "folder \"{name}\" must start with a two-digit number (01, 02, …) and a dash"
        ));
    }
    let number: u32 = num
        .parse()
        .map_err(|_| format!("folder \"{name}\": {num} is not a number"))?;
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        return Err(format!(
            "folder \"{name}\": the slug must be lower-case letters, digits and dashes"
        ));
    }
    Ok((number, slug.to_string()))
}

/// Splits `lesson.md` into its front matter and body.
pub fn split_front_matter(text: &str) -> Result<(FrontMatter, String), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(
            "line 1: lesson.md must start with TOML front matter between two +++ lines".into(),
        );
    }
    let mut front = String::new();
    let mut closed = false;
    let mut consumed = first.len();
    for line in lines.by_ref() {
        consumed += line.len();
        if line.trim_end() == "+++" {
            closed = true;
            break;
        }
        front.push_str(line);
    }
    if !closed {
        return Err("the front matter is not closed by a +++ line".into());
    }
    let body = text.get(consumed..).unwrap_or("").to_string();
    let fm: FrontMatter = toml::from_str(&front).map_err(|e| {
        // toml's message names the line within the front matter; line 1 is the +++ line.
        format!("front matter (TOML, from line 2): {}", e.message())
            + &e.span()
                .map(|s| {
                    let line = front.get(..s.start).unwrap_or("").matches('\n').count() + 2;
                    format!(" (line {line})")
                })
                .unwrap_or_default()
    })?;
    Ok((fm, body))
}

fn read(path: &Path, errors: &mut Vec<LoadError>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(LoadError {
                path: path.to_path_buf(),
                message: format!("cannot read: {e}"),
            });
            None
        }
    }
}

/// Reads one lesson folder.
pub fn load_lesson(dir: &Path) -> Result<SourceLesson, Vec<LoadError>> {
    let mut errors = Vec::new();
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let parsed_name = parse_folder_name(&name).map_err(|message| LoadError {
        path: dir.to_path_buf(),
        message,
    });
    let (number, slug) = match parsed_name {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            (0, String::new())
        }
    };
    // Exactly the three files.
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().to_string();
                if !LESSON_FILES.contains(&file.as_str()) {
                    errors.push(LoadError {
                        path: entry.path(),
                        message: format!(
                            "unexpected file: a lesson folder holds only {}",
                            LESSON_FILES.join(", ")
                        ),
                    });
                }
            }
        }
        Err(e) => errors.push(LoadError {
            path: dir.to_path_buf(),
            message: format!("cannot list: {e}"),
        }),
    }
    for f in LESSON_FILES {
        if !dir.join(f).is_file() {
            errors.push(LoadError {
                path: dir.join(f),
                message:
                    "missing: every lesson folder has lesson.md, scenario.json and exercises.json"
                        .into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let md_path = dir.join("lesson.md");
    let front_body = read(&md_path, &mut errors).and_then(|t| match split_front_matter(&t) {
        Ok(v) => Some(v),
        Err(message) => {
            errors.push(LoadError {
                path: md_path.clone(),
                message,
            });
            None
        }
    });

    let scenario_path = dir.join("scenario.json");
    let scenario = read(&scenario_path, &mut errors).and_then(|t| match Scenario::from_json(&t) {
        Ok(s) => Some(s),
        Err(diags) => {
            for d in diags.iter().filter(|d| d.is_error()) {
                errors.push(LoadError {
                    path: scenario_path.clone(),
                    message: format!(
                        "line {}, column {}: {}{}",
                        d.span.start.line,
                        d.span.start.column,
                        d.message,
                        d.hint
                            .as_ref()
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default()
                    ),
                });
            }
            None
        }
    });

    let exercises_path = dir.join("exercises.json");
    let exercises = read(&exercises_path, &mut errors).and_then(|t| {
        parse_exercises(&t)
            .map_err(|messages| {
                for message in messages {
                    errors.push(LoadError {
                        path: exercises_path.clone(),
                        message,
                    });
                }
            })
            .ok()
    });

    match (front_body, scenario, exercises) {
        (Some((front, body)), Some(scenario), Some(exercises)) if errors.is_empty() => {
            Ok(SourceLesson {
                id: name,
                number,
                slug,
                dir: dir.to_path_buf(),
                front,
                body,
                scenario,
                exercises,
            })
        }
        _ => Err(errors),
    }
}

fn at(span: &iam_policy::Span) -> String {
    format!("line {}, column {}", span.start.line, span.start.column)
}

/// Reads `exercises.json`: `{"exercises": [ … ]}`. Each problem names its line and column
/// (the offending key's, for an unknown or repeated field) and the exercise.
pub fn parse_exercises(text: &str) -> Result<Vec<Exercise>, Vec<String>> {
    use iam_policy::syntax::json::{parse, JsonKind};
    let root =
        parse(text).map_err(|e| vec![format!("{}: {} ({})", at(&e.span), e.message, e.hint)])?;
    let Some(members) = root.as_object() else {
        return Err(vec![format!(
            "{}: exercises.json is {}, it must be an object {{\"exercises\": [ … ]}}",
            at(&root.span),
            root.type_name()
        )]);
    };
    let mut errors = Vec::new();
    let mut list = None;
    for m in members {
        if m.key == "exercises" {
            if list.is_some() {
                errors.push(format!("{}: \"exercises\" appears twice", at(&m.key_span)));
            }
            list = Some(&m.value);
        } else {
            errors.push(format!(
                "{}: unknown field `{}`: the file holds only \"exercises\"",
                at(&m.key_span),
                m.key
            ));
        }
    }
    let items = match list.map(|l| &l.kind) {
        Some(JsonKind::Array(items)) => items,
        Some(_) | None => {
            errors.push(format!(
                "{}: \"exercises\" must be an array of exercises",
                at(&root.span)
            ));
            return Err(errors);
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let id = item
            .as_object()
            .and_then(|ms| ms.iter().find(|m| m.key == "id"))
            .and_then(|m| m.value.as_str())
            .map(|s| format!(" \"{s}\""))
            .unwrap_or_default();
        // Repeated keys: serde would keep the last one silently.
        if let Some(ms) = item.as_object() {
            for (j, m) in ms.iter().enumerate() {
                if ms.iter().take(j).any(|n| n.key == m.key) {
                    errors.push(format!(
                        "{}: exercise {i}{id}: field `{}` appears twice",
                        at(&m.key_span),
                        m.key
                    ));
                }
            }
        }
        match serde_json::from_value::<Exercise>(item.to_serde()) {
            Ok(e) => out.push(e),
            Err(e) => {
                let message = e.to_string();
                // Point at the offending key when serde names one.
                let span = message
                    .split('`')
                    .nth(1)
                    .and_then(|field| {
                        item.as_object()
                            .and_then(|ms| ms.iter().find(|m| m.key == field))
                            .map(|m| m.key_span)
                    })
                    .unwrap_or(item.span);
                errors.push(format!("{}: exercise {i}{id}: {message}", at(&span)));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads every lesson folder under `dir` (files beside them, such as README.md, are
/// skipped), sorted by folder name.
pub fn load_dir(dir: &Path) -> Result<Vec<SourceLesson>, Vec<LoadError>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![LoadError {
            path: dir.to_path_buf(),
            message: format!("cannot list the lessons folder: {e}"),
        }]
    })?;
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut lessons = Vec::new();
    let mut errors = Vec::new();
    for d in dirs {
        match load_lesson(&d) {
            Ok(l) => lessons.push(l),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(lessons)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names() {
        assert_eq!(
            parse_folder_name("03-action-wildcards").unwrap(),
            (3, "action-wildcards".to_string())
        );
        assert!(parse_folder_name("3-x").is_err());
        assert!(parse_folder_name("03-Bad").is_err());
        assert!(parse_folder_name("03").is_err());
        assert!(parse_folder_name("03-").is_err());
    }

    #[test]
    fn front_matter_is_toml_between_plus_lines() {
        let (fm, body) = split_front_matter(
            "+++\ntitle = \"T\"\nsummary = \"S\"\n[[docs]]\ntitle = \"D\"\nurl = \"https://docs.aws.amazon.com/x\"\n+++\nBody\n",
        )
        .unwrap();
        assert_eq!(fm.title, "T");
        assert_eq!(fm.docs[0].url, "https://docs.aws.amazon.com/x");
        assert_eq!(body, "Body\n");
        let err =
            split_front_matter("+++\ntitle = \"T\"\nsumary = \"S\"\ndocs = []\n+++\n").unwrap_err();
        assert!(err.contains("sumary"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(split_front_matter("# no front matter").is_err());
        assert!(split_front_matter("+++\ntitle = \"T\"\n").is_err());
    }
}
