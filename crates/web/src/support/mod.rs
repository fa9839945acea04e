//! Request plumbing every page and API module shares: ids and query
//! parameters read from the address, bodies with their CSRF token, uploads,
//! downloads, addresses.
//!
//! The rule that keeps the crate free of import cycles: nothing here
//! imports a page module (dashboard, plan, units, …) nor `guard`. Pages and
//! guards build on this; this builds on `error`, `session` and `state` only.

pub mod csrf;
pub mod download;
pub mod forms;
pub mod headers;
pub mod ids;
pub mod query;
pub mod upload;
pub mod url;
