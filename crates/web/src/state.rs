//! What every handler shares.

use crate::auth::{Hashing, Throttle};
use dondoc_store::Store;
use jiff::civil::Date;
use jiff::tz::Offset;
use std::sync::Arc;

/// The service's "today": Vietnam's date, or a fixed day for demos and tests.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    pub fixed: Option<Date>,
}

impl Clock {
    pub fn today(&self) -> Date {
        self.fixed.unwrap_or_else(|| {
            Offset::constant(7)
                .to_datetime(jiff::Timestamp::now())
                .date()
        })
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub hashing: Arc<Hashing>,
    pub throttle: Arc<Throttle>,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, clock: Clock) -> Self {
        AppState {
            store,
            clock,
            hashing: Arc::new(Hashing::new(2)),
            throttle: Arc::new(Throttle::default()),
            secure_cookies: false,
        }
    }
}
