-- Plans read from their documents, kept from the upload until a reviewer
-- confirms them: what was read (the draft, each task's source lines, the
-- document's lines) and what the reviewer decided for the names the
-- directory did not know. The plan itself is stored only on confirmation.
create table import_drafts (
    draft_id integer primary key,
    created_by integer not null references users (user_id),
    created_at text not null,
    updated_at text not null,
    file_name text not null,
    format text not null,
    encoding text not null,
    draft_json text not null,
    sources_json text not null,
    lines_json text not null,
    choices_json text not null default '{}',
    status text not null default 'open' check (status in ('open', 'stored')),
    plan_number text,
    version integer not null default 1
);
create index import_drafts_status on import_drafts (status, draft_id);
