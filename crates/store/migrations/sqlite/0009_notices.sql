-- What a unit is told in the app: a report returned, a deadline moved, a
-- reminder from the plan's owner (đôn đốc). Kept until read; a unit's
-- officers mark them read together.
create table notices (
    notice_id integer primary key,
    unit_id integer not null references units (unit_id) on delete cascade,
    kind text not null check (kind in ('returned', 'moved', 'urged')),
    text text not null,
    link text,
    created_by text not null,
    created_at text not null,
    read_at text
);
create index notices_of_unit on notices (unit_id, notice_id);
