//! A stored file's bytes, read a piece at a time, so that a download holds
//! one piece in memory however slowly its reader takes it (a hundred slow
//! readers of a 10 MB file held 1.5 GB when each was read whole). The
//! pieces come from `substr` over the stored blob, which SQLite and
//! PostgreSQL (for `bytea`) both have.

use crate::error::{Result, StoreError};
use sqlx::{AnyConnection, Row};

/// Bytes per piece: small enough that many downloads at once stay light,
/// large enough that a 10 MB file takes a few dozen queries.
pub const PIECE: usize = 256 * 1024;

/// Up to `len` bytes of a file from `offset` (0-based); fewer at its end.
pub async fn piece(
    conn: &mut AnyConnection,
    attachment_id: i64,
    offset: usize,
    len: usize,
) -> Result<Vec<u8>> {
    let row = sqlx::query(
        "select substr(data, cast($2 as integer), cast($3 as integer)) as part
         from attachments where attachment_id = $1",
    )
    .bind(attachment_id)
    .bind(offset as i64 + 1)
    .bind(len as i64)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::Invalid(format!("tệp số {attachment_id} không còn")))?;
    Ok(row.try_get::<Vec<u8>, _>("part")?)
}

impl crate::Store {
    /// The pieces of a file of `size` bytes, each read when the previous
    /// one has been taken: a download's body.
    pub fn file_pieces(
        &self,
        attachment_id: i64,
        size: usize,
    ) -> impl futures_util::Stream<Item = Result<Vec<u8>>> + Send + 'static {
        let pool = self.pool.clone();
        futures_util::stream::try_unfold(0usize, move |offset| {
            let pool = pool.clone();
            async move {
                if offset >= size {
                    return Ok(None);
                }
                let mut conn = pool.acquire().await?;
                let part =
                    piece(&mut conn, attachment_id, offset, PIECE.min(size - offset)).await?;
                if part.is_empty() {
                    // Shorter than its recorded size: stop rather than loop.
                    return Err(StoreError::Corrupt(format!(
                        "tệp số {attachment_id} ngắn hơn kích thước đã ghi"
                    )));
                }
                let next = offset + part.len();
                Ok(Some((part, next)))
            }
        })
    }
}
