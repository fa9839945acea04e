//! Deadline rules: the rule form, the parser from Vietnamese time phrases,
//! the resolver to due windows, and the rule told back in words.

mod parse;
mod resolve;
mod rule;
mod words;

pub use parse::{ParseError, Reason, parse};
pub use resolve::{CalEvent, Calendar, Context, depends_on, no_rule, resolve};
pub use rule::*;
pub use words::{day_text, describe, period_text};
