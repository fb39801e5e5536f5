//! Explanations as data, for every front end (command line, npm package,
//! widget, playground): the sentences (`sentences`) and the explanation tree
//! built from them (`tree`).

pub mod sentences;
pub mod tree;
pub mod whatif;

pub use sentences::*;
pub use tree::*;
pub use whatif::*;
