//! Failed sign-ins, throttled so that an attacker slows down and the
//! account's owner does not: failures count per (account, address) pair,
//! so guessing one account's password from one address never locks its
//! owner out from another, and an office behind one address (a proxy, a
//! NAT) is not blocked for one person's typing. Each failure past the free
//! ones doubles the wait (growing delays, not a fixed lock-out); an
//! address that fails very often across many accounts is slowed too.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures forgotten after this long without one.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures of one (account, address) pair before any wait.
pub const FREE_PER_PAIR: u32 = 5;
/// Failures of one address, over all accounts, before any wait: an office
/// of many people behind one address reaches this only under attack.
pub const FREE_PER_ADDRESS: u32 = 100;
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);

struct Record {
    failures: u32,
    last: Instant,
}

#[derive(Default)]
pub struct Throttle {
    records: Mutex<HashMap<String, Record>>,
}

/// The wait after `failures` failures of which `free` cost nothing:
/// 1 s after the first one past them, then doubling, up to `MAX_WAIT`.
fn wait_after(failures: u32, free: u32) -> Duration {
    match failures.checked_sub(free) {
        None | Some(0) => Duration::ZERO,
        Some(n) => Duration::from_secs(1u64 << (n - 1).min(20)).min(MAX_WAIT),
    }
}

fn keys(account: &str, address: &str) -> [(String, u32); 2] {
    [
        (format!("{account}|{address}"), FREE_PER_PAIR),
        (format!("*|{address}"), FREE_PER_ADDRESS),
    ]
}

impl Throttle {
    /// How long `account` must still wait from `address`, if at all.
    pub fn wait(&self, account: &str, address: &str) -> Option<Duration> {
        let map = self.records.lock().ok()?;
        keys(account, address)
            .iter()
            .filter_map(|(k, free)| {
                let r = map.get(k)?;
                let elapsed = r.last.elapsed();
                if elapsed >= WINDOW {
                    return None;
                }
                wait_after(r.failures, *free).checked_sub(elapsed)
            })
            .filter(|d| !d.is_zero())
            .max()
    }

    pub fn fail(&self, account: &str, address: &str) {
        if let Ok(mut map) = self.records.lock() {
            if map.len() > 100_000 {
                map.retain(|_, r| r.last.elapsed() < WINDOW);
            }
            for (k, _) in keys(account, address) {
                let r = map.entry(k).or_insert(Record {
                    failures: 0,
                    last: Instant::now(),
                });
                if r.last.elapsed() >= WINDOW {
                    r.failures = 0;
                }
                r.failures += 1;
                r.last = Instant::now();
            }
        }
    }

    /// A success forgets the pair's failures (not the address's).
    pub fn succeed(&self, account: &str, address: &str) {
        if let Ok(mut map) = self.records.lock() {
            map.remove(&format!("{account}|{address}"));
        }
    }
}

/// "thử lại sau 8 giây", "thử lại sau 2 phút".
pub fn wait_text(d: Duration) -> String {
    let s = d.as_secs().max(1);
    if s < 60 {
        format!("{s} giây")
    } else {
        format!("{} phút", s.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stay_bounded() {
        assert_eq!(wait_after(5, 5), Duration::ZERO);
        assert_eq!(wait_after(6, 5), Duration::from_secs(1));
        assert_eq!(wait_after(7, 5), Duration::from_secs(2));
        assert_eq!(wait_after(10, 5), Duration::from_secs(16));
        assert_eq!(wait_after(60, 5), MAX_WAIT);
    }

    #[test]
    fn the_attacker_waits_and_the_owner_does_not() {
        let t = Throttle::default();
        for _ in 0..8 {
            t.fail("tk:baolac", "ip:203.0.113.9");
        }
        assert!(t.wait("tk:baolac", "ip:203.0.113.9").is_some());
        // The owner, from their own office, is not held back.
        assert_eq!(t.wait("tk:baolac", "ip:198.51.100.7"), None);
        // A colleague behind the attacker's address neither.
        assert_eq!(t.wait("tk:baocaobang", "ip:203.0.113.9"), None);
        assert_eq!(wait_text(Duration::from_secs(8)), "8 giây");
        assert_eq!(wait_text(Duration::from_secs(61)), "2 phút");
    }
}
