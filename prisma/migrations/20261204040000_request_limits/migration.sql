-- Chat finds the company a user names in Postgres (trigram word similarity),
-- not by comparing the name with every company on the web server's event loop.
-- pg_trgm is a trusted extension: the database owner running migrations may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX staging_acra_companies_entity_name_trgm ON staging_acra_companies USING gin (entity_name gin_trgm_ops);

-- Request rate limits shared by every web instance: one row per limited key
-- (e.g. "chat:user:<sub>") and fixed window, counted up by one upsert.
-- UNLOGGED: losing the counters in a crash only forgives a window.
CREATE UNLOGGED TABLE rate_limit_counters (
  bucket       text NOT NULL,
  window_start timestamptz(3) NOT NULL,
  hits         integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_counters_window_start ON rate_limit_counters (window_start);
