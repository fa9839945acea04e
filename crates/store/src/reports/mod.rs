//! Reports against a plan's reporting regime: which periods a regime has,
//! which units owe a report for which period, and the reports themselves
//! (figures, narrative, review, attachments).
//!
//! - A regime whose rule recurs ("hằng tháng") has one period per month (or
//!   quarter, half-year, year), from the plan's month up to the one holding
//!   today; each period's due day is its rule resolved for that period.
//! - Any other regime (the phase reports) has one period, [`SINGLE_PERIOD`],
//!   due when the regime's window in the due index says; while that window
//!   waits for an undated event, nobody owes the report yet.
//! - A unit owes a report for a period when it is one of the regime's
//!   reporters and it existed during the period: the district committees
//!   that ended on 30/06/2025 owe nothing after that.
//!
//! One report per unit, regime and period (a unique key), edited in place:
//! the first submission's day decides timeliness and is never overwritten.
//! A late report is marked late, never refused. Every change is audited in
//! the caller's transaction.
//!
//! One module per part: `regimes` (read from the database; their periods
//! are `dondoc_core::reporting`), `expected` (who owes what, a report's
//! address), `submissions` (reading, checking, saving, reviewing),
//! `lists`, `attachments`. Every public item is re-exported here.

mod attachments;
mod expected;
mod interface;
mod lists;
mod regimes;
mod submissions;

pub use attachments::*;
pub use expected::*;
pub use interface::{FileIn, ReportState};
pub use lists::*;
pub use regimes::*;
pub use submissions::*;

/// Largest figure accepted: 10^12 (far beyond any real count, well within i64).
pub const MAX_FIGURE: i64 = 1_000_000_000_000;
/// Longest narrative, in characters.
pub const MAX_NARRATIVE: usize = 20_000;
/// Longest review comment, in characters.
pub const MAX_COMMENT: usize = 2_000;
/// Largest attachment: 10 MB.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;
