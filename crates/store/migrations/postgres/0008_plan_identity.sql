-- A plan is known by its issuer and its number: two Huyện uỷ may both issue
-- "12-KH/HU". issuer_key is the issuer's name as names are compared (case,
-- spacing and the two spellings of uỷ/ủy unified); the service fills it on
-- opening, and checks the pair before storing a plan.
alter table plans drop constraint plans_number_key;
alter table plans add column issuer_key text not null default '';
update plans set issuer_key = lower(issuer);
create index plans_number on plans (number);
create unique index plans_identity on plans (issuer_key, number);
