-- Settings an administrator changes while the service runs (the upload
-- quotas); a setting with no row has its default, stated in the code.
create table settings (
    key text primary key,
    value text not null,
    updated_at text not null
);
