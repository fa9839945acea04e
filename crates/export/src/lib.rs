//! Documents out of dondoc, each from plain data gathered by the store:
//! the synthesis report as a Word document in the Party's format, the
//! tracking workbook, a unit's calendar feed, and the charts of the
//! dashboard drawn as SVG. Nothing here reads a database or a clock; only
//! `pdf` runs a program (LibreOffice).

pub mod charts;
pub mod error;
pub mod ics;
pub mod pdf;
pub mod synthesis;
pub mod table;
pub mod tracking;
