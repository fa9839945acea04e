//! Failed sign-ins per account and per address in a sliding window: after
//! too many, sign-in is refused for a while, without telling which part was
//! wrong.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_ACCOUNT: u32 = 5;
pub const PER_ADDRESS: u32 = 20;

impl Throttle {
    /// Minutes left before `keys` may try again, if any is over its limit.
    pub fn blocked(&self, keys: &[(String, u32)]) -> Option<u64> {
        let map = self.failures.lock().ok()?;
        keys.iter().find_map(|(k, limit)| {
            let (n, since) = map.get(k)?;
            let left = WINDOW.checked_sub(since.elapsed())?;
            (*n >= *limit).then(|| left.as_secs() / 60 + 1)
        })
    }

    pub fn fail(&self, keys: &[(String, u32)]) {
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 100_000 {
                map.retain(|_, (_, since)| since.elapsed() < WINDOW);
            }
            for (k, _) in keys {
                let e = map.entry(k.clone()).or_insert((0, Instant::now()));
                if e.1.elapsed() >= WINDOW {
                    *e = (0, Instant::now());
                }
                e.0 += 1;
            }
        }
    }

    pub fn succeed(&self, account: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(account);
        }
    }
}
