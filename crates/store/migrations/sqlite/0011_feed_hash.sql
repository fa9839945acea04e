-- A unit's calendar feed is opened by a secret address. The secret itself
-- is no longer kept, only its SHA-256 (as session tokens are): whoever reads
-- the database cannot open the feeds. The service turns the secrets stored
-- before into their hashes on opening. A secret can be replaced (the old
-- address then stops working); feed_made_at says when it last was.
alter table unit_contacts add column feed_hash text;
alter table unit_contacts add column feed_made_at text;
create unique index unit_contacts_feed_hash on unit_contacts (feed_hash);
