-- Which moment of an event a waiting window waits for (opening, closing,
-- the whole event), so it can be said in words.
alter table due_windows add column anchor text;
