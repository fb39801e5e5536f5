//! Share links are untrusted input: a few kilobytes of a repetitive payload
//! inflate about 700:1. Every limit refuses its link with a message naming
//! it, quickly, before the engine reads (let alone evaluates) anything. The
//! links are generated here.
// The links are made and read with the crate's own codec.
#![cfg(feature = "deflate")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_share::{
    decode_scenario, decode_scenario_text, encode_bytes, ShareError, MAX_CONTEXT_KEYS,
    MAX_POLICY_TEXT, MAX_REQUEST_TEXT,
};
use serde_json::json;
use std::time::{Duration, Instant};

/// 200 ms in a release build; a debug build (`cargo test`) runs this code
/// about ten times slower.
fn budget() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(2)
    } else {
        Duration::from_millis(200)
    }
}

/// Decodes a link, checks it is refused in time, returns the message.
#[track_caller]
fn refused(name: &str, link: &str, limit: &str) -> String {
    let t0 = Instant::now();
    let result = decode_scenario(link);
    let took = t0.elapsed();
    eprintln!("{name}: link of {} bytes refused in {took:?}", link.len());
    let err = match result {
        Err(e @ ShareError::TooLarge(_)) => e.to_string(),
        other => panic!("{name}: expected a refusal, got {other:?}"),
    };
    assert!(err.contains(limit), "{name}: {err}");
    assert!(err.contains("nothing in it was evaluated"), "{err}");
    assert!(took < budget(), "{name}: {took:?}");
    err
}

fn scenario_link(policy_text: &str, requests: serde_json::Value) -> String {
    let s = json!({"policies": {"identity": [policy_text]}, "requests": requests});
    encode_bytes(&serde_json::to_vec(&s).unwrap())
}

fn request() -> serde_json::Value {
    json!({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"})
}

#[test]
fn a_few_kilobytes_inflating_to_4_mib_of_unclosed_variables_are_refused() {
    // The issue's link: 4 MiB of `${` in a Resource, 5.8 KB once compressed.
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{}"}}]}}"#,
        "${".repeat(2 * 1024 * 1024)
    );
    let link = scenario_link(&policy, json!([request()]));
    assert!(link.len() < 16 * 1024, "{}", link.len());
    let msg = refused("4 MiB of ${", &link, "MAX_PAYLOAD");
    assert!(msg.contains("more than 1,048,576 bytes"), "{msg}");
}

#[test]
fn a_policy_over_the_policy_limit_is_refused() {
    // 600 KB of `${` fits in the payload, not in one policy.
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{}"}}]}}"#,
        "${".repeat(300_000)
    );
    let link = scenario_link(&policy, json!([request()]));
    assert!(link.len() < 8 * 1024, "{}", link.len());
    let msg = refused("600 KB policy", &link, "MAX_POLICY_TEXT");
    assert!(msg.contains("policy identity/0 is 600,"), "{msg}");
    // A policy object is measured as the engine pretty-prints it.
    let big: Vec<serde_json::Value> = (0..20_000)
        .map(|i| json!({"Sid": format!("S{i}")}))
        .collect();
    let s = json!({"policies": {"resource": {"Version": "2012-10-17", "Statement": big}}, "requests": []});
    let link = encode_bytes(&serde_json::to_vec(&s).unwrap());
    let msg = refused("policy object", &link, "MAX_POLICY_TEXT");
    assert!(msg.contains("policy resource is more than"), "{msg}");
}

#[test]
fn a_giant_string_like_pattern_and_value_are_refused() {
    // A 50,000-character StringLike pattern is a fine policy; the request
    // value as long is not a context value.
    let pattern = "*a".repeat(25_000);
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {{"StringLike": {{"aws:userid": "{pattern}b"}}}}}}]}}"#
    );
    let mut r = request();
    r["context"] = json!({"aws:userid": "a".repeat(50_000)});
    let link = scenario_link(&policy, json!([r]));
    let msg = refused("StringLike value", &link, "MAX_REQUEST_TEXT");
    assert!(
        msg.contains("a value of request 0's context key aws:userid is 50,000 bytes"),
        "{msg}"
    );
    assert!(msg.contains(&format!("{MAX_REQUEST_TEXT}").replace("4096", "4,096")));
}

#[test]
fn thirty_thousand_context_keys_are_refused() {
    let mut r = request();
    let ctx: serde_json::Map<String, serde_json::Value> = (0..30_000)
        .map(|i| (format!("aws:PrincipalTag/k{i}"), json!("v")))
        .collect();
    r["context"] = serde_json::Value::Object(ctx);
    let link = scenario_link("{}", json!([r]));
    let msg = refused("30,000 context keys", &link, "MAX_CONTEXT_KEYS");
    assert!(msg.contains("30,000 keys"), "{msg} ({MAX_CONTEXT_KEYS})");
}

#[test]
fn too_many_requests_policies_and_their_product_are_refused() {
    let link = scenario_link("{}", json!(vec![request(); 1_001]));
    refused("1,001 requests", &link, "MAX_REQUESTS");
    let s = json!({"policies": {"identity": vec!["{}"; 101]}, "requests": []});
    refused(
        "101 policies",
        &encode_bytes(&serde_json::to_vec(&s).unwrap()),
        "MAX_POLICIES",
    );
    // 1,000 requests against 120 KB of policies: each request is decided
    // against every policy.
    let policy = format!(r#"{{"Statement": [], "Sid": "{}"}}"#, "x".repeat(120_000));
    let link = scenario_link(&policy, json!(vec![request(); 1_000]));
    refused("1,000 requests × 120 KB", &link, "MAX_EVALUATION_SIZE");
}

#[test]
fn scenarios_within_the_limits_open() {
    // A policy just under the limit, a request with long (legal) values.
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}}"#,
        "A".repeat(MAX_POLICY_TEXT - 200)
    );
    let mut r = request();
    r["context"] = json!({"aws:TagKeys": vec!["k"; 500], "aws:userid": "u".repeat(2_000)});
    let link = scenario_link(&policy, json!([r]));
    let text = decode_scenario_text(&link).unwrap();
    assert!(text.len() > MAX_POLICY_TEXT - 200);
    let s = decode_scenario(&link).unwrap();
    assert_eq!(s.requests.len(), 1);
}
