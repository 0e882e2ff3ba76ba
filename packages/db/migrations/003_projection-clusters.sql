-- Up Migration

-- The incremental projector's cluster of every stored event (events.md §5: events that can
-- change each other's rows share a cluster; reference data is read by all). A cluster's id
-- is the smallest event_store.seq among its events, so the table is a function of the
-- stored events up to projection_state.projected_seq; it is written in the same
-- transaction as the read models. Reference events (registrations, ratings, relations,
-- posture) have no row.
CREATE TABLE projection_event_clusters (
  projection text   NOT NULL,
  cluster_id bigint NOT NULL,
  seq        bigint NOT NULL,
  PRIMARY KEY (projection, cluster_id, seq)
);

-- The highest event_store.seq the read models reflect (NULL: unknown, rewrite them all).
ALTER TABLE projection_state ADD COLUMN projected_seq bigint;

-- Down Migration
ALTER TABLE projection_state DROP COLUMN projected_seq;
DROP TABLE projection_event_clusters;
