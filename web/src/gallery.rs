//! The examples: every scenario under tests/scenarios/shared/, embedded at build time
//! (see build.rs), so they load with one click and without any network.

use crate::model::Workspace;

include!(concat!(env!("OUT_DIR"), "/gallery.rs"));

/// The example a first visit starts with: the seed IP restriction.
pub const DEFAULT_EXAMPLE: &str = "image-builder/component-ip-restriction.json";

/// One gallery entry, with what the list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// Path under tests/scenarios/shared/ (also its id in the page).
    pub path: &'static str,
    pub text: &'static str,
    pub name: String,
    pub description: String,
    /// The folder, as a group heading.
    pub group: String,
    pub requests: usize,
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

/// The gallery, in path order.
pub fn examples() -> Vec<Example> {
    GALLERY
        .iter()
        .map(|(path, text)| {
            let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            let name = s("name");
            Example {
                path,
                text,
                name: if name.is_empty() {
                    path.to_string()
                } else {
                    name
                },
                description: s("description"),
                group: path.split('/').next().unwrap_or("").to_string(),
                requests: v
                    .get("requests")
                    .and_then(|r| r.as_array())
                    .map_or(0, Vec::len),
            }
        })
        .collect()
}

/// The example by path.
pub fn example(path: &str) -> Option<Example> {
    examples().into_iter().find(|e| e.path == path)
}

/// What a first visit shows (falls back to an empty workspace if the example is missing).
pub fn default_workspace() -> Workspace {
    example(DEFAULT_EXAMPLE)
        .and_then(|e| crate::engine::import_scenario(e.text).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_embedded_and_loads() {
        let all = examples();
        assert!(all.len() >= 5, "the seed scenarios are embedded");
        for e in &all {
            let ws = crate::engine::import_scenario(e.text);
            assert!(ws.is_ok(), "{} loads: {:?}", e.path, ws.err());
            assert!(!e.name.is_empty());
        }
        assert!(example(DEFAULT_EXAMPLE).is_some());
        assert!(!default_workspace().requests.is_empty());
    }

    #[test]
    fn every_example_meets_its_expectations() {
        for e in examples() {
            let ws = crate::engine::import_scenario(e.text).expect("loads");
            let eval = crate::engine::evaluate(&ws, None);
            assert_eq!(eval.results.len(), ws.requests.len());
            for (i, r) in eval.results.iter().enumerate() {
                assert_eq!(r.error, None, "{} request {i}", e.path);
                if r.expect.is_some() {
                    assert_eq!(
                        r.pass,
                        Some(true),
                        "{} request {i}: {:?}",
                        e.path,
                        r.decision
                    );
                }
            }
        }
    }
}
