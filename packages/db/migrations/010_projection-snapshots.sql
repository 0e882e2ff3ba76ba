-- Up Migration

-- The incremental projector's in-memory index (the cluster union-find, reference data, the
-- overall tallies' accumulators: IncrementalProjection's state between steps), saved now and
-- then so that a process that starts (a restart, a deploy, the switch to a rebuilt version)
-- goes on from it instead of replaying the whole store (≈ 1 minute per million events).
-- `write_token` and `projected_seq` are projection_state's when it was taken: the tables held
-- exactly what the index describes. A newer state is reached by replaying what was projected
-- after `projected_seq`. `format` is the engine's snapshot format; another one is ignored.
CREATE TABLE projection_snapshots (
  projection    text        PRIMARY KEY,
  format        integer     NOT NULL,
  projected_seq bigint      NOT NULL,
  write_token   text        NOT NULL,
  events        bigint      NOT NULL,
  bytes         bigint      NOT NULL,
  sha256        text        NOT NULL,
  parts         integer     NOT NULL,
  taken_at      timestamptz NOT NULL DEFAULT now()
);

-- The serialised snapshot in parts of at most 16 MiB (a bytea value is read back as text:
-- parts keep each string small).
CREATE TABLE projection_snapshot_parts (
  projection text    NOT NULL REFERENCES projection_snapshots (projection) ON DELETE CASCADE,
  part       integer NOT NULL,
  data       bytea   NOT NULL,
  PRIMARY KEY (projection, part)
);
-- typed arrays of hashes do not compress: store them as they are
ALTER TABLE projection_snapshot_parts ALTER COLUMN data SET STORAGE EXTERNAL;

-- Down Migration

DROP TABLE projection_snapshot_parts;
DROP TABLE projection_snapshots;
