//! dondoc's domain: plans, units, events, tasks and deadline rules.
//! Pure logic, no I/O: everything here can be tested with plain values.

pub mod calendar;
pub mod deadline;
pub mod documents;
pub mod due;
pub mod plan;
pub mod plan_file;
pub mod reporting;
pub mod text;
