-- The candidate set as blocks: one row per tenant and run of consecutive
-- candidate UENs (in UEN order, a few hundred each) holding them as a sorted
-- array, instead of one row per candidate. A first fill of 235,000
-- candidates wrote 235,000 heap rows and primary-key entries, which cost
-- about as much again as evaluating the ICP itself; as blocks it writes
-- about a thousand rows, built by the parallel scan that evaluates the ICP.
--
-- A block covers the UENs from its first_uen up to the next block's
-- first_uen: a UEN is a candidate when the block with the greatest
-- first_uen not above it holds it (one index probe, then `= ANY (uens)`).
-- Refreshes rewrite only the blocks whose content changed and split a block
-- that grew past the limit (app/icp/candidates.server.ts).
--
-- matched_by is the same for the whole set (a refresh evaluates either the
-- rules or the industry-only fallback); it stays per block so a block is
-- self-contained. Existing rows move into blocks of 240 UENs per tenant.
--
-- Still a cache (UNLOGGED: a crash empties it and the next refresh refills
-- it), still under the tenant policies. A block of up to 480 UENs stays
-- below a page, so toast_tuple_target keeps it inline and uncompressed:
-- a lookup reads one heap tuple and decompresses nothing.
CREATE UNLOGGED TABLE "icp_candidate_blocks" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "first_uen" TEXT NOT NULL,
    "uens" TEXT[] NOT NULL,
    "matched_by" TEXT NOT NULL,
    CONSTRAINT "icp_candidate_blocks_pkey" PRIMARY KEY ("tenant_id", "first_uen"),
    CONSTRAINT "icp_candidate_blocks_matched_by_check" CHECK ("matched_by" IN ('rules', 'industry_fallback')),
    CONSTRAINT "icp_candidate_blocks_first_uen_check" CHECK ("uens"[1] = "first_uen")
) WITH (toast_tuple_target = 8160);

SELECT enable_tenant_rls('icp_candidate_blocks');

INSERT INTO "icp_candidate_blocks" ("tenant_id", "first_uen", "uens", "matched_by")
SELECT tenant_id, min(uen), array_agg(uen ORDER BY uen), min(matched_by)
FROM (SELECT tenant_id, uen, matched_by, (row_number() OVER (PARTITION BY tenant_id ORDER BY uen) - 1) / 240 AS block
      FROM "icp_candidate_companies") c
GROUP BY tenant_id, block;

CREATE OR REPLACE FUNCTION delete_tenant_candidates() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM icp_candidate_blocks WHERE tenant_id = OLD.id;
  RETURN OLD;
END
$fn$;

DROP TABLE "icp_candidate_companies";

-- Row-shaped readers (joins, lists) read the blocks unnested; with
-- security_invoker the tenant policies of the blocks apply to the caller.
CREATE VIEW "icp_candidate_companies" WITH (security_invoker = true) AS
SELECT b.tenant_id, c.uen, b.matched_by
FROM "icp_candidate_blocks" b CROSS JOIN LATERAL unnest(b.uens) AS c(uen);
REVOKE INSERT, UPDATE, DELETE ON "icp_candidate_companies" FROM nexius_app, nexius_platform;
