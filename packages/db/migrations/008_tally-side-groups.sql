-- Up Migration

-- Casualty tallies are summed per segment key *and* side and affiliation (events.md §5.5,
-- §6: "groupable by side, affiliation"). Before, a sum whose figures had different sides was
-- one row with side NULL, lost to groupBy=side and side= filters. Absent values are '' (as
-- nationality), so both columns can be in the primary key.
UPDATE casualty_tally SET side = coalesce(side, ''), affiliation_actor_id = coalesce(affiliation_actor_id, '')
  WHERE side IS NULL OR affiliation_actor_id IS NULL;
UPDATE casualty_tally_by_period SET side = coalesce(side, ''), affiliation_actor_id = coalesce(affiliation_actor_id, '')
  WHERE side IS NULL OR affiliation_actor_id IS NULL;
ALTER TABLE casualty_tally ALTER COLUMN side SET NOT NULL, ALTER COLUMN affiliation_actor_id SET NOT NULL,
  DROP CONSTRAINT casualty_tally_pkey,
  ADD PRIMARY KEY (scope_kind, scope_id, role, outcome, nationality, side, affiliation_actor_id);
ALTER TABLE casualty_tally_by_period ALTER COLUMN side SET NOT NULL, ALTER COLUMN affiliation_actor_id SET NOT NULL,
  DROP CONSTRAINT casualty_tally_by_period_pkey,
  ADD PRIMARY KEY (grain, period, role, outcome, nationality, side, affiliation_actor_id);

-- Rows summed the old way cannot be split here: the projector rewrites the read models from
-- the event store (projected_seq NULL means "unknown, rewrite them all"; a new write_token
-- makes a running projector drop its in-memory index).
UPDATE projection_state SET projected_seq = NULL, write_token = 'migration-008';

-- Down Migration

ALTER TABLE casualty_tally_by_period DROP CONSTRAINT casualty_tally_by_period_pkey;
ALTER TABLE casualty_tally DROP CONSTRAINT casualty_tally_pkey;
UPDATE projection_state SET projected_seq = NULL, write_token = 'migration-008-down';
DELETE FROM casualty_tally_by_period;
DELETE FROM casualty_tally;
ALTER TABLE casualty_tally_by_period ALTER COLUMN side DROP NOT NULL, ALTER COLUMN affiliation_actor_id DROP NOT NULL,
  ADD PRIMARY KEY (grain, period, role, outcome, nationality);
ALTER TABLE casualty_tally ALTER COLUMN side DROP NOT NULL, ALTER COLUMN affiliation_actor_id DROP NOT NULL,
  ADD PRIMARY KEY (scope_kind, scope_id, role, outcome, nationality);
