-- Up Migration

-- Projection versions for blue/green rebuilds (ops `rebuild`). Lives in the base schema
-- (DATABASE_SCHEMA); each version has its own schema with the full set of tables. The row
-- with state 'serving' is the one the query service reads; switching is one transaction.
-- Without any row, the base schema itself serves (projection "main").
CREATE TABLE projection_versions (
  name         text PRIMARY KEY,
  schema_name  text NOT NULL UNIQUE,
  state        text NOT NULL CHECK (state IN ('building', 'serving', 'retired', 'scratch')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  caught_up_at timestamptz,
  switched_at  timestamptz,
  retired_at   timestamptz
);
CREATE UNIQUE INDEX projection_versions_one_serving ON projection_versions (state) WHERE state = 'serving';

-- Down Migration
DROP TABLE projection_versions;
