//! From text to the AST, with diagnostics: the policy parser and validator,
//! the one scenario reader, and the diagnostic vocabulary (codes, classes —
//! "would AWS store it?" — AWS's error texts, "did you mean").

pub mod diagnostic;
pub mod policy;
pub mod scenario;
