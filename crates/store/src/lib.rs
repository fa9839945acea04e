//! Persistence of dondoc: an SQLite file by default, PostgreSQL by URL.
//!
//! One module per concept, its SQL beside it. SQL is portable (`$1`
//! placeholders, `returning`, `on conflict`) and runs through sqlx's `Any`
//! driver; the two backends differ only in their migration folders. Every
//! write runs in one transaction, committed before the caller answers.

/// A read of several queries in one transaction, so that all of it sees
/// one state of the database (a document must not mix two).
macro_rules! read {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = $store.pool.begin().await?;
        let out = {
            let $tx = &mut $tx;
            $body.await?
        };
        $tx.commit().await?;
        Ok(out)
    }};
}

pub mod assignments;
pub mod audit;
mod batch;
pub mod calendar;
pub mod dashboard;
mod db;
pub mod documents;
pub mod drafts;
pub mod due_index;
mod error;
pub mod events;
pub mod files;
pub mod notices;
pub mod plans;
pub mod quota;
pub mod reminders;
pub mod reports;
pub mod sessions;
pub mod units;
pub mod users;
pub mod views;

pub use db::{Backend, backend_of};
pub use error::{Result, StoreError};
/// The connection the modules' functions take, so that callers (the web
/// crate) need not depend on sqlx themselves.
pub use sqlx::AnyConnection;

/// A transaction: pass `&mut tx` to the modules' functions, then commit.
pub type Transaction = sqlx::Transaction<'static, sqlx::Any>;

use dondoc_core::plan::{Event, PlanDoc};
use jiff::civil::Date;
use sqlx::AnyPool;

/// The database, opened and migrated.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    batcher: batch::Batcher,
    regimes: std::sync::Arc<reports::RegimeCache>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Store> {
        let (pool, backend) = db::connect(url).await?;
        {
            let mut conn = pool.acquire().await?;
            plans::fill_issuer_keys(&mut conn).await?;
            reminders::hash_stored_feed_tokens(&mut conn).await?;
            files::move_into_pieces(&mut conn).await?;
        }
        let batcher = batch::Batcher::start(pool.clone(), backend == Backend::Sqlite);
        Ok(Store {
            pool,
            backend,
            batcher,
            regimes: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Runs a write in the next group commit (see `batch`): concurrent
    /// writes share one transaction and one flush to disk; each is undone
    /// alone if it fails; the call returns once the commit is durable.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut sqlx::AnyConnection,
            ) -> std::pin::Pin<
                Box<dyn std::future::Future<Output = Result<T>> + Send + 'c>,
            > + Send
            + 'static,
    {
        self.batcher.write(f).await
    }

    /// The regimes this process has read (see `reports::regime_cached`).
    pub fn regime_cache(&self) -> &reports::RegimeCache {
        &self.regimes
    }

    /// (commits, writes) of the group commit so far.
    pub fn write_stats(&self) -> (u64, u64) {
        self.batcher.stats()
    }

    /// A connection from the pool, for the modules' functions.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Begins a transaction that will write (nothing is kept unless it is
    /// committed). On SQLite it takes the write lock at once: a deferred
    /// transaction that reads and then writes is refused "database is
    /// locked" without waiting when another connection wrote meanwhile
    /// (its snapshot is stale), whereas `begin immediate` waits its turn
    /// under `busy_timeout` like any writer.
    pub async fn begin(&self) -> Result<Transaction> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Stores a plan, all of it or nothing.
    pub async fn load_plan(
        &self,
        doc: &PlanDoc,
        actor: &str,
        today: Date,
    ) -> Result<plans::Loaded> {
        let mut tx = self.begin().await?;
        let loaded = plans::insert(&mut tx, doc, actor, today).await?;
        tx.commit().await?;
        Ok(loaded)
    }

    /// Whether `issuer` already has a plan numbered `number`.
    pub async fn has_plan(&self, issuer: &str, number: &str) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        plans::exists(&mut conn, issuer, number).await
    }

    /// Fails when the database cannot be written to (a read-only file or
    /// folder, a user without rights): a write that is rolled back.
    pub async fn check_writable(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("update regime_version set n = n where id = 1")
            .execute(&mut *tx)
            .await?;
        tx.rollback().await?;
        Ok(())
    }

    /// Every stored plan, oldest first.
    pub async fn plans(&self) -> Result<Vec<plans::PlanRow>> {
        let mut conn = self.pool.acquire().await?;
        plans::list(&mut conn).await
    }

    pub async fn plan_numbers(&self) -> Result<Vec<String>> {
        let mut conn = self.pool.acquire().await?;
        plans::numbers(&mut conn).await
    }

    /// A stored plan in the interchange form, deadlines resolved as of `today`.
    pub async fn plan(&self, key: Option<&plans::PlanKey>, today: Date) -> Result<PlanDoc> {
        read!(self, |tx| plans::read(tx, key, today))
    }

    pub async fn events(&self) -> Result<Vec<Event>> {
        let mut conn = self.pool.acquire().await?;
        events::all(&mut conn).await
    }

    /// The calendar as deadlines are resolved against it.
    pub async fn calendar(&self) -> Result<dondoc_core::deadline::Calendar> {
        let mut conn = self.pool.acquire().await?;
        calendar::calendar(&mut conn).await
    }

    /// Adds an event to the calendar (see `events::add`).
    pub async fn add_event(
        &self,
        name: &str,
        kind: dondoc_core::plan::EventKind,
        start: Option<Date>,
        end: Option<Date>,
        actor: &str,
    ) -> Result<Event> {
        let mut tx = self.begin().await?;
        let e = events::add(&mut tx, name, kind, start, end, actor).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Moves an event and every deadline that depends on it, at once.
    pub async fn set_event(
        &self,
        name: &str,
        start: Option<Date>,
        end: Option<Date>,
        actor: &str,
        today: Date,
    ) -> Result<events::EventMove> {
        let mut tx = self.begin().await?;
        let moved = events::set_dates(&mut tx, name, start, end, actor, today).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Every unit, and every group of every plan: what names in a new
    /// document are matched against.
    pub async fn directory(
        &self,
    ) -> Result<(Vec<dondoc_core::plan::Unit>, Vec<dondoc_core::plan::Group>)> {
        let mut conn = self.pool.acquire().await?;
        let all = units::all(&mut conn).await?;
        let mut groups = Vec::new();
        for plan in plans::list(&mut conn).await? {
            groups.extend(units::groups_of_plan(&mut conn, plan.plan_id).await?);
        }
        Ok((all, groups))
    }

    /// Adds units from a list (known units are kept), all or nothing.
    pub async fn import_units(&self, list: &[dondoc_core::plan::Unit]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let before = units::index(&mut tx).await?.names.len();
        for u in list {
            if let Some(p) = &u.parent
                && units::index(&mut tx).await?.find(p).is_none()
                && !list
                    .iter()
                    .any(|x| dondoc_core::text::same_name(&x.name, p))
            {
                return Err(StoreError::Invalid(format!(
                    "đơn vị «{}»: đơn vị cấp trên «{p}» không có",
                    u.name
                )));
            }
        }
        let after = units::upsert(&mut tx, list).await?.names.len();
        units::rebuild_closure(&mut tx).await?;
        audit::record(
            &mut tx,
            "nhập danh sách",
            "unit.import",
            "unit",
            "*",
            None,
            Some(serde_json::json!({ "added": after - before })),
        )
        .await?;
        tx.commit().await?;
        Ok(after - before)
    }

    /// Creates accounts from a list, all or nothing.
    pub async fn import_users(&self, list: &[users::NewUser<'_>]) -> Result<()> {
        let mut tx = self.begin().await?;
        for u in list {
            users::insert(&mut tx, u).await?;
        }
        audit::record(
            &mut tx,
            "nhập danh sách",
            "user.import",
            "user",
            "*",
            None,
            Some(serde_json::json!({ "added": list.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What `set_event` would move, computed by the same code and rolled
    /// back: nothing is written.
    pub async fn preview_event(
        &self,
        name: &str,
        start: Option<Date>,
        end: Option<Date>,
        actor: &str,
        today: Date,
    ) -> Result<events::EventMove> {
        let mut conn = self.pool.acquire().await?;
        events::preview_dates(&mut conn, name, start, end, actor, today).await
    }

    /// Keeps a plan read from a document until someone confirms it.
    pub async fn create_draft(&self, new: &drafts::NewDraft<'_>, actor: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = drafts::insert(&mut tx, new, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn draft(&self, id: i64) -> Result<Option<drafts::Draft>> {
        let mut conn = self.pool.acquire().await?;
        drafts::get(&mut conn, id).await
    }

    /// The newest drafts first.
    pub async fn drafts(&self, limit: i64) -> Result<Vec<drafts::DraftRow>> {
        let mut conn = self.pool.acquire().await?;
        drafts::list(&mut conn, limit).await
    }

    /// Saves a reviewer's corrections to an open draft; returns its new
    /// version.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_draft(
        &self,
        id: i64,
        plan: &PlanDoc,
        choices: &std::collections::BTreeMap<String, drafts::Choice>,
        expected: Option<i64>,
        actor: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let v = drafts::save(&mut tx, id, plan, choices, expected, actor, before, after).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Stores the plan a draft became and closes the draft, all or nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn confirm_draft(
        &self,
        id: i64,
        draft: &PlanDoc,
        choices: &std::collections::BTreeMap<String, drafts::Choice>,
        expected: Option<i64>,
        plan: &PlanDoc,
        actor: &str,
        today: Date,
    ) -> Result<plans::Loaded> {
        let mut tx = self.begin().await?;
        let loaded =
            drafts::confirm(&mut tx, id, draft, choices, expected, plan, actor, today).await?;
        tx.commit().await?;
        Ok(loaded)
    }

    /// The synthesis report of a plan, or of one phase ("Đợt I" or "I"), as
    /// of `today` (see `documents` for what a phase covers).
    pub async fn synthesis(
        &self,
        plan: Option<&plans::PlanKey>,
        phase: Option<&str>,
        today: Date,
    ) -> Result<dondoc_core::documents::synthesis::Synthesis> {
        read!(self, |tx| documents::synthesis(tx, plan, phase, today))
    }

    /// The tracking workbook of a plan as of `today`.
    pub async fn tracking(
        &self,
        plan: Option<&plans::PlanKey>,
        today: Date,
    ) -> Result<dondoc_core::documents::tracking::Tracking> {
        read!(self, |tx| documents::tracking(tx, plan, today))
    }

    /// The calendar feed of a unit, named by its name or any alias.
    pub async fn feed(
        &self,
        unit: &str,
        today: Date,
    ) -> Result<dondoc_core::documents::feed::Feed> {
        read!(self, |tx| documents::feed(tx, unit, today))
    }

    /// The calendar feed of a unit by its id (what a feed's token opens).
    pub async fn feed_by_unit_id(
        &self,
        unit_id: i64,
        today: Date,
    ) -> Result<dondoc_core::documents::feed::Feed> {
        read!(self, |tx| documents::feed_by_unit_id(tx, unit_id, today))
    }

    /// The phase timeline chart's data.
    pub async fn timeline(
        &self,
        plan: Option<&plans::PlanKey>,
        today: Date,
    ) -> Result<dondoc_core::documents::charts::Timeline> {
        read!(self, |tx| documents::timeline(tx, plan, today))
    }

    /// The reporting rate by unit level over the periods.
    pub async fn rate_series(
        &self,
        plan: Option<&plans::PlanKey>,
        today: Date,
    ) -> Result<dondoc_core::documents::charts::RateSeries> {
        read!(self, |tx| documents::rate_series(tx, plan, today))
    }

    /// The indicator totals per phase.
    pub async fn figure_bars(
        &self,
        plan: Option<&plans::PlanKey>,
        today: Date,
    ) -> Result<dondoc_core::documents::charts::FigureBars> {
        read!(self, |tx| documents::figure_bars(tx, plan, today))
    }

    /// Changes whenever anything a chart is drawn from changes: a cached
    /// chart is good while this reads the same.
    pub async fn charts_version(&self) -> Result<String> {
        let mut conn = self.pool.acquire().await?;
        documents::charts_version(&mut conn).await
    }

    pub async fn audit(&self, limit: i64) -> Result<Vec<audit::AuditEntry>> {
        let mut conn = self.pool.acquire().await?;
        audit::recent(&mut conn, limit).await
    }
}
