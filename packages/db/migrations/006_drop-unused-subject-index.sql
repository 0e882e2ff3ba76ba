-- Up Migration

-- No statement reads event_store by subject (export filters the log itself; the projector
-- reads by seq and (source, id)); the index only cost the projector a text index insert per
-- stored event.
DROP INDEX IF EXISTS event_store_subject_idx;

-- Down Migration

CREATE INDEX event_store_subject_idx ON event_store (subject);
