//! Deadline rules: the rule form, the parser from Vietnamese time phrases,
//! the resolver to due windows, and the rule told back in words.

mod parse;
mod rule;

pub use parse::{ParseError, Reason, parse};
pub use rule::*;
