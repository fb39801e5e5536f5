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

/// How well a policy matched; smaller sorts first, then by name.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// 0: the name starts with the first word; 1: the name contains it;
    /// 2: only the policy's actions name the service.
    class: u8,
    /// Policies for service-linked roles (path `/aws-service-role/`) come
    /// after the others of their class: they are not attached to users.
    service_linked: bool,
    /// Classes 0 and 1: the name's length (shorter first); class 2 and a
    /// service-only search: how many services the policy names (the most
    /// focused first).
    size: usize,
    /// Class 1: where the word starts in the name.
    at: usize,
}

impl ManagedPolicies {
    /// Policies matching `query`, best first, at most `query.limit`.
    ///
    /// - `service`: only policies whose `Action` entries name that service
    ///   prefix (`imagebuilder`, `imagebuilder:` and `ImageBuilder` alike).
    /// - `text`: every whitespace-separated word must occur in the name
    ///   (case-insensitive). Names starting with the first word come first
    ///   (shortest first), then names containing it (shortest, then
    ///   earliest match first). A one-word text that is a service prefix
    ///   also finds the policies naming that service, after the name
    ///   matches, the most focused (fewest services) first; written with a
    ///   trailing colon (`sns:`) it is a service filter.
    /// - An empty text lists every policy by name; with a service, the most
    ///   focused first.
    /// - Within each of these groups, policies for service-linked roles
    ///   (path `/aws-service-role/`) come last.
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
            let service_linked = p.path == "/aws-service-role/";
            let Some(first) = words.first() else {
                // Everything, by name; of one service, the most focused first.
                let rank = match service {
                    Some(_) => Rank {
                        class: 2,
                        service_linked,
                        size: p.services.len(),
                        at: 0,
                    },
                    None => Rank {
                        class: 0,
                        service_linked: false,
                        size: 0,
                        at: 0,
                    },
                };
                hits.push((rank, p));
                continue;
            };
            let in_name = words.iter().all(|w| lower.contains(w));
            let size = p.name.len();
            let rank = match lower.find(first) {
                Some(at) if in_name => Rank {
                    class: u8::from(at > 0),
                    service_linked,
                    size,
                    at,
                },
                _ => match single {
                    Some(w) if p.mentions_service(w) => Rank {
                        class: 2,
                        service_linked,
                        size: p.services.len(),
                        at: 0,
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
mod tests {
    use super::*;

    fn data() -> ManagedPolicies {
        let in_path = |path: &str, name: &str, services: &[&str]| {
            format!(
                r#"{{"name":"{name}","arn":"arn:aws:iam::aws:policy{path}{name}","path":"{path}","versionId":"v1","updateDate":"2024-01-01T00:00:00Z","services":{},"document":
{{}}}}"#,
                serde_json::to_string(services).unwrap()
            )
        };
        let policy = |name: &str, services: &[&str]| in_path("/", name, services);
        let ps = [
            in_path("/aws-service-role/", "S3A", &["s3"]),
            policy("AS3LongerName", &["s3"]),
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
    fn prefix_then_substring_then_service_and_service_linked_last_in_each() {
        let m = data();
        assert_eq!(
            names(m.search(&SearchQuery::new("s3"))),
            [
                "S3Helper",
                "S3A",
                "BackupS3",
                "AS3LongerName",
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
            ["S3Helper", "Everything"]
        );
        assert_eq!(
            names(m.search(&SearchQuery::new("").service("SNS:"))),
            ["S3Helper", "Everything"]
        );
        assert_eq!(
            names(m.search(&SearchQuery::new("help").service("sns"))),
            ["S3Helper"]
        );
        assert_eq!(
            names(m.search(&SearchQuery::new("").limit(3))),
            [
                "AS3LongerName",
                "AmazonS3FullAccess",
                "AmazonS3ReadOnlyAccess"
            ]
        );
    }

    #[test]
    fn query_deserializes_with_defaults() {
        let q: SearchQuery = serde_json::from_str(r#"{"text":"s3","limit":1}"#).unwrap();
        assert_eq!(q, SearchQuery::new("s3").limit(1));
    }
}
