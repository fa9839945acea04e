//! What several pages show the same way: an assignment's card, a report's
//! marks, the overview's charts. A page module imports these; these import
//! no page module.

pub mod assignment;
pub mod charts;
pub mod report;
