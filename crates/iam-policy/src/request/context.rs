//! The request context: condition keys and their values. Key names are
//! case-insensitive; values are kept as written (their comparison depends on
//! the condition operator).

use serde::Serialize;
use std::collections::BTreeMap;

/// The value(s) of one context key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextEntry {
    /// The key as the request spelled it.
    pub key: String,
    pub values: Vec<String>,
    /// Given as an array: a multivalued key (even with one element).
    pub multivalued: bool,
}

/// Context keys of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestContext {
    /// By lower-cased key: logarithmic inserts and lookups, so a request
    /// with tens of thousands of keys stays fast.
    entries: BTreeMap<String, ContextEntry>,
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key (replacing an existing one whatever its case).
    pub fn insert(&mut self, key: &str, values: Vec<String>, multivalued: bool) {
        let lower = key.to_lowercase();
        let entry = ContextEntry {
            key: key.to_string(),
            values,
            multivalued,
        };
        self.entries.insert(lower, entry);
    }

    /// Sets a single-valued key.
    pub fn insert_single(&mut self, key: &str, value: &str) {
        self.insert(key, vec![value.to_string()], false);
    }

    /// Builds a context from pairs; a pair with several values is multivalued.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>) -> Self {
        let mut ctx = Self::new();
        for (k, vs) in pairs {
            let multi = vs.len() != 1;
            ctx.insert(k, vs.into_iter().map(str::to_string).collect(), multi);
        }
        ctx
    }

    /// Looks a key up, case-insensitively.
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
        self.entries.get(&key.to_lowercase())
    }

    /// The value of a single-valued key (what a policy variable can use).
    pub fn single_value(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(e) if !e.multivalued && e.values.len() == 1 => {
                e.values.first().map(String::as_str)
            }
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.values()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl crate::pattern::Variables for RequestContext {
    fn single_value(&self, key: &str) -> Option<&str> {
        RequestContext::single_value(self, key)
    }

    fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive() {
        let mut c = RequestContext::new();
        c.insert_single("aws:SourceIp", "1.2.3.4");
        assert_eq!(c.get("AWS:SOURCEIP").unwrap().values, vec!["1.2.3.4"]);
        c.insert_single("aws:sourceip", "5.6.7.8");
        assert_eq!(c.iter().count(), 1);
        assert_eq!(c.single_value("aws:SourceIP"), Some("5.6.7.8"));
    }
}
