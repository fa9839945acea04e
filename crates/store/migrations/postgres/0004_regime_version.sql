-- Bumped in the transaction that changes any report's due windows, so a
-- process may keep the regimes it has read until the number moves, even
-- with several processes in front of one database.
create table regime_version (
    id bigint primary key check (id = 1),
    n bigint not null
);
insert into regime_version (id, n) values (1, 0);
