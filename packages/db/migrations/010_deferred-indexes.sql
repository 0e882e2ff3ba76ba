-- Up Migration

-- A rebuild builds a version from empty without its non-unique indexes (they serve the query
-- service, which reads a version only once it is switched in) and builds them once at the end:
-- their definitions wait here meanwhile, so a resumed or killed build still ends with them.
CREATE TABLE deferred_indexes (
  index_name text PRIMARY KEY,
  definition text NOT NULL  -- pg_get_indexdef: schema-qualified
);

-- Down Migration

DROP TABLE deferred_indexes;
