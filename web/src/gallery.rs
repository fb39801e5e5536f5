//! The examples. The Examples dialog lists scenario files of tests/scenarios (each with its
//! known answers) grouped by topic, each with a name and one line on what it shows
//! (web/gallery.json). web/tools/examples.mjs bundles the list and the files into
//! examples.json, which the dialog fetches when it first opens: none of it is in the first
//! load. Only the example a first visit opens is embedded (build.rs).

use std::cell::RefCell;
use std::rc::Rc;

use crate::model::Workspace;

/// The example a first visit opens (path under tests/scenarios/).
pub const DEFAULT_EXAMPLE: &str = "shared/image-builder/component-ip-restriction.json";

/// Its text, embedded.
pub const DEFAULT_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/default-example.json"));

/// The dialog's data (examples.json).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Examples {
    pub groups: Vec<Group>,
}

/// A topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub title: String,
    /// What the topic is about (when it applies).
    pub line: String,
    pub examples: Vec<Example>,
}

/// One example, with what the list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// Path under tests/scenarios/ (also its id in the page).
    pub path: String,
    pub name: String,
    /// One line on what it shows.
    pub line: String,
    pub requests: usize,
    /// The scenario file.
    pub text: String,
}

impl Example {
    /// A stable, CSS-safe id.
    pub fn slug(&self) -> String {
        self.path
            .trim_end_matches(".json")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    }
}

impl Examples {
    /// Reads examples.json (through `serde_json::Value`, which the app reads anyway: a
    /// derived reader would add its own code to the first-load wasm).
    pub fn parse(text: &str) -> Result<Examples, String> {
        let bad = |what: &str| format!("examples.json is not readable: {what}");
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
        let s = |v: &serde_json::Value, k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let groups = v
            .get("groups")
            .and_then(|g| g.as_array())
            .ok_or_else(|| bad("no groups"))?;
        let groups = groups
            .iter()
            .map(|g| Group {
                title: s(g, "title"),
                line: s(g, "line"),
                examples: g
                    .get("examples")
                    .and_then(|e| e.as_array())
                    .map(|list| {
                        list.iter()
                            .map(|e| Example {
                                path: s(e, "path"),
                                name: s(e, "name"),
                                line: s(e, "line"),
                                requests: e.get("requests").and_then(|r| r.as_u64()).unwrap_or(0)
                                    as usize,
                                text: s(e, "text"),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        Ok(Examples { groups })
    }

    pub fn all(&self) -> impl Iterator<Item = &Example> {
        self.groups.iter().flat_map(|g| g.examples.iter())
    }
}

thread_local! {
    /// The examples once fetched (the dialog fetches them once per page).
    static LOADED: RefCell<Option<Rc<Examples>>> = const { RefCell::new(None) };
}

/// The examples, if already fetched.
pub fn loaded() -> Option<Rc<Examples>> {
    LOADED.with(|l| l.borrow().clone())
}

/// Keeps the fetched examples for the page's lifetime (also how the component tests provide
/// them without a server).
pub fn provide(examples: Examples) -> Rc<Examples> {
    let rc = Rc::new(examples);
    LOADED.with(|l| *l.borrow_mut() = Some(rc.clone()));
    rc
}

/// What a first visit shows (falls back to an empty workspace if the example is missing).
pub fn default_workspace() -> Workspace {
    crate::engine::import_scenario(DEFAULT_TEXT).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// web/gallery.json, with each file's text read as examples.mjs does.
    fn gallery() -> Vec<(String, String, String, String)> {
        let g: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("web").join("gallery.json")).unwrap(),
        )
        .unwrap();
        let mut out = Vec::new();
        for group in g["groups"].as_array().unwrap() {
            let title = group["title"].as_str().unwrap().to_string();
            for e in group["examples"].as_array().unwrap() {
                let file = e["file"].as_str().unwrap().to_string();
                let text =
                    std::fs::read_to_string(root().join("tests").join("scenarios").join(&file))
                        .unwrap_or_else(|err| panic!("{file}: {err}"));
                out.push((
                    title.clone(),
                    file,
                    e["line"].as_str().unwrap().to_string(),
                    text,
                ));
            }
        }
        out
    }

    /// An AWS managed policy of the bundled copy (crates/iam-managed/data), as `managedShow`
    /// gives it.
    fn managed_policy(name: &str) -> crate::managed::Shown {
        let data: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(
                root()
                    .join("crates/iam-managed/data")
                    .join("managed-policies.json"),
            )
            .unwrap(),
        )
        .unwrap();
        let p = data["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == crate::model::managed_name(name))
            .ok_or_else(|| (format!("unknown AWS managed policy {name}"), vec![]))?;
        let s = |k: &str| p[k].as_str().unwrap().to_string();
        Ok((
            crate::model::ManagedInfo {
                name: s("name"),
                arn: s("arn"),
                version_id: s("versionId"),
                update_date: s("updateDate"),
            },
            serde_json::to_string_pretty(&p["document"]).unwrap(),
        ))
    }

    #[test]
    fn the_console_example_attaches_aws_image_builder_full_access() {
        let all = gallery();
        let (_, _, _, text) = all
            .iter()
            .find(|e| e.1 == "managed/console-with-full-access.json")
            .expect("in the gallery");
        let ws = crate::engine::import_scenario(text).unwrap();
        let refs: Vec<&str> = ws
            .policies
            .docs
            .values()
            .filter_map(|d| d.managed.as_ref().map(|m| m.reference.as_str()))
            .collect();
        assert_eq!(refs, ["AWSImageBuilderFullAccess"]);
        assert_eq!(ws.policies.docs.identity.len(), 2, "with the custom policy");
    }

    #[test]
    fn the_default_example_is_embedded_and_first_in_the_gallery() {
        assert!(!default_workspace().requests.is_empty());
        assert_eq!(gallery()[0].1, DEFAULT_EXAMPLE);
    }

    #[test]
    fn every_gallery_example_loads_has_a_line_and_meets_its_expectations() {
        let all = gallery();
        assert!(all.len() >= 40, "{} examples", all.len());
        let mut groups: Vec<&str> = all.iter().map(|e| e.0.as_str()).collect();
        groups.dedup();
        assert!(groups.len() >= 6, "grouped by topic: {groups:?}");
        for (_, file, line, text) in &all {
            assert!(
                !line.trim().is_empty(),
                "{file} has a line on what it shows"
            );
            assert!(
                !line.contains("seed"),
                "{file}: no wording that only makes sense inside the project"
            );
            let mut ws = crate::engine::import_scenario(text)
                .unwrap_or_else(|e| panic!("{file} loads: {e:?}"));
            // AWS managed policies, from the bundled copy the lazy part loads.
            crate::managed::resolve_with(&mut ws, managed_policy);
            assert!(
                ws.policies
                    .docs
                    .values()
                    .all(|d| d.managed.as_ref().is_none_or(|m| m.resolved.is_some())),
                "{file}: every managed policy resolves"
            );
            let eval = crate::engine::evaluate(&ws, None);
            assert_eq!(eval.results.len(), ws.requests.len());
            for (i, r) in eval.results.iter().enumerate() {
                if r.expect.is_some() {
                    assert_eq!(r.pass, Some(true), "{file} request {i}: {:?}", r.decision);
                }
            }
        }
    }

    #[test]
    fn examples_json_reads() {
        let json = r#"{"groups":[{"title":"T","examples":[{"path":"a/b.json","name":"N","line":"L","requests":1,"text":"{}"}]}]}"#;
        let ex = Examples::parse(json).unwrap();
        assert_eq!(ex.all().count(), 1);
        assert_eq!(ex.groups[0].examples[0].slug(), "a-b");
        assert!(Examples::parse("{").is_err());
    }
}
