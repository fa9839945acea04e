-- The service: accounts and sessions, reports against the reporting regime,
-- attachments, the units expected to report, and the unit hierarchy as a
-- closure table so that roll-ups are one grouped query at any depth.

create table users (
    user_id integer primary key,
    username text not null,
    username_key text not null unique,
    full_name text not null,
    unit_id integer not null references units (unit_id),
    role text not null check (role in ('admin', 'owner', 'officer', 'leader')),
    password_hash text not null,
    active integer not null default 1,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
create index users_unit on users (unit_id);

create table sessions (
    token_hash text primary key,
    user_id integer not null references users (user_id) on delete cascade,
    csrf_token text not null,
    created_at text not null,
    expires_at text not null
);
create index sessions_user on sessions (user_id);

-- Every (ancestor, descendant) pair of the unit tree, each unit its own
-- ancestor at depth 0.
create table unit_closure (
    ancestor_id integer not null references units (unit_id) on delete cascade,
    descendant_id integer not null references units (unit_id) on delete cascade,
    depth integer not null,
    primary key (ancestor_id, descendant_id)
);
create index unit_closure_descendant on unit_closure (descendant_id);

-- The units each report of the regime is expected from.
create table reporting_units (
    reporting_id integer not null references reporting (reporting_id) on delete cascade,
    unit_id integer not null references units (unit_id),
    primary key (reporting_id, unit_id)
);
create index reporting_units_unit on reporting_units (unit_id);

-- One report per unit, regime and period, however often it is edited.
create table reports (
    report_id integer primary key,
    reporting_id integer not null references reporting (reporting_id) on delete cascade,
    unit_id integer not null references units (unit_id),
    period text not null,
    status text not null check (status in ('draft', 'submitted', 'accepted', 'returned')),
    narrative text not null default '',
    -- The first submission decides timeliness: its day in Vietnam (UTC+7).
    first_submitted_at text,
    first_submitted_on text,
    submitted_at text,
    reviewed_by integer references users (user_id),
    review_comment text,
    version integer not null default 1,
    updated_at text not null,
    unique (reporting_id, unit_id, period)
);
create index reports_unit on reports (unit_id);

create table report_figures (
    report_id integer not null references reports (report_id) on delete cascade,
    indicator_key text not null,
    value integer not null check (value >= 0),
    primary key (report_id, indicator_key)
);

create table attachments (
    attachment_id integer primary key,
    owner text not null check (owner in ('report', 'assignment')),
    owner_id integer not null,
    filename text not null,
    content_type text not null,
    size integer not null,
    data blob not null,
    uploaded_by integer references users (user_id),
    created_at text not null
);
create index attachments_owner on attachments (owner, owner_id);

alter table assignments add column evidence_link text;
alter table assignments add column version integer not null default 1;
alter table assignments add column updated_by integer references users (user_id);
