import { beforeAll, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { withLakeScope } from "~/lake/hierarchy.server";
import { activityFeed, dashboardOverview, kpiSeries, WHOLE_TENANT } from "~/lake/serving-reads.server";
import { rebuildServing, refreshServing } from "~/lake/serving.server";
import { singaporeDate } from "~/utils/singapore-time";
import {
  dirtyKpiDaysOf,
  expectedKpis,
  expectedPipeline,
  makeLakeWorld,
  markDirty,
  seedCanonical,
  sortRows,
  upsertDeals,
  type KpiGroup,
  type LakeWorld,
  type PipelineGroup,
} from "./lake-fixtures";

/**
 * The serving zone against real Postgres: the pipeline summaries a refresh
 * builds from the deltas the database recorded, and the KPIs of the dirty
 * days, equal the same aggregates worked out in TypeScript from the canonical
 * rows; groups no change touched are left alone; a rebuild arrives at the
 * same rows; and one tenant's refresh and reads never reach another's lake.
 */
let tenantA: string;
let tenantB: string;
let world: LakeWorld;

const round = (n: number) => Math.round(n * 1e6) / 1e6;

async function servedPipeline(tenantId: string): Promise<PipelineGroup[]> {
  const rows = await withLakeScope(
    tenantId,
    WHOLE_TENANT,
    (tx) =>
      tx.$queryRaw<PipelineGroup[]>`
      SELECT month::text AS month, stage, team_id, owner_id, outcome, count, value::text AS value, round(weighted_value, 2)::text AS weighted_value
      FROM lake_pipeline_summary`,
  );
  return sortRows(rows);
}

async function servedKpis(tenantId: string): Promise<KpiGroup[]> {
  const rows = await withLakeScope(
    tenantId,
    WHOLE_TENANT,
    (tx) =>
      tx.$queryRaw<KpiGroup[]>`
      SELECT day::text AS day, owner_id, team_id, won, lost, won_value::text AS won_value, cycle_days_total, activities_done FROM lake_kpi_daily`,
  );
  return sortRows(rows.map((row) => ({ ...row, cycle_days_total: round(row.cycle_days_total) })));
}

/** The coarse copies of the pipeline summary beside the summary added up the same way; equal when the copies are kept right. */
async function coarseCopies(tenantId: string) {
  return withLakeScope(tenantId, WHOLE_TENANT, async (tx) => {
    const byTeam = (table: Prisma.Sql) => tx.$queryRaw<unknown[]>`
      SELECT month::text, stage, team_id, outcome, sum(count)::int AS count, sum(value)::text AS value, round(sum(weighted_value), 2)::text AS weighted
      FROM ${table} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    const byOwner = (table: Prisma.Sql) => tx.$queryRaw<unknown[]>`
      SELECT month::text, owner_id, team_id, outcome, sum(count)::int AS count, sum(value)::text AS value, round(sum(weighted_value), 2)::text AS weighted
      FROM ${table} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    const byOwnerInAll = (table: Prisma.Sql) => tx.$queryRaw<unknown[]>`
      SELECT owner_id, team_id, outcome, sum(count)::int AS count, sum(value)::text AS value, round(sum(weighted_value), 2)::text AS weighted
      FROM ${table} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    const openMonths = await tx.$queryRaw<unknown[]>`
      SELECT measure, month::text, owner_id, team_id, count, value::text FROM lake_open_deal_months ORDER BY 1, 2, 3, 4`;
    const countedOpenMonths = await tx.$queryRaw<unknown[]>`
      SELECT m.measure, m.month::text, o.owner_id, o.team_id, count(*)::int AS count, sum(o.expected_revenue)::text AS value
      FROM lake_opportunities o
      CROSS JOIN LATERAL (VALUES ('deadline', date_trunc('month', o.deadline)::date),
                                 ('attended', date_trunc('month', o.attended_at AT TIME ZONE 'Asia/Singapore')::date)) AS m(measure, month)
      WHERE o.outcome = 'open' AND o.active AND o.deleted_at IS NULL AND m.month IS NOT NULL
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    return {
      openMonths,
      countedOpenMonths,
      totals: await byOwnerInAll(Prisma.sql`lake_pipeline_owner_totals`),
      summedTotals: await byOwnerInAll(Prisma.sql`lake_pipeline_summary`),
      teams: await byTeam(Prisma.sql`lake_pipeline_team_summary`),
      owners: await byOwner(Prisma.sql`lake_pipeline_owner_summary`),
      summedTeams: await byTeam(Prisma.sql`lake_pipeline_summary`),
      summedOwners: await byOwner(Prisma.sql`lake_pipeline_summary`),
    };
  });
}

const roundedKpis = (rows: KpiGroup[]) => rows.map((row) => ({ ...row, cycle_days_total: round(row.cycle_days_total) }));

beforeAll(async () => {
  tenantA = (await platformDb.tenant.create({ data: { slug: "lake-a", name: "Lake A", status: "active" } })).id;
  tenantB = (await platformDb.tenant.create({ data: { slug: "lake-b", name: "Lake B", status: "active" } })).id;
  world = makeLakeWorld(12);
  await seedCanonical({ withLakeScope }, tenantA, world);
  await markDirty({ db }, tenantA, dirtyKpiDaysOf(world.deals, world.activities));
});

describe("refreshServing", () => {
  it("adds the recorded deltas and computes the dirty days from canonical, and clears both", async () => {
    const refreshed = await withLakeScope(tenantA, WHOLE_TENANT, (tx) => refreshServing(tx));
    expect(refreshed.pipelineMonths).toEqual(["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"]);
    const pipeline = await servedPipeline(tenantA);
    expect(pipeline).toEqual(expectedPipeline(world));
    // The fixture covers what the rule is about: lost deals archived, open deals archived or deleted.
    expect(world.deals.some((d) => d.outcome === "lost" && !d.active && !d.deleted)).toBe(true);
    expect(world.deals.some((d) => d.outcome === "open" && !d.active)).toBe(true);
    expect(world.deals.some((d) => d.deleted)).toBe(true);
    expect(await servedKpis(tenantA)).toEqual(roundedKpis(expectedKpis(world)));
    expect(await withLakeScope(tenantA, WHOLE_TENANT, (tx) => tx.lakeServingDirty.count())).toBe(0);
    const [{ deltas }] = await withLakeScope(
      tenantA,
      WHOLE_TENANT,
      (tx) => tx.$queryRaw<[{ deltas: number }]>`SELECT count(*)::int AS deltas FROM lake_pipeline_deltas`,
    );
    expect(deltas).toBe(0);
    const copies = await coarseCopies(tenantA);
    expect(copies.teams.length).toBeGreaterThan(0);
    expect(copies.teams).toEqual(copies.summedTeams);
    expect(copies.owners).toEqual(copies.summedOwners);
    expect(copies.totals).toEqual(copies.summedTotals);
    expect(copies.openMonths.length).toBeGreaterThan(0);
    expect(copies.openMonths).toEqual(copies.countedOpenMonths);
  });

  it("changes only the groups a change touched: another group stays as it was", async () => {
    const moved = world.deals.find((d) => !d.deleted && d.active && d.outcome === "open" && singaporeDate(d.openedAt) < "2026-08-01")!;
    const before = { ...moved };
    // Reopened into October and won on 3 November (Singapore), as a sync might bring it.
    Object.assign(moved, { openedAt: new Date("2026-10-05T02:00:00Z"), outcome: "won", closedAt: new Date("2026-11-02T16:30:00Z") });
    const spoiledDay = (await servedKpis(tenantA)).find((g) => g.day !== "2026-11-03")!.day;
    await withLakeScope(tenantA, WHOLE_TENANT, async (tx) => {
      await upsertDeals(tx, [moved]);
      // A group of a month the change does not touch, spoiled on purpose.
      await tx.$executeRaw`UPDATE lake_pipeline_summary SET count = 999 WHERE month = '2026-09-01'`;
      await tx.$executeRaw`UPDATE lake_kpi_daily SET won = 999 WHERE day = ${spoiledDay}::date`;
    });
    await markDirty({ db }, tenantA, [...dirtyKpiDaysOf([before]), ...dirtyKpiDaysOf([moved])]);
    // A sync that rewrites deals without changing what they count for leaves no delta.
    await withLakeScope(tenantA, WHOLE_TENANT, (tx) => tx.$executeRaw`UPDATE lake_opportunities SET name = name || '', last_touch_at = last_touch_at`);
    const refreshed = await withLakeScope(tenantA, WHOLE_TENANT, (tx) => refreshServing(tx));
    expect(refreshed.kpiDays).toEqual(["2026-11-03"]);
    expect(refreshed.pipelineMonths).toEqual([`${singaporeDate(before.openedAt).slice(0, 7)}-01`, "2026-10-01"]);

    const served = await servedPipeline(tenantA);
    const expected = expectedPipeline(world);
    expect(served.filter((g) => g.month !== "2026-09-01")).toEqual(expected.filter((g) => g.month !== "2026-09-01"));
    expect(served.filter((g) => g.month === "2026-09-01").map((g) => g.count)).toEqual(expect.arrayContaining([999]));
    expect(served.filter((g) => g.month === "2026-09-01").every((g) => g.count === 999)).toBe(true);
    const kpis = await servedKpis(tenantA);
    expect(kpis.filter((g) => g.day !== spoiledDay)).toEqual(roundedKpis(expectedKpis(world)).filter((g) => g.day !== spoiledDay));
    expect(kpis.filter((g) => g.day === spoiledDay).map((g) => g.won)).toEqual(expect.arrayContaining([999]));
    expect(kpis.filter((g) => g.day === spoiledDay).every((g) => g.won === 999)).toBe(true);
  });

  it("rebuildServing arrives at the rows computed from canonical, spoiled groups included", async () => {
    await withLakeScope(tenantA, WHOLE_TENANT, (tx) => rebuildServing(tx));
    expect(await servedPipeline(tenantA)).toEqual(expectedPipeline(world));
    const copies = await coarseCopies(tenantA);
    expect(copies.teams).toEqual(copies.summedTeams);
    expect(copies.owners).toEqual(copies.summedOwners);
    expect(copies.totals).toEqual(copies.summedTotals);
    expect(copies.openMonths.length).toBeGreaterThan(0);
    expect(copies.openMonths).toEqual(copies.countedOpenMonths);
    expect(await servedKpis(tenantA)).toEqual(roundedKpis(expectedKpis(world)));
  });
});

describe("dashboard reads", () => {
  const now = new Date("2026-11-20T04:00:00Z");
  const inScope = (d: LakeWorld["deals"][number]) => !d.deleted && (d.active || d.outcome === "lost");

  it("dashboardOverview sums the open pipeline, this and last month's closings, activities and stale deals", async () => {
    const overview = await withLakeScope(tenantA, WHOLE_TENANT, (tx) => dashboardOverview(tx, WHOLE_TENANT, now));
    const open = world.deals.filter((d) => inScope(d) && d.outcome === "open");
    expect(overview.openPipeline.count).toBe(open.length);
    expect(overview.openPipeline.value).toBeCloseTo(
      open.reduce((s, d) => s + d.revenue, 0),
      2,
    );
    const closedIn = (month: string) => world.deals.filter((d) => inScope(d) && d.closedAt && singaporeDate(d.closedAt).startsWith(month));
    const november = closedIn("2026-11");
    const won = november.filter((d) => d.outcome === "won");
    expect(overview.thisMonth.won).toBe(won.length);
    expect(overview.thisMonth.lost).toBe(november.length - won.length);
    expect(overview.thisMonth.winRate).toBeCloseTo(won.length / november.length, 6);
    expect(overview.thisMonth.averageDealSize).toBeCloseTo(won.reduce((s, d) => s + d.revenue, 0) / won.length, 2);
    expect(overview.lastMonth.won).toBe(closedIn("2026-10").filter((d) => d.outcome === "won").length);

    const since = singaporeDate(new Date(now.getTime() - 29 * 86_400_000));
    const recent = world.activities.filter(
      (a) => a.state === "done" && a.active && !a.deleted && singaporeDate(a.at) >= since && singaporeDate(a.at) <= "2026-11-20",
    );
    expect(overview.activities.total).toBe(recent.length);
    expect(overview.activities.reps).toBe(new Set(recent.map((a) => a.ownerId)).size);

    const cutoff = now.getTime() - 30 * 86_400_000;
    const stale = world.deals.filter(
      (d) =>
        d.outcome === "open" &&
        d.active &&
        !d.deleted &&
        d.updatedAt.getTime() < cutoff &&
        !world.activities.some((a) => a.aboutId === d.id && !a.deleted && a.at.getTime() >= cutoff),
    );
    expect(stale.length).toBeGreaterThan(0);
    expect(overview.stale.count).toBe(stale.length);
  });

  it("counts a stale deal attended to again once an activity about it is planned, and stale again when that activity goes", async () => {
    const staleNow = () => withLakeScope(tenantA, WHOLE_TENANT, (tx) => dashboardOverview(tx, WHOLE_TENANT, now)).then((o) => o.stale.count);
    const before = await staleNow();
    const [deal] = await withLakeScope(
      tenantA,
      WHOLE_TENANT,
      (tx) =>
        tx.$queryRaw<[{ id: string }]>`
        SELECT id FROM lake_opportunities WHERE outcome = 'open' AND active AND deleted_at IS NULL AND attended_at < ${now}::timestamptz - interval '30 days' LIMIT 1`,
    );
    const [call] = await withLakeScope(
      tenantA,
      WHOLE_TENANT,
      (tx) =>
        tx.$queryRaw<[{ id: string }]>`
        INSERT INTO lake_activities (activity_type, state, at, about_kind, about_id, content_hash)
        VALUES ('Call', 'planned', ${now}::timestamptz + interval '3 days', 'opportunity', ${deal.id}::uuid, '\\x01') RETURNING id`,
    );
    // As a sync does, the serving zone is refreshed after each write.
    await withLakeScope(tenantA, WHOLE_TENANT, (tx) => refreshServing(tx));
    expect(await staleNow()).toBe(before - 1);
    await withLakeScope(tenantA, WHOLE_TENANT, async (tx) => {
      await tx.$executeRaw`UPDATE lake_activities SET deleted_at = now() WHERE id = ${call.id}::uuid`;
      await refreshServing(tx);
    });
    expect(await staleNow()).toBe(before);
    await withLakeScope(tenantA, WHOLE_TENANT, async (tx) => {
      await tx.$executeRaw`DELETE FROM lake_activities WHERE id = ${call.id}::uuid`;
      await refreshServing(tx);
    });
  });

  it("narrows every figure to the scope's owners", async () => {
    const rep = world.reps[0]!;
    const overview = await withLakeScope(tenantA, { ownerIds: [rep.id] }, (tx) => dashboardOverview(tx, { ownerIds: [rep.id] }, now));
    expect(overview.openPipeline.count).toBe(world.deals.filter((d) => inScope(d) && d.outcome === "open" && d.ownerId === rep.id).length);
    expect(overview.activities.byRep.every((r) => r.ownerId === rep.id)).toBe(true);
  });

  it("shows the stage-and-team copy only to a caller who sees the whole tenant, and the owner copy narrowed to the caller's owners", async () => {
    const rep = world.reps[0]!;
    const seen = (ownerIds: string[] | null) =>
      withLakeScope(
        tenantA,
        { ownerIds },
        (tx) =>
          tx.$queryRaw<[{ teams: number; owners: string[] }]>`
          SELECT (SELECT count(*)::int FROM lake_pipeline_team_summary) AS teams,
                 ARRAY(SELECT DISTINCT owner_id::text FROM lake_pipeline_owner_summary WHERE owner_id IS NOT NULL) AS owners`,
      ).then(([row]) => row);
    const whole = await seen(null);
    expect(whole.teams).toBeGreaterThan(0);
    expect(whole.owners.length).toBeGreaterThan(1);
    expect(await seen([rep.id])).toEqual({ teams: 0, owners: [rep.id] });
  });

  it("kpiSeries has one row per day, empty days as zeros", async () => {
    const series = await withLakeScope(tenantA, WHOLE_TENANT, (tx) => kpiSeries(tx, { from: "2026-11-01", to: "2026-11-30" }));
    expect(series.map((d) => d.day)).toHaveLength(30);
    const expected = expectedKpis(world).filter((g) => g.day.startsWith("2026-11"));
    expect(series.reduce((s, d) => s + d.won, 0)).toBe(expected.reduce((s, g) => s + g.won, 0));
    expect(series.reduce((s, d) => s + d.activitiesDone, 0)).toBe(expected.reduce((s, g) => s + g.activities_done, 0));
    await expect(withLakeScope(tenantA, WHOLE_TENANT, (tx) => kpiSeries(tx, { from: "2026-11-30", to: "2026-11-01" }))).rejects.toThrow(RangeError);
  });

  it("activityFeed pages through the done activities newest first without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    const { decodeFeedCursor } = await import("~/lake/feed-cursor");
    do {
      const page: Awaited<ReturnType<typeof activityFeed>> = await withLakeScope(tenantA, WHOLE_TENANT, (tx) =>
        activityFeed(tx, { cursor: cursor ? decodeFeedCursor(cursor) : null, limit: 7 }),
      );
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    const done = world.activities
      .filter((a) => a.state === "done" && a.active && !a.deleted)
      .sort((x, y) => y.at.getTime() - x.at.getTime() || y.id.localeCompare(x.id));
    expect(seen).toEqual(done.map((a) => a.id));
    const [first] = (await withLakeScope(tenantA, WHOLE_TENANT, (tx) => activityFeed(tx, { cursor: null, limit: 50 }))).items.filter((item) => item.about);
    expect(first!.about!.name).toBe(world.deals.find((d) => d.id === first!.about!.id)!.name);
  });

  it("counts a planned activity as overdue only once its Singapore due day is past, as Odoo does", async () => {
    const day = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const due = world.activities.find((a) => a.state === "planned" && a.active && !a.deleted && day(new Date(a.at.getTime() + 1000)) === day(a.at))!;
    const ids = async (view: "planned" | "overdue", now: Date) =>
      (await withLakeScope(tenantA, WHOLE_TENANT, (tx) => activityFeed(tx, { cursor: null, limit: 1000, view, now }))).items.map((item) => item.id);
    const laterThatDay = new Date(due.at.getTime() + 1000);
    expect(await ids("overdue", laterThatDay)).not.toContain(due.id);
    expect(await ids("planned", laterThatDay)).toContain(due.id);
    const nextDay = new Date(`${day(new Date(due.at.getTime() + 86_400_000))}T00:00:01+08:00`);
    expect(await ids("overdue", nextDay)).toContain(due.id);
    expect(await ids("planned", nextDay)).not.toContain(due.id);
  });
});

describe("another tenant", () => {
  it("neither refreshes nor reads the first tenant's lake", async () => {
    await markDirty({ db }, tenantA, ["2026-06-20"]);
    const refreshed = await withLakeScope(tenantB, WHOLE_TENANT, (tx) => refreshServing(tx));
    expect(refreshed).toEqual({ pipelineMonths: [], kpiDays: [] });
    expect(await withLakeScope(tenantA, WHOLE_TENANT, (tx) => tx.lakeServingDirty.count())).toBe(1);
    await withLakeScope(tenantB, WHOLE_TENANT, (tx) => rebuildServing(tx));
    expect(await servedPipeline(tenantA)).toEqual(expectedPipeline(world));

    expect(await servedPipeline(tenantB)).toEqual([]);
    expect(await coarseCopies(tenantB)).toEqual({
      openMonths: [],
      countedOpenMonths: [],
      totals: [],
      summedTotals: [],
      teams: [],
      owners: [],
      summedTeams: [],
      summedOwners: [],
    });
    const overview = await withLakeScope(tenantB, WHOLE_TENANT, (tx) => dashboardOverview(tx, WHOLE_TENANT, new Date("2026-11-20T04:00:00Z")));
    expect(overview.openPipeline).toEqual({ count: 0, value: 0, weightedValue: 0 });
    expect(overview.stale.count).toBe(0);
    expect((await withLakeScope(tenantB, WHOLE_TENANT, (tx) => activityFeed(tx, { cursor: null, limit: 10 }))).items).toEqual([]);
  });
});
