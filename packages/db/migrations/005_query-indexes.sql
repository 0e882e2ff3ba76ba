-- Up Migration

-- Indexes for the query service's reads (measured at 215,000 incidents, ~1M events; see
-- docs/benchmarks.md "Query").

-- Incident detail: the response edges an incident triggered or answered, and those of its
-- operation (a sequential scan of response_graph per request before).
CREATE INDEX response_graph_trigger_idx ON response_graph (trigger_incident_id);
CREATE INDEX response_graph_response_idx ON response_graph (response_id, response_kind);

-- Attack stats read one grain and one geography level, optionally a period range
-- (a parallel sequential scan of all of attack_counts before).
CREATE INDEX attack_counts_level_idx ON attack_counts (grain, geo_level, period);

-- Attack stats' not_in_series: counted incidents in id order (code points) with the columns
-- of the time/place conditions, answerable by an index-only scan instead of a scan and sort
-- of the whole incident_current heap.
CREATE INDEX incident_current_series_idx ON incident_current (incident_id COLLATE "C")
  INCLUDE (time_precision, place_precision, country_iso3, admin1, site_id) WHERE counted;

-- Down Migration
DROP INDEX incident_current_series_idx;
DROP INDEX attack_counts_level_idx;
DROP INDEX response_graph_response_idx;
DROP INDEX response_graph_trigger_idx;
