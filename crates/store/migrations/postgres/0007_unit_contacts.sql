-- Where a unit's reminder digest goes and whether it wants one, and the
-- secret of its private calendar feed. One row per unit, made on first use:
-- a unit with no row has no address, reminders on, no feed yet.
-- reminders_enabled is 0 or 1 on both backends so the same SQL reads it.
create table unit_contacts (
    unit_id bigint primary key references units (unit_id) on delete cascade,
    email text,
    reminders_enabled bigint not null default 1 check (reminders_enabled in (0, 1)),
    feed_token text unique,
    updated_at text
);
