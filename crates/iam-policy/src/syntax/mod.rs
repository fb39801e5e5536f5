//! Text with positions: a strict JSON parser that keeps the span of every
//! value and key (line and column counted in characters) and keeps duplicate
//! keys, so that problems can be reported where they are.

pub mod json;
pub mod span;
pub mod text;
