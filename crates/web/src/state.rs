//! What every handler shares.

use crate::passwords::Hashing;
use crate::throttle::Throttle;
use dondoc_store::Store;
use jiff::civil::Date;
use std::sync::Arc;

/// The service's "today": Vietnam's date, or a fixed day for demos and tests.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    pub fixed: Option<Date>,
}

impl Clock {
    pub fn today(&self) -> Date {
        self.fixed
            .unwrap_or_else(dondoc_core::text::today_in_vietnam)
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
    /// The address the service is reached at from outside
    /// (`serve --public-url`), without a trailing slash: the base of the
    /// addresses it gives out (a unit's calendar feed).
    pub public_url: Option<String>,
    /// The reverse proxy whose `X-Forwarded-For` names the client
    /// (`serve --trusted-proxy`).
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Charts drawn, kept while the data they were drawn from is unchanged.
    pub charts: Arc<ChartCache>,
}

/// Drawn charts by (chart, plan, day), each with the data version it was
/// drawn from: a dashboard view then costs one small query, not three
/// readings of the whole plan.
/// Which chart, of which plan, on which day.
type ChartKey = (u8, i64, Date);

#[derive(Default)]
pub struct ChartCache {
    entries: std::sync::Mutex<std::collections::HashMap<ChartKey, (String, Arc<String>)>>,
}

impl ChartCache {
    pub fn get(&self, key: &ChartKey, version: &str) -> Option<Arc<String>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(v, _)| v == version)
            .map(|(_, svg)| svg.clone())
    }

    pub fn put(&self, key: ChartKey, version: String, svg: Arc<String>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // Few plans, three charts, a day at a time: a bound, not a policy.
        if entries.len() > 64 {
            entries.clear();
        }
        entries.insert(key, (version, svg));
    }
}

impl AppState {
    pub fn new(store: Store, clock: Clock) -> Self {
        AppState {
            store,
            clock,
            hashing: Arc::new(Hashing::new(2)),
            throttle: Arc::new(Throttle::default()),
            secure_cookies: false,
            public_url: None,
            trusted_proxy: None,
            charts: Arc::new(ChartCache::default()),
        }
    }
}
