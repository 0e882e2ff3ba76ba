-- Up Migration

-- Current state of each incident (events.md §6). Filterable fields are columns; the whole
-- row as the projection computed it is `doc`.
CREATE TABLE incident_current (
  incident_id text PRIMARY KEY,
  status      text NOT NULL,
  doc         jsonb NOT NULL
);

-- Down Migration
DROP TABLE incident_current;
