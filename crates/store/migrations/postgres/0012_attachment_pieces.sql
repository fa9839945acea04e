-- A file's bytes in pieces of 256 KB, so that sending one reads one piece
-- (a whole bytea value is read, and decompressed, to take part of it).
-- attachments.data keeps the files stored before; the service moves them
-- into pieces on opening.
create table attachment_pieces (
    attachment_id bigint not null references attachments (attachment_id) on delete cascade,
    seq integer not null,
    data bytea not null,
    primary key (attachment_id, seq)
);
