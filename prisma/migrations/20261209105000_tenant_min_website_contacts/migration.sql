-- How many role-qualified people a company's own website must name before the
-- paid LinkedIn (Apify) search is skipped for it.
ALTER TABLE tenant_settings
  ADD COLUMN min_website_contacts integer NOT NULL DEFAULT 2
  CONSTRAINT tenant_settings_min_website_contacts_range CHECK (min_website_contacts BETWEEN 1 AND 20);
