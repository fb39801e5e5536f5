//! Share links: any fragment text, and any payload packed as a link (so
//! that the limits and the scenario reader see arbitrary content); what
//! opens is evaluated, as the playground does.
#![no_main]

use iam_policy::check_scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(fragment) = std::str::from_utf8(data) {
        if let Ok(scenario) = iam_share::decode_scenario(fragment) {
            let _ = check_scenario(&scenario, "link");
        }
        let _ = iam_share::decode_payload(fragment);
    }
    let link = iam_share::encode_bytes(data);
    match iam_share::decode_scenario(&link) {
        Ok(scenario) => {
            let _ = check_scenario(&scenario, "link");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
