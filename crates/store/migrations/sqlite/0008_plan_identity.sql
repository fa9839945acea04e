-- no-transaction
-- A plan is known by its issuer and its number: two Huyện uỷ may both issue
-- "12-KH/HU". SQLite cannot drop the unique constraint the number had, so
-- the table is rebuilt, with foreign keys off while the other tables'
-- references point at it (SQLite's documented way to change a table).
-- issuer_key is the issuer's name as names are compared (case, spacing and
-- the two spellings of uỷ/ủy unified); the service fills it on opening.
pragma foreign_keys = off;
begin;
create table plans_new (
    plan_id integer primary key,
    number text not null,
    issuer text not null,
    issuer_key text not null default '',
    issued_on text,
    title text not null,
    body_json text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
insert into plans_new (plan_id, number, issuer, issuer_key, issued_on, title, body_json, created_at)
    select plan_id, number, issuer, lower(issuer), issued_on, title, body_json, created_at from plans;
drop table plans;
alter table plans_new rename to plans;
create index plans_number on plans (number);
create unique index plans_identity on plans (issuer_key, number);
commit;
pragma foreign_keys = on;
