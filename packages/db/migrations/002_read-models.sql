-- Up Migration

-- Read models of events.md §6, written only by the projector. Instants are kept as the
-- ISO 8601 UTC text the events carry (microseconds intact); nested values are jsonb.

CREATE TABLE incident_current (
  incident_id text PRIMARY KEY,
  status text NOT NULL,
  merged_into text,
  merge_loop boolean NOT NULL,
  counted boolean NOT NULL,
  reported_at text,
  report_event_id text,
  reported_by text,
  amendment_count integer NOT NULL,
  duplicate_report_count integer NOT NULL,
  kind text,
  method text,
  operation_id text,
  platform text,
  target jsonb,
  acled jsonb,
  cameo_code text,
  local_date text,
  time_precision text,
  time_start text,
  time_end text,
  time_tz text,
  place_precision text,
  site_id text,
  site_registered boolean,
  place_name text,
  country_iso3 text,
  admin1 text,
  admin2 text,
  admin3 text,
  lat double precision,
  lon double precision,
  radius_km double precision,
  munitions jsonb,
  intercepted jsonb,
  casualties jsonb NOT NULL,
  damage jsonb NOT NULL,
  top_perpetrator text,
  top_perpetrator_likelihood text,
  materiel_origin text,
  materiel_origin_likelihood text,
  attributions jsonb NOT NULL,
  claimed_by jsonb NOT NULL,
  denied_by jsonb NOT NULL,
  has_discrepancy boolean NOT NULL,
  unresolved jsonb NOT NULL
);
CREATE INDEX incident_current_date_idx ON incident_current (local_date, incident_id);
CREATE INDEX incident_current_site_idx ON incident_current (site_id);
CREATE INDEX incident_current_op_idx ON incident_current (operation_id);

CREATE TABLE operations (
  operation_id text PRIMARY KEY,
  member_incident_ids jsonb NOT NULL,
  counted boolean NOT NULL,
  start text,
  anchor_incident_id text,
  casualties jsonb NOT NULL,
  has_discrepancy boolean NOT NULL
);

CREATE TABLE attack_counts (
  grain text NOT NULL,
  period text NOT NULL,
  geo_level text NOT NULL,
  geo_key text NOT NULL,
  kind text NOT NULL,
  method text NOT NULL,
  perpetrator text NOT NULL,
  perpetrator_likelihood text NOT NULL,
  incidents bigint NOT NULL,
  munitions_low bigint NOT NULL,
  munitions_best bigint NOT NULL,
  munitions_high bigint NOT NULL,
  munitions_unknown bigint NOT NULL,
  intercepted bigint NOT NULL,
  incidents_with_casualties bigint NOT NULL,
  imprecise bigint NOT NULL,
  PRIMARY KEY (grain, period, geo_level, geo_key, kind, method, perpetrator, perpetrator_likelihood)
);

CREATE TABLE casualty_tally (
  scope_kind text NOT NULL,
  scope_id text NOT NULL,
  role text NOT NULL,
  outcome text NOT NULL,
  nationality text NOT NULL,
  side text,
  affiliation_actor_id text,
  low bigint NOT NULL,
  best bigint NOT NULL,
  high bigint NOT NULL,
  source text NOT NULL,
  incomplete boolean NOT NULL,
  figure_count integer NOT NULL,
  PRIMARY KEY (scope_kind, scope_id, role, outcome, nationality)
);

CREATE TABLE casualty_tally_by_period (
  grain text NOT NULL,
  period text NOT NULL,
  role text NOT NULL,
  outcome text NOT NULL,
  nationality text NOT NULL,
  side text,
  affiliation_actor_id text,
  low bigint NOT NULL,
  best bigint NOT NULL,
  high bigint NOT NULL,
  source text NOT NULL,
  incomplete boolean NOT NULL,
  figure_count integer NOT NULL,
  PRIMARY KEY (grain, period, role, outcome, nationality)
);

CREATE TABLE response_graph (
  link_id text NOT NULL,
  trigger_incident_id text NOT NULL,
  response_kind text NOT NULL,
  response_id text NOT NULL,
  basis text NOT NULL,
  likelihood text NOT NULL,
  as_stated text,
  also_cites text,
  source_id text NOT NULL,
  linked_at text NOT NULL,
  lag_minutes integer,
  trigger_status text NOT NULL,
  response_status text NOT NULL,
  via_merge boolean NOT NULL,
  component_id text NOT NULL,
  PRIMARY KEY (link_id, trigger_incident_id, response_kind, response_id)
);

CREATE TABLE incident_timeline (
  incident_id text NOT NULL,
  time text NOT NULL,
  event_id text NOT NULL,
  event_source text NOT NULL,
  type text NOT NULL,
  subject text NOT NULL,
  via_merge boolean NOT NULL,
  merged_from text,
  duplicate_entity boolean NOT NULL,
  superseded boolean NOT NULL,
  retracted boolean NOT NULL,
  flags jsonb NOT NULL,
  source_id text,
  source_reliability text,
  source_registered boolean,
  provenance jsonb,
  data jsonb,
  PRIMARY KEY (incident_id, time, event_id, event_source)
);

CREATE TABLE source_discrepancies (
  scope_kind text NOT NULL,
  scope_id text NOT NULL,
  field text NOT NULL,
  flagged boolean NOT NULL,
  series jsonb NOT NULL,
  figure jsonb,
  figure_source text NOT NULL,
  PRIMARY KEY (scope_kind, scope_id, field)
);

CREATE TABLE revision_feed (
  time text NOT NULL,
  event_id text NOT NULL,
  event_source text NOT NULL,
  type text NOT NULL,
  incident_ids jsonb NOT NULL,
  operation_ids jsonb NOT NULL,
  PRIMARY KEY (time, event_id, event_source)
);

CREATE TABLE external_stats (
  stat_id text PRIMARY KEY,
  metric text NOT NULL,
  low bigint,
  best bigint,
  high bigint,
  qualifier text NOT NULL,
  raw text,
  period_from text NOT NULL,
  period_to text NOT NULL,
  geography jsonb NOT NULL,
  issuer text NOT NULL,
  source_id text NOT NULL,
  time text NOT NULL,
  event_id text NOT NULL,
  provenance jsonb
);

CREATE TABLE documents (
  doc_id text PRIMARY KEY,
  published_at text NOT NULL,
  outlet text,
  extracted_claims jsonb NOT NULL,
  source_id text NOT NULL,
  time text NOT NULL,
  event_id text NOT NULL
);

CREATE TABLE sources (
  source_id text PRIMARY KEY,
  registered boolean NOT NULL,
  name text,
  kind text,
  scale text,
  language text,
  reliability text NOT NULL,
  reliability_history jsonb NOT NULL
);

CREATE TABLE actors (
  actor_id text PRIMARY KEY,
  registered boolean NOT NULL,
  name text,
  actor_type integer,
  home_country_iso3 text,
  aliases jsonb NOT NULL,
  relations jsonb NOT NULL,
  related_from jsonb NOT NULL
);

CREATE TABLE sites (
  site_id text PRIMARY KEY,
  registered boolean NOT NULL,
  names jsonb NOT NULL,
  kind text,
  place jsonb,
  country_iso3 text,
  admin1 text,
  operator_actor_ids jsonb NOT NULL,
  defense_posture jsonb NOT NULL
);

-- Which content of the read models is in the tables: the number of stored events they
-- reflect, and a token that changes with every write (lets a projector instance know
-- whether another instance wrote since its own last write).
CREATE TABLE projection_state (
  projection text PRIMARY KEY,
  events_applied bigint NOT NULL,
  write_token text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE projection_state;
DROP TABLE sites;
DROP TABLE actors;
DROP TABLE sources;
DROP TABLE documents;
DROP TABLE external_stats;
DROP TABLE revision_feed;
DROP TABLE source_discrepancies;
DROP TABLE incident_timeline;
DROP TABLE response_graph;
DROP TABLE casualty_tally_by_period;
DROP TABLE casualty_tally;
DROP TABLE attack_counts;
DROP TABLE operations;
DROP TABLE incident_current;
