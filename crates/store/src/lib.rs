//! Persistence of dondoc.
