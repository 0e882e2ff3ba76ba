-- Up Migration

-- The revision_feed row of a source's registration (and of a rating that changes its grade)
-- or of a site's registration lists every incident and operation citing it (events.md §6).
-- Stored inline, that list grows with the store and was rewritten whenever a new incident
-- cited the source: O(store) per projector step. The ids now live here, one row each, and
-- such a row keeps empty lists with `cites` naming its set; readers put the lists back
-- (ordered by code point, as in the projection). A row with `cites` NULL holds its lists.
CREATE TABLE reference_citations (
  ref  text NOT NULL,  -- 'source/<source_id>' or 'site/<site_id>'
  kind text NOT NULL CHECK (kind IN ('incident', 'operation')),
  id   text COLLATE "C" NOT NULL,  -- code-point order: the key's order is the lists' order
  PRIMARY KEY (ref, kind, id)
);
ALTER TABLE revision_feed ADD COLUMN cites text;

-- Rows written the old way hold their lists (still read correctly), but the projector's
-- citation changes would go to an empty table: it rewrites the read models from the event
-- store (projected_seq NULL means "unknown, rewrite them all"; a new write_token makes a
-- running projector drop its in-memory index), as after migration 008.
UPDATE projection_state SET projected_seq = NULL, write_token = 'migration-009';

-- Down Migration

UPDATE projection_state SET projected_seq = NULL, write_token = 'migration-009-down';
ALTER TABLE revision_feed DROP COLUMN cites;
DROP TABLE reference_citations;
