import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { createM365Connector } from "~/lake/m365/connector.server";
import { createGraphClient } from "~/lake/m365/graph-client.server";
import { lakeMailboxHoldings } from "~/lake/m365/mailbox-holdings.server";
import { createM365Mapper } from "~/lake/m365/mapper";
import { runSync } from "~/lake/sync-runner.server";
import { sweepLakeSyncs } from "~/lake/sync-sweep.server";
import { singaporeHour } from "~/utils/singapore-time";
import { startGraphSimulator, type GraphSim } from "../sims/graph/server";

/**
 * The scheduler against Postgres: each source gets the sync its own schedule
 * owes it (interval, nightly reconcile hour or none), nothing while a sync
 * is active or the source is not connected; a source past its freshness SLA
 * opens one alert per staleness episode, which a successful sync (here a
 * real Microsoft 365 sync through the Graph simulator) resolves.
 */
const DIRECTORY = { directoryId: "0b7e4c8a-1d2f-4e3a-9b5c-6d7e8f901a2b", domain: "sweep.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };

let sim: GraphSim;
const now = new Date();
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function tenantWithSources(slug: string, sources: Array<Record<string, unknown> & { source: string }>) {
  const tenant = await platformDb.tenant.create({ data: { slug: `${slug}-${randomUUID().slice(0, 8)}`, name: slug, status: "active" } });
  await db.$withTenant(tenant.id, async (tx) => {
    for (const source of sources) await tx.lakeSource.create({ data: { status: "connected", connectedAt: minutesAgo(10_000), ...source } });
  });
  return tenant.id;
}

const queuedRuns = (tenantId: string) =>
  db.$withTenant(tenantId, (tx) =>
    tx.lakeSyncRun.findMany({ where: { status: "queued" }, select: { source: true, mode: true, trigger: true }, orderBy: { source: "asc" } }),
  );
const staleAlerts = (tenantId: string) =>
  db.$withTenant(tenantId, (tx) =>
    tx.alert.findMany({
      where: { kind: { startsWith: "lake_stale_" } },
      select: { kind: true, resolvedAt: true, message: true },
      orderBy: { createdAt: "asc" },
    }),
  );

beforeAll(async () => {
  sim = await startGraphSimulator({ directories: [DIRECTORY], demo: false });
  sim.directory(DIRECTORY.directoryId).addUser({ displayName: "Mei Ling Tan" });
});
afterAll(() => sim.close());

describe("the lake sync sweep", () => {
  it("queues what each source's own schedule owes it, and nothing else", async () => {
    const fifteenMinutes = await tenantWithSources("every-15", [
      { source: "odoo", incrementalEveryMinutes: 15, lastSuccessAt: minutesAgo(20), lastFullAt: minutesAgo(600) },
      { source: "m365", incrementalEveryMinutes: 1440, freshnessSlaMinutes: 2880, lastSuccessAt: minutesAgo(120), lastFullAt: minutesAgo(600) },
    ]);
    const reconciling = await tenantWithSources("reconcile", [
      { source: "odoo", fullReconcileHour: singaporeHour(now), lastSuccessAt: minutesAgo(5), lastFullAt: minutesAgo(48 * 60) },
      { source: "m365", fullReconcileHour: null, lastSuccessAt: minutesAgo(30), lastFullAt: null },
    ]);
    const firstSync = await tenantWithSources("first", [{ source: "odoo", lastSuccessAt: null, connectedAt: now }]);
    const idle = await tenantWithSources("idle", [
      { source: "odoo", lastSuccessAt: null, status: "not_connected" },
      { source: "m365", lastSuccessAt: minutesAgo(400), enabled: false },
    ]);

    const requested = await sweepLakeSyncs(now);

    expect(await queuedRuns(fifteenMinutes)).toEqual([{ source: "odoo", mode: "incremental", trigger: "schedule" }]);
    expect(await queuedRuns(reconciling)).toEqual([{ source: "odoo", mode: "full", trigger: "schedule" }]);
    // A source never synced is read in full first.
    expect(await queuedRuns(firstSync)).toEqual([{ source: "odoo", mode: "full", trigger: "schedule" }]);
    expect(await queuedRuns(idle)).toEqual([]);
    expect(requested.filter((r) => [fifteenMinutes, reconciling, firstSync, idle].includes(r.tenantId))).toHaveLength(3);
    const jobs = await platformDb.$queryRaw<Array<{ key: string }>>`SELECT key FROM graphile_worker._private_jobs WHERE task_id = (
      SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'sync_lake_source')`;
    expect(jobs.map((j) => j.key)).toEqual(expect.arrayContaining([`lake_sync:${fifteenMinutes}:odoo`, `lake_sync:${reconciling}:odoo`]));

    // The queued syncs are still active on the next sweep: no second one.
    await sweepLakeSyncs(new Date(now.getTime() + 5 * 60_000));
    expect(await queuedRuns(fifteenMinutes)).toHaveLength(1);
  });

  it("raises one alert while a source is beyond its SLA and resolves it when a sync succeeds", async () => {
    const tenantId = await tenantWithSources("stale", [
      { source: "m365", directoryId: DIRECTORY.directoryId, freshnessSlaMinutes: 60, lastSuccessAt: minutesAgo(180), lastFullAt: minutesAgo(180) },
    ]);
    await sweepLakeSyncs(now);
    await sweepLakeSyncs(new Date(now.getTime() + 5 * 60_000));
    const raised = await staleAlerts(tenantId);
    expect(raised).toEqual([{ kind: "lake_stale_m365", resolvedAt: null, message: expect.stringContaining("beyond its 1 h freshness target") }]);
    const { alerts } = await import("~/dashboard/dashboard.server").then((m) => m.dashboardSummary(tenantId));
    expect(alerts.map((a) => a.kind)).toContain("lake_stale_m365");

    // The sweep queued an incremental sync; the worker runs it against Microsoft 365.
    const [run] = await db.$withTenant(tenantId, (tx) => tx.lakeSyncRun.findMany({ where: { status: "queued" }, select: { id: true } }));
    const client = createGraphClient({ graphBaseUrl: sim.url, loginBaseUrl: sim.url, ...DIRECTORY, sleep: async () => {} });
    const summary = await runSync(tenantId, run!.id, { connector: createM365Connector(client, lakeMailboxHoldings(tenantId)), mapper: createM365Mapper() });
    expect(summary).toMatchObject({ status: "succeeded" });
    expect((await staleAlerts(tenantId))[0]!.resolvedAt).toBeInstanceOf(Date);

    // Fresh now: the sweep opens nothing; a later episode gets an alert of its own.
    await sweepLakeSyncs(new Date());
    expect(await staleAlerts(tenantId)).toHaveLength(1);
    await db.$withTenant(tenantId, (tx) => tx.lakeSource.updateMany({ data: { lastSuccessAt: minutesAgo(120) } }));
    await sweepLakeSyncs(now);
    expect((await staleAlerts(tenantId)).map((a) => a.resolvedAt === null)).toEqual([false, true]);
  });
});
