-- One CSV cell's text as a download writes it, so COPY can do an export's CSV
-- work: NULL as empty, and a value a spreadsheet would read as a formula
-- (leading =, +, -, @, tab or carriage return) kept as text by a leading
-- quote mark (OWASP "CSV injection"). The same rule as csvCell in
-- app/exports/csv.ts; COPY's FORCE_QUOTE then quotes it and doubles quotes.
CREATE FUNCTION csv_cell(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || value ELSE coalesce(value, '') END
$$;
