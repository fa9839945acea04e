-- The plan core: units, events, plans and what they ask, assignments, and
-- the resolved due windows kept as an index. Dates are ISO text (YYYY-MM-DD),
-- compared as text; rules are JSON text in the form of spec/deadline-rule.md.

create table units (
    unit_id integer primary key,
    name text not null,
    name_key text not null unique,
    parent_id integer references units (unit_id),
    kind text not null,
    level text not null,
    valid_from text,
    valid_to text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
create index units_parent on units (parent_id);

create table unit_aliases (
    unit_id integer not null references units (unit_id) on delete cascade,
    alias text not null,
    alias_key text not null,
    primary key (unit_id, alias_key)
);
create index unit_aliases_key on unit_aliases (alias_key);

create table unit_successors (
    unit_id integer not null references units (unit_id) on delete cascade,
    successor_id integer not null references units (unit_id),
    primary key (unit_id, successor_id)
);

create table events (
    event_id text primary key,
    name text not null,
    name_key text not null,
    kind text not null,
    unit_id integer references units (unit_id),
    start_date text,
    end_date text,
    updated_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    check (end_date is null or start_date is not null),
    check (end_date is null or end_date >= start_date)
);
create index events_unit on events (unit_id);

create table event_aliases (
    event_id text not null references events (event_id) on delete cascade,
    alias text not null,
    alias_key text not null,
    primary key (event_id, alias_key)
);
create index event_aliases_key on event_aliases (alias_key);

create table plans (
    plan_id integer primary key,
    number text not null unique,
    issuer text not null,
    issued_on text,
    title text not null,
    -- Everything the document says that is read, not tracked (purposes,
    -- requirements, forms of work, recipients, signature, notes): the plan
    -- document less the parts kept in their own tables.
    body_json text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

create table unit_groups (
    group_id integer primary key,
    plan_id integer not null references plans (plan_id) on delete cascade,
    position integer not null,
    name text not null,
    name_key text not null,
    unique (plan_id, name_key)
);

create table unit_group_aliases (
    group_id integer not null references unit_groups (group_id) on delete cascade,
    alias text not null,
    alias_key text not null,
    primary key (group_id, alias_key)
);

create table unit_group_members (
    group_id integer not null references unit_groups (group_id) on delete cascade,
    unit_id integer not null references units (unit_id),
    position integer not null,
    primary key (group_id, unit_id)
);

create table phases (
    phase_id integer primary key,
    plan_id integer not null references plans (plan_id) on delete cascade,
    position integer not null,
    name text not null,
    phrase text not null,
    rule_json text,
    detail_json text not null,
    unique (plan_id, position)
);

create table tasks (
    task_id integer primary key,
    plan_id integer not null references plans (plan_id) on delete cascade,
    position integer not null,
    ref text not null,
    text text not null,
    heading text,
    deadline_phrase text,
    rule_json text,
    unique (plan_id, ref)
);

-- Units and groups as the document names them, with what they matched.
create table task_units (
    task_id integer not null references tasks (task_id) on delete cascade,
    role text not null check (role in ('lead', 'coordinate')),
    position integer not null,
    written text not null,
    unit_id integer references units (unit_id),
    group_id integer references unit_groups (group_id),
    primary key (task_id, role, position)
);

create table assignments (
    assignment_id integer primary key,
    task_id integer not null references tasks (task_id) on delete cascade,
    unit_id integer not null references units (unit_id),
    status text not null default 'not_started'
        check (status in ('not_started', 'in_progress', 'done', 'cancelled')),
    progress_note text,
    evidence text,
    completed_on text,
    updated_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    unique (task_id, unit_id)
);
create index assignments_unit on assignments (unit_id);

create table reporting (
    reporting_id integer primary key,
    plan_id integer not null references plans (plan_id) on delete cascade,
    position integer not null,
    name text not null,
    deadline_phrase text,
    rule_json text,
    reporters_json text not null,
    recipient text,
    content text,
    unique (plan_id, position)
);

create table indicators (
    reporting_id integer not null references reporting (reporting_id) on delete cascade,
    position integer not null,
    key text not null,
    label text not null,
    unit text not null,
    form_ref text,
    primary key (reporting_id, key)
);

create table slogans (
    slogan_id integer primary key,
    plan_id integer not null references plans (plan_id) on delete cascade,
    position integer not null,
    text text not null,
    unique (plan_id, position)
);

create table decoration_items (
    decoration_id integer primary key,
    plan_id integer not null references plans (plan_id) on delete cascade,
    position integer not null,
    zone text not null,
    item text not null,
    text text not null,
    unique (plan_id, position)
);

-- The index of resolved due windows. The rule is the truth; these rows are
-- refreshed in the transaction that changes an event they depend on.
create table due_windows (
    owner text not null check (owner in ('assignment', 'reporting', 'phase', 'task')),
    owner_id integer not null,
    seq integer not null,
    from_date text,
    to_date text,
    state text not null,
    waits_for text,
    event_label text,
    primary key (owner, owner_id, seq)
);
create index due_windows_to on due_windows (to_date);

create table due_deps (
    owner text not null,
    owner_id integer not null,
    event_id text not null references events (event_id) on delete cascade,
    primary key (event_id, owner, owner_id)
);

create table audit_log (
    audit_id integer primary key,
    at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    actor text not null,
    action text not null,
    entity text not null,
    entity_id text not null,
    before_json text,
    after_json text
);
create index audit_log_entity on audit_log (entity, entity_id);
