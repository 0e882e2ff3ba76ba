-- Up Migration

-- Attack stats' not_in_series over a date range (and the incident list's notInSeries filter):
-- counted incidents by local date, with the columns the precision, place and perpetrator
-- conditions read, so both the count and the first ids are an index-only scan of the range
-- (a 13-week range at 215,000 incidents: 23 → 10 ms for the count, 54 → 8 ms for the ids).
CREATE INDEX incident_current_counted_date_idx ON incident_current (local_date)
  INCLUDE (incident_id, time_precision, place_precision, country_iso3, admin1, site_id, kind, method, top_perpetrator, top_perpetrator_likelihood)
  WHERE counted;

-- Down Migration

DROP INDEX incident_current_counted_date_idx;
