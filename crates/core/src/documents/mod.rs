//! The data every document dondoc writes is made from — the synthesis
//! report, the tracking workbook, a unit's calendar feed, the dashboard's
//! charts — as plain values. The store gathers them from the database as of
//! one day; `dondoc_export` writes the words and lays them out (DOCX, XLSX,
//! iCalendar, SVG). One file per document.

pub mod charts;
pub mod feed;
pub mod synthesis;
pub mod tracking;
