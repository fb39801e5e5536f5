//! Scenario files as the command line and the playground read them: read,
//! then every request decided with full traces.
#![no_main]

use iam_policy::{check_scenario, Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(scenario) = Scenario::from_json(text) {
        let _ = check_scenario(&scenario, "fuzz.json");
    }
});
