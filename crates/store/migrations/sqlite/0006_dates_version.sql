-- How many times the dates of an event, or the due windows of an
-- assignment, have changed: the SEQUENCE of the item in a unit's calendar
-- feed, so that a subscribed calendar replaces an item whose dates moved
-- (RFC 5545 §3.8.7.4). Bumped in the transaction that moves the dates.
alter table events add column dates_version integer not null default 0;
alter table assignments add column dates_version integer not null default 0;
