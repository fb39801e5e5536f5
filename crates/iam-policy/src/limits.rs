//! The engine's named limits. Every phase is linear in its input; these
//! bound the input itself, so that nothing a user pastes, uploads or opens
//! from a link can keep the page busy. They are far above AWS's own quotas:
//! the largest policy AWS stores is a KMS key policy of 32 KB.

/// The most text a policy may have: 1 MiB.
pub const MAX_POLICY_TEXT: usize = 1024 * 1024;

/// The most text a scenario file may have: 8 MiB.
pub const MAX_SCENARIO_TEXT: usize = 8 * 1024 * 1024;

/// The message for a text over a limit.
pub(crate) fn too_large(what: &str, len: usize, limit: usize, name: &str) -> String {
    format!(
        "{what} is {} KiB, over the engine's limit {name} of {} KiB (AWS's largest policy quota is 32 KB), so it is not read",
        len.div_ceil(1024),
        limit / 1024
    )
}
