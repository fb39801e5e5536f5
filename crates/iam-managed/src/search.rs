//! Search by name and by service.

use crate::{ManagedPolicies, ManagedPolicy};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// What to search for: see [`ManagedPolicies::search`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SearchQuery {
    /// Words to find in the name (case-insensitive); one word may also be a
    /// service prefix. `imagebuilder:` (with a colon) means that service only.
    pub text: String,
    /// Only policies whose actions name this service prefix.
    pub service: Option<String>,
    /// At most this many results.
    pub limit: Option<usize>,
}

impl SearchQuery {
    /// A query for these words.
    pub fn new(text: impl Into<String>) -> Self {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
    }

    /// Only policies whose actions mention this service prefix.
    pub fn service(mut self, prefix: impl Into<String>) -> Self {
        self.service = Some(prefix.into());
        self
    }

    /// At most `n` results.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }
}

/// How well a policy matched; smaller sorts first.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// The name starts with the first word: shorter names first.
    NamePrefix { len: usize },
    /// The name contains the first word: earlier, then shorter, first.
    NameContains { at: usize, len: usize },
    /// Only the policy's actions name the service: the policies naming the
    /// fewest services (the most focused) first.
    Service { services: usize },
}

impl ManagedPolicies {
    /// Policies matching `query`, best first, at most `query.limit`.
    ///
    /// - `service`: only policies whose `Action` entries name that service
    ///   prefix (`imagebuilder`, `imagebuilder:` and `ImageBuilder` alike).
    /// - `text`: every whitespace-separated word must occur in the name
    ///   (case-insensitive). Names starting with the first word come first
    ///   (shortest first), then names containing it (earliest, then shortest
    ///   first). A one-word text that is a service prefix also finds the
    ///   policies naming that service, after the name matches; written with
    ///   a trailing colon (`sns:`) it finds only those.
    /// - An empty text lists every policy (of the service), by name.
    ///
    /// Linear in the number of policies; ties break by name.
    pub fn search(&self, query: &SearchQuery) -> Vec<&ManagedPolicy> {
        let text = query.text.trim().to_lowercase();
        let mut words: Vec<&str> = text.split_whitespace().collect();
        let mut service = query
            .service
            .as_deref()
            .map(|s| s.trim().trim_end_matches(':').to_lowercase())
            .filter(|s| !s.is_empty());
        // "sns:" alone is a service filter.
        if let [only] = words.as_slice() {
            if let Some(prefix) = only.strip_suffix(':') {
                if service.is_none() && !prefix.is_empty() {
                    service = Some(prefix.to_owned());
                    words.clear();
                }
            }
        }
        let single = match words.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        let mut hits: Vec<(Rank, &ManagedPolicy)> = Vec::new();
        for (lower, p) in self.lower.iter().zip(&self.policies) {
            if let Some(s) = &service {
                if !p.mentions_service(s) {
                    continue;
                }
            }
            let len = p.name.len();
            let Some(first) = words.first() else {
                hits.push((Rank::NamePrefix { len: 0 }, p));
                continue;
            };
            let in_name = words.iter().all(|w| lower.contains(w));
            let rank = match lower.find(first) {
                Some(0) if in_name => Rank::NamePrefix { len },
                Some(at) if in_name => Rank::NameContains { at, len },
                _ => match single {
                    Some(w) if p.mentions_service(w) => Rank::Service {
                        services: p.services.len(),
                    },
                    _ => continue,
                },
            };
            hits.push((rank, p));
        }
        hits.sort_by(|(ra, a), (rb, b)| match ra.cmp(rb) {
            Ordering::Equal => a.name.cmp(&b.name),
            other => other,
        });
        let limit = query.limit.unwrap_or(usize::MAX);
        hits.into_iter().take(limit).map(|(_, p)| p).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn data() -> ManagedPolicies {
        let policy = |name: &str, services: &[&str]| {
            format!(
                r#"{{"name":"{name}","arn":"arn:aws:iam::aws:policy/{name}","path":"/","versionId":"v1","updateDate":"2024-01-01T00:00:00Z","services":{},"document":
{{}}}}"#,
                serde_json::to_string(services).unwrap()
            )
        };
        let ps = [
            policy("AmazonS3FullAccess", &["s3"]),
            policy("AmazonS3ReadOnlyAccess", &["s3"]),
            policy("S3Helper", &["s3", "sns"]),
            policy("BackupS3", &["backup"]),
            policy("DataLake", &["glue", "s3"]),
            policy("Everything", &["glue", "s3", "sns"]),
        ];
        let text = format!(
            r#"{{"format":1,"source":{{"package":"p","version":"1","license":"MIT","latestUpdate":"x"}},"count":{},"policies":[{}]}}"#,
            ps.len(),
            ps.join(",\n")
        );
        ManagedPolicies::from_json(&text).unwrap()
    }

    fn names(v: Vec<&ManagedPolicy>) -> Vec<&str> {
        v.into_iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn prefix_then_substring_then_service() {
        let m = data();
        assert_eq!(
            names(m.search(&SearchQuery::new("s3"))),
            [
                "S3Helper",
                "BackupS3",
                "AmazonS3FullAccess",
                "AmazonS3ReadOnlyAccess",
                "DataLake",
                "Everything"
            ]
        );
    }

    #[test]
    fn all_words_must_match_and_case_is_ignored() {
        let m = data();
        assert_eq!(
            names(m.search(&SearchQuery::new("AMAZON readonly"))),
            ["AmazonS3ReadOnlyAccess"]
        );
        assert!(m.search(&SearchQuery::new("s3 nothing")).is_empty());
    }

    #[test]
    fn service_filter_and_colon_syntax() {
        let m = data();
        assert_eq!(
            names(m.search(&SearchQuery::new("sns:"))),
            ["Everything", "S3Helper"]
        );
        assert_eq!(
            names(m.search(&SearchQuery::new("").service("SNS:"))),
            ["Everything", "S3Helper"]
        );
        assert_eq!(
            names(m.search(&SearchQuery::new("help").service("sns"))),
            ["S3Helper"]
        );
        assert_eq!(
            names(m.search(&SearchQuery::new("").limit(2))),
            ["AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"]
        );
    }

    #[test]
    fn query_deserializes_with_defaults() {
        let q: SearchQuery = serde_json::from_str(r#"{"text":"s3","limit":1}"#).unwrap();
        assert_eq!(q, SearchQuery::new("s3").limit(1));
    }
}
