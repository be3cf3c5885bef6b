import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

/**
 * The serving zone: the aggregates the dashboards read, refreshed after each
 * sync, never recomputed from scratch. The pipeline summaries add the deltas
 * the database recorded as deals changed (triggers on lake_opportunities);
 * so do the open deals' months (by deadline and by last attention) and the
 * planned activities' months; the KPIs
 * recompute the Singapore days the loader marked dirty.
 *
 * What counts: an opportunity whose source still has it (deleted_at unset)
 * and that is active or lost. Odoo archives what is lost, so a lost deal
 * counts although inactive; an archived open or won deal was withdrawn by
 * its owner and counts nowhere. An activity counts when done, active and
 * not deleted; its team is its owner's team at refresh time (a rep who moves
 * team keeps their past days under the old team until the next rebuild).
 * Amounts are summed as the source gives them, whatever their currency.
 */

/** Months and days are Singapore's: a deal closed at 23:30 UTC belongs to the next Singapore day. */
export const SERVING_TIME_ZONE = "Asia/Singapore";

const zone = Prisma.sql`${SERVING_TIME_ZONE}::text`;
const countedOpportunity = Prisma.sql`o.deleted_at IS NULL AND (o.active OR o.outcome = 'lost')`;
const pipelineMonth = Prisma.sql`date_trunc('month', o.opened_at AT TIME ZONE ${zone})::date`;

export type ServingRefresh = { pipelineMonths: string[]; kpiDays: string[] };

const NO_ID = Prisma.sql`'00000000-0000-0000-0000-000000000000'::uuid`;
/** The groups' unique index, the target the deltas are added on. */
const pipelineGroup = Prisma.sql`(tenant_id, month, stage, COALESCE(team_id, ${NO_ID}), COALESCE(owner_id, ${NO_ID}), outcome)`;
const PIPELINE_SUMMARIES = [
  Prisma.sql`lake_pipeline_summary`,
  Prisma.sql`lake_pipeline_tag_summary`,
  Prisma.sql`lake_pipeline_team_summary`,
  Prisma.sql`lake_pipeline_owner_summary`,
];
const addDelta = Prisma.sql`count = s.count + EXCLUDED.count, value = s.value + EXCLUDED.value, weighted_value = s.weighted_value + EXCLUDED.weighted_value`;

/**
 * Adds the recorded deltas to their groups (pipeline, open deals, planned activities) and recomputes the dirty
 * KPI days, then clears both, in the caller's tenant transaction (after the
 * loader's writes). One refresh per tenant at a time: two sources syncing
 * together would otherwise add the same group twice.
 */
export async function refreshServing(tx: TenantTx): Promise<ServingRefresh> {
  await lockServing(tx);
  const months = await tx.$queryRaw<Array<{ month: string }>>`
    WITH consumed AS (DELETE FROM lake_pipeline_deltas RETURNING *),
    net AS (
      SELECT tag, month, stage, team_id, owner_id, outcome, sum(count)::int AS count, sum(value) AS value, sum(weighted_value) AS weighted_value
      FROM consumed GROUP BY tag, month, stage, team_id, owner_id, outcome),
    untagged AS (
      INSERT INTO lake_pipeline_summary AS s (month, stage, team_id, owner_id, outcome, count, value, weighted_value)
      SELECT month, stage, team_id, owner_id, outcome, count, value, weighted_value FROM net WHERE tag IS NULL
      ON CONFLICT ${pipelineGroup} DO UPDATE SET ${addDelta}),
    tagged AS (
      INSERT INTO lake_pipeline_tag_summary AS s (tag, month, stage, team_id, owner_id, outcome, count, value, weighted_value)
      SELECT tag, month, stage, team_id, owner_id, outcome, count, value, weighted_value FROM net WHERE tag IS NOT NULL
      ON CONFLICT (tenant_id, tag, month, stage, COALESCE(team_id, ${NO_ID}), COALESCE(owner_id, ${NO_ID}), outcome) DO UPDATE SET ${addDelta}),
    teams AS (
      INSERT INTO lake_pipeline_team_summary AS s (month, stage, team_id, outcome, count, value, weighted_value)
      SELECT month, stage, team_id, outcome, sum(count), sum(value), sum(weighted_value) FROM net WHERE tag IS NULL GROUP BY month, stage, team_id, outcome
      ON CONFLICT (tenant_id, month, stage, COALESCE(team_id, ${NO_ID}), outcome) DO UPDATE SET ${addDelta}),
    owners AS (
      INSERT INTO lake_pipeline_owner_summary AS s (month, owner_id, team_id, outcome, count, value, weighted_value)
      SELECT month, owner_id, team_id, outcome, sum(count), sum(value), sum(weighted_value) FROM net WHERE tag IS NULL GROUP BY month, owner_id, team_id, outcome
      ON CONFLICT (tenant_id, month, COALESCE(owner_id, ${NO_ID}), COALESCE(team_id, ${NO_ID}), outcome) DO UPDATE SET ${addDelta}),
    owner_totals AS (
      INSERT INTO lake_pipeline_owner_totals AS s (owner_id, team_id, outcome, count, value, weighted_value)
      SELECT owner_id, team_id, outcome, sum(count), sum(value), sum(weighted_value) FROM net WHERE tag IS NULL GROUP BY owner_id, team_id, outcome
      ON CONFLICT (tenant_id, COALESCE(owner_id, ${NO_ID}), COALESCE(team_id, ${NO_ID}), outcome) DO UPDATE SET ${addDelta})
    SELECT DISTINCT month::text AS month FROM net ORDER BY 1`;
  const pipelineMonths = months.map((m) => m.month);
  if (pipelineMonths.length) {
    // A group its last deal left is gone, as a recompute would leave it.
    for (const table of PIPELINE_SUMMARIES) await tx.$executeRaw`DELETE FROM ${table} WHERE month = ANY(${pipelineMonths}::date[]) AND count = 0`;
    await tx.$executeRaw`DELETE FROM lake_pipeline_owner_totals WHERE count = 0`;
  }
  await tx.$executeRaw`
    WITH consumed AS (DELETE FROM lake_open_deal_deltas RETURNING *)
    INSERT INTO lake_open_deal_months AS s (measure, month, owner_id, team_id, count, value)
    SELECT measure, month, owner_id, team_id, sum(count), sum(value) FROM consumed GROUP BY measure, month, owner_id, team_id
    ON CONFLICT (tenant_id, measure, month, COALESCE(owner_id, ${NO_ID}), COALESCE(team_id, ${NO_ID}))
    DO UPDATE SET count = s.count + EXCLUDED.count, value = s.value + EXCLUDED.value`;
  await tx.$executeRaw`DELETE FROM lake_open_deal_months WHERE count = 0`;
  await tx.$executeRaw`
    WITH consumed AS (DELETE FROM lake_planned_activity_deltas RETURNING *)
    INSERT INTO lake_planned_activity_months AS s (month, owner_id, count)
    SELECT month, owner_id, sum(count) FROM consumed GROUP BY month, owner_id
    ON CONFLICT (tenant_id, month, COALESCE(owner_id, ${NO_ID})) DO UPDATE SET count = s.count + EXCLUDED.count`;
  await tx.$executeRaw`DELETE FROM lake_planned_activity_months WHERE count = 0`;
  const dirty = await tx.$queryRaw<Array<{ day: string }>>`
    WITH consumed AS (DELETE FROM lake_serving_dirty RETURNING day) SELECT DISTINCT day::text AS day FROM consumed ORDER BY 1`;
  const kpiDays = dirty.map((d) => d.day);
  if (kpiDays.length) {
    await tx.$executeRaw`DELETE FROM lake_kpi_daily WHERE day = ANY(${kpiDays}::date[])`;
    await tx.$executeRaw`${insertKpis(kpiDays)}`;
  }
  return { pipelineMonths, kpiDays };
}

/** The whole serving zone again from canonical, as after a replay; pending dirty groups are covered by it. */
export async function rebuildServing(tx: TenantTx): Promise<void> {
  await lockServing(tx);
  await tx.$executeRaw`DELETE FROM lake_serving_dirty`;
  await tx.$executeRaw`DELETE FROM lake_pipeline_deltas`;
  for (const table of PIPELINE_SUMMARIES) await tx.$executeRaw`DELETE FROM ${table}`;
  await tx.$executeRaw`DELETE FROM lake_pipeline_owner_totals`;
  await tx.$executeRaw`DELETE FROM lake_open_deal_deltas`;
  await tx.$executeRaw`DELETE FROM lake_open_deal_months`;
  await tx.$executeRaw`DELETE FROM lake_planned_activity_deltas`;
  await tx.$executeRaw`DELETE FROM lake_planned_activity_months`;
  await tx.$executeRaw`
    INSERT INTO lake_planned_activity_months (month, owner_id, count)
    SELECT date_trunc('month', at AT TIME ZONE ${zone})::date, owner_id, count(*)::int
    FROM lake_activities WHERE state = 'planned' AND active AND deleted_at IS NULL GROUP BY 1, 2`;
  await tx.$executeRaw`
    INSERT INTO lake_open_deal_months (measure, month, owner_id, team_id, count, value)
    SELECT m.measure, m.month, o.owner_id, o.team_id, count(*)::int, sum(o.expected_revenue)
    FROM lake_opportunities o
    CROSS JOIN LATERAL (VALUES
      ('deadline', date_trunc('month', o.deadline)::date),
      ('attended', date_trunc('month', o.attended_at AT TIME ZONE ${zone})::date)) AS m(measure, month)
    WHERE o.outcome = 'open' AND o.active AND o.deleted_at IS NULL AND m.month IS NOT NULL
    GROUP BY 1, 2, 3, 4`;
  await tx.$executeRaw`DELETE FROM lake_kpi_daily`;
  await tx.$executeRaw`${insertPipeline()}`;
  await tx.$executeRaw`${insertPipelineTags()}`;
  await tx.$executeRaw`
    INSERT INTO lake_pipeline_team_summary (month, stage, team_id, outcome, count, value, weighted_value)
    SELECT month, stage, team_id, outcome, sum(count), sum(value), sum(weighted_value) FROM lake_pipeline_summary GROUP BY month, stage, team_id, outcome`;
  await tx.$executeRaw`
    INSERT INTO lake_pipeline_owner_summary (month, owner_id, team_id, outcome, count, value, weighted_value)
    SELECT month, owner_id, team_id, outcome, sum(count), sum(value), sum(weighted_value) FROM lake_pipeline_summary GROUP BY month, owner_id, team_id, outcome`;
  await tx.$executeRaw`
    INSERT INTO lake_pipeline_owner_totals (owner_id, team_id, outcome, count, value, weighted_value)
    SELECT owner_id, team_id, outcome, sum(count), sum(value), sum(weighted_value) FROM lake_pipeline_owner_summary GROUP BY owner_id, team_id, outcome`;
  await tx.$executeRaw`${insertKpis(null)}`;
}

async function lockServing(tx: TenantTx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('lake-serving:' || current_setting('app.tenant_id'), 0))`;
  // A dirty month list can span a tenant's whole pipeline (a million deals): group it in memory, not in sorted runs on disk.
  await tx.$executeRaw`SET LOCAL work_mem = '128MB'`;
}

/** The pipeline groups from canonical, as the deltas' triggers count a deal. */
function insertPipeline(): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO lake_pipeline_summary (month, stage, team_id, owner_id, outcome, count, value, weighted_value)
    SELECT ${pipelineMonth}, COALESCE(o.stage_name, o.stage_kind), o.team_id, o.owner_id, o.outcome,
           count(*)::int, sum(o.expected_revenue), sum(o.expected_revenue * o.probability::numeric / 100)
    FROM lake_opportunities o
    WHERE ${countedOpportunity}
    GROUP BY 1, 2, 3, 4, 5`;
}

/** The same groups per tag: a deal counts once under each tag it carries (tags are distinct per deal). */
function insertPipelineTags(): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO lake_pipeline_tag_summary (tag, month, stage, team_id, owner_id, outcome, count, value, weighted_value)
    SELECT t.tag, ${pipelineMonth}, COALESCE(o.stage_name, o.stage_kind), o.team_id, o.owner_id, o.outcome,
           count(*)::int, sum(o.expected_revenue), sum(o.expected_revenue * o.probability::numeric / 100)
    FROM lake_opportunities o CROSS JOIN LATERAL unnest(o.tags) AS t(tag)
    WHERE ${countedOpportunity}
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

/**
 * The KPI facts of the given Singapore days, sorted (all days when null): deals won
 * and lost on their closing day, activities done on their day. The range
 * bounds let the (tenant, closed_at) and (tenant, at) indexes find the days' rows.
 */
function insertKpis(days: string[] | null): Prisma.Sql {
  const closedDay = Prisma.sql`(o.closed_at AT TIME ZONE ${zone})::date`;
  const activityDay = Prisma.sql`(a.at AT TIME ZONE ${zone})::date`;
  const opportunityDays = days
    ? Prisma.sql`o.closed_at >= (${days[0]}::date::timestamp AT TIME ZONE ${zone}) AND o.closed_at < ((${days.at(-1)}::date + 1)::timestamp AT TIME ZONE ${zone})
                 AND ${closedDay} = ANY(${days}::date[])`
    : Prisma.sql`TRUE`;
  const activityDays = days
    ? Prisma.sql`a.at >= (${days[0]}::date::timestamp AT TIME ZONE ${zone}) AND a.at < ((${days.at(-1)}::date + 1)::timestamp AT TIME ZONE ${zone})
                 AND ${activityDay} = ANY(${days}::date[])`
    : Prisma.sql`TRUE`;
  return Prisma.sql`
    INSERT INTO lake_kpi_daily (day, owner_id, team_id, won, lost, won_value, cycle_days_total, activities_done)
    SELECT day, owner_id, team_id, sum(won)::int, sum(lost)::int, sum(won_value), sum(cycle_days), sum(activities)::int
    FROM (
      SELECT ${closedDay} AS day, o.owner_id, o.team_id,
             (o.outcome = 'won')::int AS won, (o.outcome = 'lost')::int AS lost,
             CASE WHEN o.outcome = 'won' THEN o.expected_revenue ELSE 0 END AS won_value,
             CASE WHEN o.outcome = 'won' THEN greatest(0, extract(epoch FROM o.closed_at - o.opened_at)::float8 / 86400) ELSE 0 END AS cycle_days,
             0 AS activities
      FROM lake_opportunities o
      WHERE ${countedOpportunity} AND o.outcome IN ('won', 'lost') AND o.closed_at IS NOT NULL AND ${opportunityDays}
      UNION ALL
      SELECT ${activityDay}, a.owner_id, u.team_id, 0, 0, 0, 0, 1
      FROM lake_activities a
      LEFT JOIN lake_users u ON u.id = a.owner_id AND u.deleted_at IS NULL
      WHERE a.state = 'done' AND a.active AND a.deleted_at IS NULL AND ${activityDays}
    ) facts
    GROUP BY day, owner_id, team_id`;
}
