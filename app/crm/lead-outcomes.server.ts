import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type LakeAccess } from "~/lake/hierarchy";
import { BUCKETS, type Bucket } from "~/scoring/score";
import { rollUpOutcomes, type LeadOutcomesQuery, type OutcomeCell, type OutcomeRollup, type RunSpend } from "./lead-outcomes";
import { type PushedDealsFilter } from "./opportunity-query";

/**
 * The lead engine's outcome for the Lead engine outcome page and
 * `GET /api/dashboard/lead-outcomes`, read in the caller's hierarchy scope
 * (`withLakeAccess`). Pushed leads are the tenant's (the push has no owner);
 * the deals come through `lake_pushed_lead_opportunities`, whose policies
 * leave a rep their own deals and a manager their teams'. Vendor spend is the
 * tenant's cost, so it is shown only to callers who see the whole tenant's
 * deals (admins and aggregates-only viewers): over a rep's own deals it would
 * charge the whole tenant's spend to a few wins.
 */

export type LeadOutcomes = OutcomeRollup & {
  /** `no_pushed_leads`: the push has not written a lead yet (or none in the query's runs); `no_lake_sync`: Odoo was never synced into the lake. */
  state: "ready" | "no_pushed_leads" | "no_lake_sync";
  spendShown: boolean;
  /** Whose deals the figures count: the whole tenant's, or only the caller's (and their teams'). */
  dealScope: "tenant" | "own" | "teams";
};

/** Whether the caller sees the tenant's vendor spend: only with the whole tenant's deals in view. */
export function showsVendorSpend(access: LakeAccess): boolean {
  return access.scope.ownerIds === null;
}

/** A pushed lead's deal that counts, as the serving zone counts: an opportunity still in Odoo, active or lost (Odoo archives what is lost). */
const countedDeal = Prisma.sql`o.stage_kind = 'opportunity' AND (o.active OR o.outcome = 'lost')`;

/**
 * The deals behind a figure of the outcome, as a condition on the deal list's
 * `o`: counted deals of pushed leads, of the given first run, ICP version or
 * bucket, so a figure's link lists exactly the deals it counts.
 */
export function pushedDealCondition(filter: PushedDealsFilter): Prisma.Sql {
  const where = [Prisma.sql`v.opportunity_id = o.id`];
  if (filter.runId) where.push(Prisma.sql`v.run_id = ${filter.runId}::uuid`);
  if (filter.icpVersion === null) where.push(Prisma.sql`r.icp_version IS NULL`);
  else if (filter.icpVersion !== undefined) where.push(Prisma.sql`r.icp_version = ${filter.icpVersion}`);
  if (filter.bucket) where.push(Prisma.sql`s.bucket = ${filter.bucket}`);
  return Prisma.sql`${countedDeal} AND EXISTS (
    SELECT 1 FROM lake_pushed_lead_opportunities v
    JOIN runs r ON r.tenant_id = v.tenant_id AND r.id = v.run_id
    JOIN lead_scores s ON s.tenant_id = v.tenant_id AND s.run_id = v.run_id AND s.uen = v.uen
    WHERE ${Prisma.join(where, " AND ")})`;
}

function runFilters(query: LeadOutcomesQuery): Prisma.Sql {
  const where = [Prisma.sql`l.first_run_id IS NOT NULL`];
  if (query.from) where.push(Prisma.sql`r.run_date >= ${`${query.from}-01`}::date`);
  if (query.to) where.push(Prisma.sql`r.run_date < (${`${query.to}-01`}::date + interval '1 month')`);
  if (query.icpVersion !== undefined) where.push(Prisma.sql`r.icp_version = ${query.icpVersion}`);
  return Prisma.join(where, " AND ");
}

/** One row per (run, bucket): pushed leads, how many got an opportunity and a won deal, and their deals' counts and values. */
async function outcomeCells(tx: TenantTx, query: LeadOutcomesQuery): Promise<OutcomeCell[]> {
  return tx.$queryRaw<OutcomeCell[]>`
    WITH pushed AS (
      SELECT l.uen, l.first_run_id AS run_id, r.run_date, r.icp_version, s.bucket
      FROM odoo_partner_links l
      JOIN runs r ON r.tenant_id = l.tenant_id AND r.id = l.first_run_id
      JOIN lead_scores s ON s.tenant_id = l.tenant_id AND s.run_id = l.first_run_id AND s.uen = l.uen
      WHERE ${runFilters(query)}
    ),
    deals AS (
      SELECT v.uen, o.outcome, o.expected_revenue
      FROM lake_pushed_lead_opportunities v
      JOIN lake_opportunities o ON o.tenant_id = v.tenant_id AND o.id = v.opportunity_id
      WHERE ${countedDeal}
    ),
    per_lead AS (
      SELECT p.run_id, p.run_date, p.icp_version, p.bucket,
             count(d.uen) AS opportunities,
             count(*) FILTER (WHERE d.outcome = 'won') AS won,
             count(*) FILTER (WHERE d.outcome = 'lost') AS lost,
             count(*) FILTER (WHERE d.outcome = 'open') AS open,
             COALESCE(sum(d.expected_revenue) FILTER (WHERE d.outcome = 'won'), 0) AS won_value,
             COALESCE(sum(d.expected_revenue) FILTER (WHERE d.outcome = 'open'), 0) AS open_value
      FROM pushed p LEFT JOIN deals d ON d.uen = p.uen
      GROUP BY p.uen, p.run_id, p.run_date, p.icp_version, p.bucket
    )
    SELECT run_id::text AS "runId", run_date::text AS "runDate", icp_version AS "icpVersion", bucket,
           count(*)::int AS pushed,
           count(*) FILTER (WHERE opportunities > 0)::int AS "withOpportunity",
           count(*) FILTER (WHERE won > 0)::int AS "withWon",
           sum(opportunities)::int AS opportunities, sum(won)::int AS won, sum(lost)::int AS lost, sum(open)::int AS open,
           sum(won_value)::float8 AS "wonValue", sum(open_value)::float8 AS "openValue"
    FROM per_lead GROUP BY run_id, run_date, icp_version, bucket`;
}

/** Each run's vendor cost from its usage ledger, and its scored companies per bucket. */
async function runSpends(tx: TenantTx, runIds: string[]): Promise<RunSpend[]> {
  if (runIds.length === 0) return [];
  const [costs, scored] = await Promise.all([
    tx.$queryRaw<Array<{ runId: string; costUsd: number }>>`
      SELECT run_id::text AS "runId", sum(cost_usd)::float8 AS "costUsd" FROM run_vendor_usage WHERE run_id = ANY(${runIds}::uuid[]) GROUP BY run_id`,
    tx.$queryRaw<Array<{ runId: string; bucket: Bucket; companies: number }>>`
      SELECT run_id::text AS "runId", bucket, count(*)::int AS companies FROM lead_scores WHERE run_id = ANY(${runIds}::uuid[]) GROUP BY run_id, bucket`,
  ]);
  const cost = new Map(costs.map((c) => [c.runId, c.costUsd]));
  return runIds.map((runId) => {
    const perBucket = Object.fromEntries(BUCKETS.map((b) => [b, scored.find((s) => s.runId === runId && s.bucket === b)?.companies ?? 0]));
    return { runId, costUsd: cost.get(runId) ?? 0, scored: perBucket as Record<Bucket, number> };
  });
}

/** The outcome of the pushed leads of the runs the query names, within the caller's scope. */
export async function leadOutcomes(tx: TenantTx, access: LakeAccess, query: LeadOutcomesQuery = {}): Promise<LeadOutcomes> {
  const cells = await outcomeCells(tx, query);
  const runIds = [...new Set(cells.map((c) => c.runId))];
  const spendShown = showsVendorSpend(access);
  const rollup = rollUpOutcomes(cells, spendShown ? await runSpends(tx, runIds) : [], spendShown);
  const dealScope = access.scope.ownerIds === null ? "tenant" : access.role === "manager" ? "teams" : "own";
  return { state: await outcomeState(tx, cells.length > 0), spendShown, dealScope, ...rollup };
}

async function outcomeState(tx: TenantTx, anyPushed: boolean): Promise<LeadOutcomes["state"]> {
  if (!anyPushed) return "no_pushed_leads";
  const odoo = await tx.lakeSource.findFirst({ where: { source: "odoo" }, select: { lastSuccessAt: true } });
  return odoo?.lastSuccessAt ? "ready" : "no_lake_sync";
}
