-- A file's bytes in pieces of 256 KB, so that sending one reads one piece:
-- SQLite reads a whole blob to take part of it, and a 10 MB file sent to
-- twenty slow readers at once held 20 MB each. attachments.data keeps the
-- files stored before; the service moves them into pieces on opening.
create table attachment_pieces (
    attachment_id integer not null references attachments (attachment_id) on delete cascade,
    seq integer not null,
    data blob not null,
    primary key (attachment_id, seq)
);
