//! Group commit: concurrent writes share one transaction and one flush.
//!
//! A commit that is on disk before the answer costs one fsync; one fsync per
//! request caps a disk at a few hundred writes a second. Writes sent here
//! are taken by one writer task, which runs every write waiting at that
//! moment inside one transaction — each in a savepoint of its own, so that
//! one write's error undoes that write only — then commits once and answers
//! each caller. No caller is answered before the commit that holds its
//! write has returned. Under light load a batch is one write and nothing is
//! delayed; under heavy load batches grow by themselves.

use crate::error::{Result, StoreError, is_busy};
use sqlx::{Acquire, AnyConnection, AnyPool};
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{mpsc, oneshot};

type Output = Box<dyn Any + Send>;
type Job = Box<
    dyn for<'c> FnOnce(
            &'c mut AnyConnection,
        ) -> Pin<Box<dyn Future<Output = Result<Output>> + Send + 'c>>
        + Send,
>;

struct Request {
    job: Job,
    reply: oneshot::Sender<Result<Output>>,
}

/// Most writes in one transaction.
const MAX_BATCH: usize = 512;

#[derive(Clone)]
pub struct Batcher {
    queue: mpsc::Sender<Request>,
    stats: Arc<Stats>,
}

/// How many commits the writes took: writes / commits is the batching.
#[derive(Default, Debug)]
pub struct Stats {
    pub commits: AtomicU64,
    pub writes: AtomicU64,
}

impl Batcher {
    /// `immediate`: take SQLite's write lock when the batch begins. A
    /// deferred transaction that reads first (a write checks the stored
    /// version) and then writes fails at once, without waiting, when
    /// another process wrote in between; one that takes the lock first
    /// waits its turn (`busy_timeout`) like any writer.
    pub fn start(pool: AnyPool, immediate: bool) -> Batcher {
        let (queue, rx) = mpsc::channel(4096);
        let stats = Arc::new(Stats::default());
        tokio::spawn(writer(pool, immediate, rx, stats.clone()));
        Batcher { queue, stats }
    }

    /// (commits, writes) so far.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.stats.commits.load(Ordering::Relaxed),
            self.stats.writes.load(Ordering::Relaxed),
        )
    }

    /// Runs `f` in the next batch; returns once its commit is durable.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut AnyConnection,
            ) -> Pin<Box<dyn Future<Output = Result<T>> + Send + 'c>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move { f(conn).await.map(|t| Box::new(t) as Output) })
        });
        self.queue
            .send(Request { job, reply })
            .await
            .map_err(|_| StoreError::Corrupt("hàng đợi ghi đã dừng".into()))?;
        let out = answer
            .await
            .map_err(|_| StoreError::Corrupt("hàng đợi ghi không trả lời".into()))??;
        out.downcast::<T>()
            .map(|b| *b)
            .map_err(|_| StoreError::Corrupt("kết quả ghi sai kiểu".into()))
    }
}

async fn writer(
    pool: AnyPool,
    immediate: bool,
    mut rx: mpsc::Receiver<Request>,
    stats: Arc<Stats>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        stats
            .writes
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        stats.commits.fetch_add(1, Ordering::Relaxed);
        run_batch(&pool, immediate, batch).await;
    }
}

/// The steps of a batch, named in the error when one fails.
#[derive(Debug, Clone, Copy)]
enum Step {
    Begin,
    Savepoint,
    Release,
    Rollback,
    Commit,
}

impl Step {
    fn words(self) -> &'static str {
        match self {
            Step::Begin => "mở giao dịch",
            Step::Savepoint => "tạo điểm lưu cho một thao tác ghi",
            Step::Release => "giữ lại một thao tác ghi (giải phóng điểm lưu)",
            Step::Rollback => "hoàn tác một thao tác ghi lỗi (quay về điểm lưu)",
            Step::Commit => "xác nhận giao dịch (commit)",
        }
    }
}

/// The error every caller of a failed batch receives: which step failed
/// and why; a busy database is told apart, as worth another try.
fn failure(step: Step, e: &sqlx::Error) -> StoreError {
    let what = format!("{}: {e}", step.words());
    if is_busy(e) {
        StoreError::Busy(what)
    } else {
        StoreError::WriteFailed(what)
    }
}

async fn run_batch(pool: &AnyPool, immediate: bool, batch: Vec<Request>) {
    let mut replies: Vec<oneshot::Sender<Result<Output>>> = Vec::with_capacity(batch.len());
    let mut results: Vec<Result<Output>> = Vec::with_capacity(batch.len());
    let mut waiting = batch.into_iter();
    let outcome: std::result::Result<(), (Step, sqlx::Error)> = async {
        let begun = if immediate {
            pool.begin_with("begin immediate").await
        } else {
            pool.begin().await
        };
        let mut tx = begun.map_err(|e| (Step::Begin, e))?;
        for Request { job, reply } in waiting.by_ref() {
            // The reply is kept before anything can fail, so that a failing
            // step still answers this caller.
            replies.push(reply);
            // A savepoint per write: its error undoes it alone.
            let mut sp = tx.begin().await.map_err(|e| (Step::Savepoint, e))?;
            let r = job(&mut sp).await;
            match &r {
                Ok(_) => sp.commit().await.map_err(|e| (Step::Release, e))?,
                Err(_) => sp.rollback().await.map_err(|e| (Step::Rollback, e))?,
            }
            results.push(r);
        }
        tx.commit().await.map_err(|e| (Step::Commit, e))?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            for (reply, r) in replies.into_iter().zip(results) {
                let _ = reply.send(r);
            }
        }
        // The transaction itself failed: nothing of the batch is kept, and
        // every caller is told so — those whose write ran, and those whose
        // write had not been reached.
        Err((step, e)) => {
            for reply in replies.into_iter().chain(waiting.map(|r| r.reply)) {
                let _ = reply.send(Err(failure(step, &e)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Executor};

    /// SQLite locked by another writer: the error says busy and asks to
    /// try again, naming the step; other failures say the write failed.
    #[tokio::test]
    async fn a_locked_database_is_busy_and_retryable() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let mut a = AnyConnection::connect(&url).await.unwrap();
        a.execute("create table t (x integer)").await.unwrap();
        let mut b = AnyConnection::connect(&url).await.unwrap();
        b.execute("pragma busy_timeout = 0").await.unwrap();
        a.execute("begin exclusive").await.unwrap();
        let locked = b.execute("insert into t values (1)").await.unwrap_err();
        a.execute("rollback").await.unwrap();

        assert!(is_busy(&locked), "{locked}");
        let e = failure(Step::Commit, &locked);
        assert!(e.is_retryable());
        assert!(matches!(e, StoreError::Busy(_)), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("đang bận"), "{text}");
        assert!(text.contains("xác nhận giao dịch"), "{text}");
        assert!(text.contains("thử lại"), "{text}");

        let other = failure(Step::Savepoint, &sqlx::Error::RowNotFound);
        assert!(!other.is_retryable());
        assert!(matches!(other, StoreError::WriteFailed(_)), "{other:?}");
        let text = other.to_string();
        assert!(
            text.starts_with("không ghi được vào cơ sở dữ liệu: tạo điểm lưu"),
            "{text}"
        );
    }
}
