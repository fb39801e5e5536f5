//! The request context: condition keys and their values. Key names are
//! case-insensitive; values are kept as written (their comparison depends on
//! the condition operator).

use crate::syntax::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;

/// The value(s) of one context key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextEntry {
    /// The key as the request spelled it.
    pub key: String,
    pub values: Vec<Text>,
    /// Given as an array: a multivalued key (even with one element).
    pub multivalued: bool,
}

/// Context keys of a request.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// Lower-cased key → index in `entries`: logarithmic inserts and
    /// lookups, so a request with tens of thousands of keys stays fast.
    index: BTreeMap<String, usize>,
    /// The entries, in the order their keys were first set (the index
    /// gives each a stable number, for per-request caches).
    entries: Vec<ContextEntry>,
}

/// Contexts of at most this many keys are looked up by a scan of the index
/// rather than a search.
const SCAN_UP_TO: usize = 8;

impl PartialEq for RequestContext {
    fn eq(&self, other: &Self) -> bool {
        self.index.len() == other.index.len()
            && self
                .index
                .keys()
                .zip(other.index.keys())
                .all(|(a, b)| a == b)
            && self.iter().eq(other.iter())
    }
}

impl Eq for RequestContext {}

impl Serialize for RequestContext {
    /// `{"entries": {lower-cased key: entry}}`, in key order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Entries<'a>(&'a RequestContext);
        impl Serialize for Entries<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(
                    self.0
                        .index
                        .iter()
                        .filter_map(|(k, i)| Some((k, self.0.entries.get(*i)?))),
                )
            }
        }
        let mut st = s.serialize_struct("RequestContext", 1)?;
        st.serialize_field("entries", &Entries(self))?;
        st.end()
    }
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key (replacing an existing one whatever its case).
    pub fn insert(&mut self, key: &str, values: Vec<String>, multivalued: bool) {
        self.insert_texts(
            key,
            values.into_iter().map(Text::from).collect(),
            multivalued,
        );
    }

    /// [`RequestContext::insert`], with values already shared.
    pub(crate) fn insert_texts(&mut self, key: &str, values: Vec<Text>, multivalued: bool) {
        let entry = ContextEntry {
            key: key.to_string(),
            values,
            multivalued,
        };
        let lower = if key.is_ascii() {
            key.to_ascii_lowercase()
        } else {
            key.to_lowercase()
        };
        match self
            .index
            .get(&lower)
            .and_then(|i| self.entries.get_mut(*i))
        {
            Some(slot) => *slot = entry,
            None => {
                self.index.insert(lower, self.entries.len());
                self.entries.push(entry);
            }
        }
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
        if key.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            self.get_folded(&key.to_lowercase())
        } else {
            self.get_folded(key)
        }
    }

    /// Looks up a key already lower-cased ([`str::to_lowercase`]).
    pub fn get_folded(&self, lower: &str) -> Option<&ContextEntry> {
        self.lookup(lower).map(|(_, e)| e)
    }

    /// A key already lower-cased: its entry and the entry's number
    /// (`0..self.len()`, stable while the context is not changed).
    pub(crate) fn lookup(&self, lower: &str) -> Option<(usize, &ContextEntry)> {
        let i = if self.index.len() <= SCAN_UP_TO {
            // a few keys (the usual request): scanned, lengths compared
            // first, which costs less than the ordered search (every
            // condition of every statement looks its key up)
            *self.index.iter().find(|(k, _)| k.as_str() == lower)?.1
        } else {
            *self.index.get(lower)?
        };
        Some((i, self.entries.get(i)?))
    }

    /// The value of a single-valued key (what a policy variable can use).
    pub fn single_value(&self, key: &str) -> Option<&str> {
        single(self.get(key))
    }

    pub fn iter(&self) -> impl Iterator<Item = &ContextEntry> {
        self.index.values().filter_map(|i| self.entries.get(*i))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

fn single(e: Option<&ContextEntry>) -> Option<&str> {
    match e {
        Some(e) if !e.multivalued && e.values.len() == 1 => e.values.first().map(Text::as_str),
        _ => None,
    }
}

impl crate::pattern::Variables for RequestContext {
    fn single_value(&self, key: &str) -> Option<&str> {
        RequestContext::single_value(self, key)
    }

    fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn single_value_folded(&self, lower: &str) -> Option<&str> {
        single(self.get_folded(lower))
    }

    fn contains_folded(&self, lower: &str) -> bool {
        self.get_folded(lower).is_some()
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
        assert_eq!(c.get("aws:sourceip").unwrap().key, "aws:sourceip");
    }

    #[test]
    fn equality_and_order_ignore_insertion_order() {
        let a = RequestContext::from_pairs([("b", vec!["1"]), ("A", vec!["2"])]);
        let b = RequestContext::from_pairs([("A", vec!["2"]), ("b", vec!["1"])]);
        assert_eq!(a, b);
        let keys: Vec<&str> = a.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["A", "b"]);
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::json!({"entries": {
                "a": {"key": "A", "values": ["2"], "multivalued": false},
                "b": {"key": "b", "values": ["1"], "multivalued": false}
            }})
        );
    }
}
