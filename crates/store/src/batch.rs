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

use crate::error::{Result, StoreError};
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
    pub fn start(pool: AnyPool) -> Batcher {
        let (queue, rx) = mpsc::channel(4096);
        let stats = Arc::new(Stats::default());
        tokio::spawn(writer(pool, rx, stats.clone()));
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

async fn writer(pool: AnyPool, mut rx: mpsc::Receiver<Request>, stats: Arc<Stats>) {
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
        run_batch(&pool, batch).await;
    }
}

async fn run_batch(pool: &AnyPool, batch: Vec<Request>) {
    let mut results: Vec<(oneshot::Sender<Result<Output>>, Result<Output>)> =
        Vec::with_capacity(batch.len());
    let outcome: Result<()> = async {
        let mut tx = pool.begin().await?;
        for Request { job, reply } in batch {
            // A savepoint per write: its error undoes it alone.
            let mut sp = tx.begin().await?;
            let r = job(&mut sp).await;
            match &r {
                Ok(_) => sp.commit().await?,
                Err(_) => sp.rollback().await?,
            }
            results.push((reply, r));
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            for (reply, r) in results {
                let _ = reply.send(r);
            }
        }
        // The transaction itself failed: nothing of the batch is kept, and
        // every caller is told so.
        Err(e) => {
            let msg = e.to_string();
            for (reply, _) in results {
                let _ = reply.send(Err(StoreError::Corrupt(format!("không ghi được: {msg}"))));
            }
        }
    }
}
