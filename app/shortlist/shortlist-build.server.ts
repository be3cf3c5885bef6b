import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type Bucket } from "~/scoring/score";

/**
 * A shortlist's ranking, materialised per run in `shortlist_entries` with its
 * bucket × industry counts in `shortlist_builds`, so a page reads the 50 ranks
 * it shows instead of ranking a whole run on every request.
 *
 * The ranking: the run's lead_scores, a later same-day re-enrich run's score
 * on top of a company's own, companies on the UEN suppression list left out,
 * ordered by score (ties by UEN); `industry` is the company's lead_features
 * industry at build time (for the filter and its counts).
 *
 * Whatever changes an input drops the builds it may affect (in the changing
 * transaction, so no reader sees a stale ranking as current); a run without a
 * build — invalidated, or finished before the table existed — is built by
 * its next reader. A succeeded run builds the shortlist it makes at once.
 */
type RunRef = { id: string; runDate: string; finishedAt: Date };

export type ShortlistFacet = { bucket: Bucket; industry: string | null; companies: number };

/** `ranking (run_id, uen, score, bucket, industry, verified_contacts, score_run_id, rank)`, computed from the scores themselves. */
function rankingSql(run: RunRef): Prisma.Sql {
  return Prisma.sql`
    overrides AS (
      SELECT DISTINCT ON (s.uen) s.uen, s.run_id, s.score, s.bucket, s.verified_contacts
      FROM runs r JOIN lead_scores s ON s.run_id = r.id
      WHERE r.kind = 're_enrich' AND r.status = 'succeeded' AND r.run_date = ${run.runDate}::date
        AND r.finished_at > ${run.finishedAt}::timestamptz
      ORDER BY s.uen, r.finished_at DESC
    ),
    ranking AS (
      SELECT b.run_id, b.uen,
             COALESCE(o.score, b.score) AS score,
             COALESCE(o.bucket, b.bucket) AS bucket,
             f.industry,
             COALESCE(o.verified_contacts, b.verified_contacts) AS verified_contacts,
             COALESCE(o.run_id, b.run_id) AS score_run_id,
             row_number() OVER (ORDER BY COALESCE(o.score, b.score) DESC, b.uen) AS rank
      FROM lead_scores b
      LEFT JOIN overrides o ON o.uen = b.uen
      LEFT JOIN lead_features f ON f.uen = b.uen
      WHERE b.run_id = ${run.id}::uuid
        AND NOT EXISTS (SELECT 1 FROM suppression_entries x WHERE x.kind = 'uen' AND x.value = b.uen)
    )`;
}

/** Replaces the run's entries and counts with freshly ranked ones: one INSERT … SELECT, then the counts over what it wrote. */
export async function buildShortlist(tx: TenantTx, run: RunRef): Promise<void> {
  await lockShortlist(tx, run.id);
  await tx.$executeRaw`DELETE FROM shortlist_entries WHERE run_id = ${run.id}::uuid`;
  await tx.$executeRaw`
    WITH ${rankingSql(run)}
    INSERT INTO shortlist_entries (run_id, rank, uen, score, bucket, industry, verified_contacts, score_run_id, bucket_rank, industry_rank, bucket_industry_rank)
    SELECT run_id, rank, uen, score, bucket, industry, verified_contacts, score_run_id,
           row_number() OVER (PARTITION BY bucket ORDER BY rank),
           CASE WHEN industry IS NOT NULL THEN row_number() OVER (PARTITION BY industry ORDER BY rank) END,
           CASE WHEN industry IS NOT NULL THEN row_number() OVER (PARTITION BY bucket, industry ORDER BY rank) END
    FROM ranking`;
  await tx.$executeRaw`
    INSERT INTO shortlist_builds (run_id, facets)
    SELECT ${run.id}::uuid, COALESCE(jsonb_agg(jsonb_build_object('bucket', bucket, 'industry', industry, 'companies', companies) ORDER BY bucket, industry), '[]'::jsonb)
    FROM (SELECT bucket, industry, count(*)::int AS companies FROM shortlist_entries WHERE run_id = ${run.id}::uuid GROUP BY bucket, industry) c
    ON CONFLICT (tenant_id, run_id) DO UPDATE SET facets = EXCLUDED.facets, built_at = now()`;
}

/**
 * The run's bucket × industry counts, building its shortlist first when it
 * has no current build. Concurrent first readers build once: the second
 * waits on the lock and then finds the build.
 */
export async function ensureShortlist(tx: TenantTx, run: RunRef): Promise<ShortlistFacet[]> {
  const built = await facetsOf(tx, run.id);
  if (built) return built;
  await lockShortlist(tx, run.id);
  const meanwhile = await facetsOf(tx, run.id);
  if (meanwhile) return meanwhile;
  await buildShortlist(tx, run);
  return (await facetsOf(tx, run.id))!;
}

/** Companies of a build's counts in the bucket and industry given (null: any). */
export function facetTotal(facets: ShortlistFacet[], filters: { bucket: Bucket | null; industry: string | null }): number {
  return facets
    .filter((f) => (!filters.bucket || f.bucket === filters.bucket) && (!filters.industry || f.industry === filters.industry))
    .reduce((n, f) => n + f.companies, 0);
}

/** Every build of the tenant is out of date (UEN suppressions or company data changed); each is rebuilt by its next reader. */
export async function invalidateShortlists(tx: TenantTx): Promise<void> {
  await tx.$executeRaw`DELETE FROM shortlist_builds`;
}

/**
 * A run just succeeded (in its finalizing transaction): its enrichment may
 * have changed any company's industry, so every build goes; the shortlist the
 * run makes — its own, or for a re-enrich run the day's — is built now.
 */
export async function rebuildAfterRun(tx: TenantTx, run: { id: string; kind: string; runDate: string }): Promise<void> {
  await invalidateShortlists(tx);
  const [made] = await tx.$queryRaw<Array<{ id: string; finishedAt: Date }>>`
    SELECT id, finished_at AS "finishedAt" FROM runs
    WHERE status = 'succeeded' AND kind <> 're_enrich' AND finished_at IS NOT NULL AND run_date = ${run.runDate}::date
      AND (${run.kind}::text = 're_enrich' OR id = ${run.id}::uuid)
    ORDER BY finished_at DESC LIMIT 1`;
  if (made) await buildShortlist(tx, { id: made.id, runDate: run.runDate, finishedAt: made.finishedAt });
}

async function facetsOf(tx: TenantTx, runId: string): Promise<ShortlistFacet[] | null> {
  const [build] = await tx.$queryRaw<Array<{ facets: ShortlistFacet[] }>>`SELECT facets FROM shortlist_builds WHERE run_id = ${runId}::uuid`;
  return build?.facets ?? null;
}

/** One builder per run at a time (transaction-scoped). */
async function lockShortlist(tx: TenantTx, runId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('shortlist:' || ${runId}::text, 0))`;
}
