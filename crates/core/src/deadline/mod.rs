//! Deadline rules: the rule form, the parser from Vietnamese time phrases,
//! the resolver to due windows, and the rule told back in words.

mod rule;

pub use rule::*;
