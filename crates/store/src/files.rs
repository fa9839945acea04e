//! A stored file's bytes, kept and read a piece at a time, so that a
//! download holds one piece in memory however slowly its reader takes it.
//! The pieces are rows of their own (`attachment_pieces`): taking part of
//! one large value (`substr` over a blob) makes SQLite read the whole value
//! first, which cost more than sending the file whole.

use crate::error::{Result, StoreError};
use sqlx::{AnyConnection, Row};

/// Bytes per piece: small enough that many downloads at once stay light,
/// large enough that a 10 MB file takes a few dozen queries.
pub const PIECE: usize = 256 * 1024;

/// Stores a file's bytes in pieces, inside the caller's transaction (the
/// attachment's own row holds its name, type and size).
pub async fn put(conn: &mut AnyConnection, attachment_id: i64, data: &[u8]) -> Result<()> {
    for (seq, part) in data.chunks(PIECE).enumerate() {
        sqlx::query("insert into attachment_pieces (attachment_id, seq, data) values ($1, $2, $3)")
            .bind(attachment_id)
            .bind(seq as i64)
            .bind(part.to_vec())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One piece of a file (`seq` from 0); empty past its end.
async fn piece_at(conn: &mut AnyConnection, attachment_id: i64, seq: usize) -> Result<Vec<u8>> {
    Ok(
        sqlx::query("select data from attachment_pieces where attachment_id = $1 and seq = $2")
            .bind(attachment_id)
            .bind(seq as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get::<Vec<u8>, _>("data"))
            .transpose()?
            .unwrap_or_default(),
    )
}

/// Up to `len` bytes of a file from `offset` (0-based); fewer at its end.
pub async fn piece(
    conn: &mut AnyConnection,
    attachment_id: i64,
    offset: usize,
    len: usize,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(len.min(PIECE));
    let mut at = offset;
    while out.len() < len {
        let part = piece_at(conn, attachment_id, at / PIECE).await?;
        let skip = at % PIECE;
        if skip >= part.len() {
            break;
        }
        let take = (len - out.len()).min(part.len() - skip);
        out.extend_from_slice(&part[skip..skip + take]);
        at += take;
    }
    Ok(out)
}

/// A whole file (for the few places that need it at once).
pub async fn whole(conn: &mut AnyConnection, attachment_id: i64) -> Result<Vec<u8>> {
    piece(conn, attachment_id, 0, usize::MAX).await
}

/// Moves the files stored before pieces existed into pieces, one file at a
/// time; run on opening (nothing to do once done).
pub async fn move_into_pieces(conn: &mut AnyConnection) -> Result<()> {
    let ids: Vec<i64> = sqlx::query("select attachment_id from attachments where length(data) > 0")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("attachment_id"))
        .collect::<std::result::Result<_, _>>()?;
    for id in ids {
        let data: Vec<u8> = sqlx::query("select data from attachments where attachment_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("data")?;
        sqlx::query("delete from attachment_pieces where attachment_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        put(conn, id, &data).await?;
        sqlx::query("update attachments set data = $1 where attachment_id = $2")
            .bind(Vec::<u8>::new())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
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
                let part = piece_at(&mut conn, attachment_id, offset / PIECE).await?;
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
