//! Reminders: where each unit's daily digest goes, whether it wants one, and
//! what the digest says — its open assignments overdue or falling due in the
//! coming days, by the same rules as the overview's lists
//! (`dashboard::assignments_due`): resolved windows of the due index only,
//! neither done nor cancelled, nothing owed by a unit after it ended.
//!
//! Also the secret token of a unit's private calendar feed, kept in the same
//! row: one row per unit, made on first use.

use crate::audit;
use crate::error::{Result, StoreError};
use crate::{Store, due_index, units};
use dondoc_core::deadline::{self, PeriodSpec, Rule, Shape};
use dondoc_core::due::Due;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// Longest address accepted (RFC 5321's limit on a path).
const MAX_EMAIL_CHARS: usize = 254;

/// A unit's reminder settings. A unit never set has no address and
/// reminders on: it gets mail as soon as someone gives it an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub unit_id: i64,
    pub email: Option<String>,
    pub reminders_enabled: bool,
    pub updated_at: Option<String>,
}

/// One assignment in a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestItem {
    pub assignment_id: i64,
    /// The plan's number, "390-KH/TU".
    pub plan: String,
    /// The task's reference in the plan, "V.1.1.4".
    pub reference: String,
    pub task: String,
    /// The deadline in words: "trước ngày 05/02/2025", "trong tháng 11/2024",
    /// "chậm nhất 07/10/2025".
    pub window: String,
    /// The last day of the window that put it in the list.
    #[serde(serialize_with = "iso_date")]
    pub last_day: Date,
    /// Days left (due soon: 0 is today) or days late (overdue: 1 or more).
    pub days: i64,
}

/// `YYYY-MM-DD`, as dates are everywhere else in the JSON.
fn iso_date<S: serde::Serializer>(d: &Date, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// What one unit is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digest {
    pub unit_id: i64,
    pub unit: String,
    pub email: String,
    /// Earliest last day first.
    pub due_soon: Vec<DigestItem>,
    /// Longest overdue first.
    pub overdue: Vec<DigestItem>,
}

/// A plausible single mailbox, trimmed; `Invalid` with a Vietnamese reason
/// otherwise. Stricter than RFC 5322 on purpose: no display names, quotes,
/// comments or line breaks, which have no place in a stored address and
/// could smuggle headers into a message.
pub fn check_email(s: &str) -> Result<String> {
    let s = s.trim();
    let bad = |why: &str| StoreError::Invalid(format!("địa chỉ thư «{s}» không hợp lệ: {why}"));
    if s.chars().count() > MAX_EMAIL_CHARS {
        return Err(bad("quá dài"));
    }
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
    {
        return Err(bad("có dấu cách hoặc ký tự không được phép"));
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(bad("thiếu «@»"));
    };
    if local.is_empty() || domain.contains('@') {
        return Err(bad("viết dạng ten@ten-mien"));
    }
    if domain.is_empty() || domain.split('.').any(str::is_empty) {
        return Err(bad("tên miền sau «@» không đúng"));
    }
    Ok(s.to_string())
}

/// A unit's settings (defaults when it has none yet).
pub async fn contact(conn: &mut AnyConnection, unit_id: i64) -> Result<Contact> {
    let row = sqlx::query(
        "select email, reminders_enabled, updated_at from unit_contacts where unit_id = $1",
    )
    .bind(unit_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => Contact {
            unit_id,
            email: r.try_get("email")?,
            reminders_enabled: r.try_get::<i64, _>("reminders_enabled")? != 0,
            updated_at: r.try_get("updated_at")?,
        },
        None => Contact {
            unit_id,
            email: None,
            reminders_enabled: true,
            updated_at: None,
        },
    })
}

/// Takes the write lock on the unit's row before anything is read (see
/// `assignments::update`: on SQLite a transaction that reads and then
/// writes fails if another writer committed in between), and checks that
/// the unit exists.
async fn lock_unit(conn: &mut AnyConnection, unit_id: i64) -> Result<()> {
    sqlx::query("update unit_contacts set unit_id = unit_id where unit_id = $1")
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
    if units::row(conn, unit_id).await?.is_none() {
        return Err(StoreError::Invalid(format!("không có đơn vị mã {unit_id}")));
    }
    Ok(())
}

fn snapshot(c: &Contact) -> serde_json::Value {
    json!({ "email": c.email, "reminders_enabled": c.reminders_enabled })
}

/// Sets (or, with `None` or a blank, removes) the address a unit's digest
/// goes to; audited.
pub async fn set_contact(
    conn: &mut AnyConnection,
    unit_id: i64,
    email: Option<&str>,
    actor: &str,
) -> Result<Contact> {
    let email = email
        .filter(|e| !e.trim().is_empty())
        .map(check_email)
        .transpose()?;
    lock_unit(conn, unit_id).await?;
    let before = contact(conn, unit_id).await?;
    sqlx::query(
        "insert into unit_contacts (unit_id, email, updated_at) values ($1, $2, $3)
         on conflict (unit_id) do update set email = excluded.email,
             updated_at = excluded.updated_at",
    )
    .bind(unit_id)
    .bind(email.as_deref())
    .bind(jiff::Timestamp::now().to_string())
    .execute(&mut *conn)
    .await?;
    let after = contact(conn, unit_id).await?;
    audit::record(
        conn,
        actor,
        "unit.contact",
        "unit",
        &unit_id.to_string(),
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    )
    .await?;
    Ok(after)
}

/// Turns a unit's digest on or off; audited.
pub async fn set_reminders(
    conn: &mut AnyConnection,
    unit_id: i64,
    enabled: bool,
    actor: &str,
) -> Result<Contact> {
    lock_unit(conn, unit_id).await?;
    let before = contact(conn, unit_id).await?;
    sqlx::query(
        "insert into unit_contacts (unit_id, reminders_enabled, updated_at) values ($1, $2, $3)
         on conflict (unit_id) do update set reminders_enabled = excluded.reminders_enabled,
             updated_at = excluded.updated_at",
    )
    .bind(unit_id)
    .bind(i64::from(enabled))
    .bind(jiff::Timestamp::now().to_string())
    .execute(&mut *conn)
    .await?;
    let after = contact(conn, unit_id).await?;
    audit::record(
        conn,
        actor,
        "unit.reminders",
        "unit",
        &unit_id.to_string(),
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    )
    .await?;
    Ok(after)
}

/// 32 random bytes in hex, as session tokens are made.
fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Database(sqlx::Error::Io(std::io::Error::other(e))))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The SHA-256 of a feed's secret, in hex: what is stored.
fn feed_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Turns the secrets stored before migration 0011 into their hashes; cheap
/// (a row per unit with a feed), run on opening.
pub async fn hash_stored_feed_tokens(conn: &mut AnyConnection) -> Result<()> {
    let rows =
        sqlx::query("select unit_id, feed_token from unit_contacts where feed_token is not null")
            .fetch_all(&mut *conn)
            .await?;
    for r in rows {
        let token: String = r.try_get("feed_token")?;
        sqlx::query(
            "update unit_contacts set feed_hash = $1, feed_token = null,
                 feed_made_at = coalesce(feed_made_at, updated_at)
             where unit_id = $2",
        )
        .bind(feed_hash(&token))
        .bind(r.try_get::<i64, _>("unit_id")?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// When the unit's feed address was made, if it has one.
pub async fn feed_made(conn: &mut AnyConnection, unit_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query("select feed_made_at, feed_hash from unit_contacts where unit_id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .and_then(|r| {
                let hash: Option<String> = r.try_get("feed_hash").ok().flatten();
                hash.map(|_| {
                    r.try_get::<Option<String>, _>("feed_made_at")
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                })
            }),
    )
}

/// Makes a new secret for the unit's feed and returns it, the one time it
/// is seen: the old address stops working. Audited (without the secret).
pub async fn new_feed_token(conn: &mut AnyConnection, unit_id: i64, actor: &str) -> Result<String> {
    if units::row(conn, unit_id).await?.is_none() {
        return Err(StoreError::Invalid(format!("không có đơn vị mã {unit_id}")));
    }
    let before = feed_made(conn, unit_id).await?;
    let token = random_token()?;
    let now = jiff::Timestamp::now().to_string();
    sqlx::query(
        "insert into unit_contacts (unit_id, feed_hash, feed_made_at) values ($1, $2, $3)
         on conflict (unit_id) do update
             set feed_hash = excluded.feed_hash, feed_made_at = excluded.feed_made_at,
                 feed_token = null",
    )
    .bind(unit_id)
    .bind(feed_hash(&token))
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        if before.is_some() {
            "unit.feed_replaced"
        } else {
            "unit.feed_made"
        },
        "unit",
        &unit_id.to_string(),
        before.map(|at| serde_json::json!({ "feed_made_at": at })),
        Some(serde_json::json!({ "feed_made_at": now })),
    )
    .await?;
    Ok(token)
}

/// The unit whose feed the token opens.
pub async fn unit_by_feed_token(conn: &mut AnyConnection, token: &str) -> Result<Option<i64>> {
    if token.is_empty() {
        return Ok(None);
    }
    Ok(
        sqlx::query("select unit_id from unit_contacts where feed_hash = $1")
            .bind(feed_hash(token))
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get("unit_id"))
            .transpose()?,
    )
}

/// Whether the rule's words name its dates by themselves ("trước ngày
/// 05/02/2025", "trong tháng 11/2024"); otherwise the resolved window is
/// said instead ("chậm nhất 07/10/2025" rather than "1 tuần trước khai mạc
/// …", which tells a reader nothing about when).
fn names_its_dates(rule: &Rule) -> bool {
    match &rule.shape {
        Shape::Date { date, .. } => date.year.is_some(),
        Shape::Period { period, .. } => match period {
            PeriodSpec::Month { year, .. }
            | PeriodSpec::Quarter { year, .. }
            | PeriodSpec::Half { year, .. } => year.is_some(),
            PeriodSpec::Year { .. } => true,
        },
        Shape::Range { start, end } => names_its_dates(start) && names_its_dates(end),
        _ => false,
    }
}

fn window_text(rule: Option<&Rule>, due: &Due) -> String {
    match rule {
        Some(r) if names_its_dates(r) => deadline::describe(r),
        _ => due.text(),
    }
}

/// Open assignments of units that want reminders, with the earliest
/// resolved window whose last day is within `from..=to`, by unit (plan
/// order), then by that day. The filters are `dashboard::assignments_due`'s.
const DUE_IN_RANGE: &str = "
    select a.assignment_id, a.unit_id, u.name as unit_name, c.email,
           p.number as plan_number, t.ref as task_ref, t.text as task_text, t.rule_json,
           x.from_date, x.to_date, x.state, x.waits_for, x.event_label, x.anchor
    from (select w.owner_id, w.from_date, w.to_date, w.state, w.waits_for, w.event_label,
                 w.anchor,
                 row_number() over (partition by w.owner_id order by w.to_date, w.seq) as rn
          from due_windows w
          where w.owner = 'assignment' and w.state = 'resolved'
            and w.to_date >= $1 and w.to_date <= $2) x
    join assignments a on a.assignment_id = x.owner_id
    join tasks t on t.task_id = a.task_id
    join plans p on p.plan_id = t.plan_id
    join units u on u.unit_id = a.unit_id
    join unit_contacts c on c.unit_id = a.unit_id
    where x.rn = 1 and a.status not in ('done', 'cancelled')
      and c.email is not null and c.email <> '' and c.reminders_enabled = 1
      and (u.valid_to is null or u.valid_to >= $3)
      and (u.valid_to is null or x.to_date <= u.valid_to)
    order by a.unit_id, x.to_date, p.plan_id, t.position";

async fn due_in_range(
    conn: &mut AnyConnection,
    from: &str,
    to: &str,
    today: Date,
    overdue: bool,
    out: &mut Vec<Digest>,
) -> Result<()> {
    let rows = sqlx::query(DUE_IN_RANGE)
        .bind(from)
        .bind(to)
        .bind(today.to_string())
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let due = due_index::due_from_row(&row)?;
        let last: String = row.try_get("to_date")?;
        let last_day: Date = last
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("ngày «{last}»")))?;
        let span = last_day
            .since(today)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let days = i64::from(span.get_days());
        let rule: Option<String> = row.try_get("rule_json")?;
        let rule: Option<Rule> = rule.map(|r| serde_json::from_str(&r)).transpose()?;
        let item = DigestItem {
            assignment_id: row.try_get("assignment_id")?,
            plan: row.try_get("plan_number")?,
            reference: row.try_get("task_ref")?,
            task: row.try_get("task_text")?,
            window: window_text(rule.as_ref(), &due),
            last_day,
            days: if overdue { -days } else { days },
        };
        let unit_id: i64 = row.try_get("unit_id")?;
        let at = match out.iter().position(|d| d.unit_id == unit_id) {
            Some(i) => i,
            None => {
                out.push(Digest {
                    unit_id,
                    unit: row.try_get("unit_name")?,
                    email: row.try_get("email")?,
                    due_soon: Vec::new(),
                    overdue: Vec::new(),
                });
                out.len() - 1
            }
        };
        if overdue {
            out[at].overdue.push(item);
        } else {
            out[at].due_soon.push(item);
        }
    }
    Ok(())
}

/// Every digest to send as of `today`: one per unit that has an address,
/// wants reminders, still exists, and has something overdue (a last day
/// before today) or falling due within `days` days (today to today +
/// `days`, as the overview's "sắp đến hạn"). Units with nothing to say are
/// left out. Ordered by unit id (the plan's order of units).
pub async fn digests(conn: &mut AnyConnection, today: Date, days: u32) -> Result<Vec<Digest>> {
    let yesterday = today
        .yesterday()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let horizon = today
        .checked_add(i64::from(days).days())
        .map_err(|e| StoreError::Invalid(format!("số ngày {days}: {e}")))?;
    let mut out = Vec::new();
    due_in_range(
        conn,
        "0000-01-01",
        &yesterday.to_string(),
        today,
        true,
        &mut out,
    )
    .await?;
    due_in_range(
        conn,
        &today.to_string(),
        &horizon.to_string(),
        today,
        false,
        &mut out,
    )
    .await?;
    out.sort_by_key(|d| d.unit_id);
    Ok(out)
}

impl Store {
    /// A unit's reminder settings.
    pub async fn contact(&self, unit_id: i64) -> Result<Contact> {
        let mut conn = self.pool.acquire().await?;
        contact(&mut conn, unit_id).await
    }

    /// Sets or removes a unit's digest address (see `set_contact`).
    pub async fn set_contact(
        &self,
        unit_id: i64,
        email: Option<&str>,
        actor: &str,
    ) -> Result<Contact> {
        let email = email.map(str::to_string);
        let actor = actor.to_string();
        self.write(move |conn| {
            Box::pin(async move { set_contact(conn, unit_id, email.as_deref(), &actor).await })
        })
        .await
    }

    /// Turns a unit's digest on or off.
    pub async fn set_reminders(&self, unit_id: i64, enabled: bool, actor: &str) -> Result<Contact> {
        let actor = actor.to_string();
        self.write(move |conn| {
            Box::pin(async move { set_reminders(conn, unit_id, enabled, &actor).await })
        })
        .await
    }

    /// The digests to send as of `today` (see `digests`), read in one
    /// transaction so that both lists see the same data.
    pub async fn digests(&self, today: Date, days: u32) -> Result<Vec<Digest>> {
        let mut tx = self.pool.begin().await?;
        let out = digests(&mut tx, today, days).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// When the unit's feed address was made (`None`: it has none yet).
    pub async fn feed_made(&self, unit_id: i64) -> Result<Option<String>> {
        let mut conn = self.pool.acquire().await?;
        feed_made(&mut conn, unit_id).await
    }

    /// A new secret for the unit's feed, the old one void (see
    /// [`new_feed_token`]).
    pub async fn new_feed_token(&self, unit_id: i64, actor: &str) -> Result<String> {
        let mut tx = self.begin().await?;
        let token = new_feed_token(&mut tx, unit_id, actor).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The unit whose feed a token opens, if any.
    pub async fn unit_by_feed_token(&self, token: &str) -> Result<Option<i64>> {
        let mut conn = self.pool.acquire().await?;
        unit_by_feed_token(&mut conn, token).await
    }
}

impl Store {
    /// Sets where a unit's digest goes and whether it wants one, writing
    /// and auditing only what changed, in one transaction of the group
    /// commit; a setting sent unchanged is neither written nor audited.
    pub async fn save_reminders(
        &self,
        unit_id: i64,
        email: Option<String>,
        enabled: bool,
        actor: &str,
    ) -> Result<Contact> {
        let before = self.contact(unit_id).await?;
        let email = email
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty());
        let new_email = email != before.email;
        let new_switch = enabled != before.reminders_enabled;
        if !new_email && !new_switch {
            return Ok(before);
        }
        let actor = actor.to_string();
        self.write(move |conn| {
            Box::pin(async move {
                let mut after = None;
                if new_email {
                    after = Some(set_contact(conn, unit_id, email.as_deref(), &actor).await?);
                }
                if new_switch {
                    after = Some(set_reminders(conn, unit_id, enabled, &actor).await?);
                }
                match after {
                    Some(c) => Ok(c),
                    None => contact(conn, unit_id).await,
                }
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert_eq!(
            check_email("  vp@caobang.gov.vn ").unwrap(),
            "vp@caobang.gov.vn"
        );
        for bad in [
            "",
            "vp",
            "@caobang.gov.vn",
            "vp@",
            "vp@@caobang.gov.vn",
            "vp@caobang..vn",
            "Văn phòng <vp@caobang.gov.vn>",
            "vp@caobang.gov.vn\r\nBcc: x@y.z",
            "a b@c.d",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dated_rules_are_said_in_their_own_words() {
        let due = Due {
            from: None,
            to: Some("2025-02-04".into()),
            state: dondoc_core::due::DueState::Resolved,
            waits_for: None,
            event: None,
            anchor: None,
        };
        let rule = deadline::parse("trước ngày 05/02/2025").unwrap();
        assert_eq!(window_text(Some(&rule), &due), "trước ngày 05/02/2025");
        let rule = deadline::parse("trong tháng 11/2024").unwrap();
        assert_eq!(window_text(Some(&rule), &due), "trong tháng 11/2024");
        let rule = deadline::parse(
            "Chậm nhất 01 tuần trước ngày diễn ra phiên khai mạc Đại hội XX Đảng bộ tỉnh",
        )
        .unwrap();
        assert_eq!(window_text(Some(&rule), &due), "chậm nhất 04/02/2025");
    }
}
