-- Up Migration

-- Every applied event, once per (source, id) and content variant (events.md §5.1). The
-- projection is a function of this set; read models are derived from it.
CREATE TABLE event_store (
  source     text        NOT NULL,
  id         text        NOT NULL,
  variant    text        NOT NULL,  -- sha-256 of the event's canonical JSON (RFC 8785)
  type       text        NOT NULL,
  subject    text        NOT NULL,
  time       timestamptz NOT NULL,
  body       jsonb       NOT NULL,
  topic      text        NOT NULL,
  partition  integer     NOT NULL,
  "offset"   bigint      NOT NULL,
  stored_at  timestamptz NOT NULL DEFAULT now(),
  -- Insertion order. Projector writes are serialised by an advisory lock, so seq order is
  -- commit order and "events after seq N" is a consistent increment.
  seq        bigserial   NOT NULL UNIQUE,
  PRIMARY KEY (source, id, variant)
);
CREATE INDEX event_store_time_idx ON event_store (time);
CREATE INDEX event_store_subject_idx ON event_store (subject);

-- The next offset to read per projection and partition, written in the same transaction
-- as the events it stored (exactly-once effect). `projected_next_offset` is the offset the
-- read models reflect: it is set to `next_offset` in the transaction that rewrites them.
CREATE TABLE projector_offsets (
  projection  text        NOT NULL,
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  next_offset bigint      NOT NULL,
  projected_next_offset bigint NOT NULL DEFAULT 0,
  last_event_time timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, topic, partition)
);

-- Records the projector could not apply deterministically (not a CloudEvent, unknown type,
-- schema violation, a second content for a known (source, id)).
CREATE TABLE dead_letters (
  dead_letter_id bigserial PRIMARY KEY,
  projection  text        NOT NULL,
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  "offset"    bigint      NOT NULL,
  record_key  text,
  error_code  text        NOT NULL,
  error       text        NOT NULL,
  raw_value   text,
  headers     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  status      text        NOT NULL DEFAULT 'parked' CHECK (status IN ('parked', 'retried', 'discarded')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolution_note text,
  UNIQUE (projection, topic, partition, "offset", error_code)
);

-- Down Migration
DROP TABLE dead_letters;
DROP TABLE projector_offsets;
DROP TABLE event_store;
