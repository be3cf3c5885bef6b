import { benchDatabase, round } from "./bench-database";

/**
 * `npm run bench:sync`: LEADS (default 100,000) Odoo leads with their
 * partners in the simulator, answering every call after a realistic latency
 * (LATENCY_MS, default 40 ms), synced into one tenant's lake:
 *   1. a full sync;
 *   2. 1 % of the leads changed in Odoo, then an incremental sync;
 *   3. an incremental sync with nothing changed (must add no raw rows).
 * Embedded Postgres on BENCH_PG_PORT (default 54359). Last stdout line:
 * { full_seconds, full_rows_per_s, incremental_seconds, changed, raw_bytes_per_row, unchanged_raw_inserted }.
 */
const leads = Number(process.env.LEADS ?? 100_000);
const latencyMs = Number(process.env.LATENCY_MS ?? 40);
process.env.BENCH_PG_PORT ??= "54359";
const log = (message: string) => process.stderr.write(`[bench:sync] ${message}\n`);

const database = await benchDatabase("nexius_bench_sync");
process.env.DATABASE_URL = database.ownerUrl;
process.env.APP_DATABASE_URL = database.appUrl;
process.env.LOG_LEVEL ??= "warn";
process.env.SECRET_KEYS ??= "bench1:" + Buffer.alloc(32, 7).toString("base64");
const { OdooClient } = await import("../../app/odoo/client.server");
const { REQUIRED_MODULES } = await import("../../app/odoo/module-install.server");
const { sourceKit } = await import("../../app/lake/sources.server");
const { requestSync } = await import("../../app/lake/sync-requests.server");
const { runSync } = await import("../../app/lake/sync-runner.server");
const { db } = await import("../../app/db.server");
const { seedDemoCrm, startOdooSimulator } = await import("../sims/odoo");
const { createTenantWithOdoo, ODOO_DB } = await import("../support/lead-push-fixtures");
(await import("../../app/logger.server")).rootLogger.level = process.env.LOG_LEVEL;

const sim = await startOdooSimulator({ databases: [{ name: ODOO_DB, adminPassword: "admin-pw", modules: [...REQUIRED_MODULES, "crm"] }] });
try {
  const admin = await new OdooClient({ baseUrl: sim.url }).connect(ODOO_DB, "admin", "admin-pw");
  const odoo = sim.state.database(ODOO_DB);
  const tenant = await createTenantWithOdoo(sim, admin);
  log(`seeding ${leads} leads with their partners in the simulator`);
  seedDemoCrm(odoo, { companyId: tenant.companyId, companies: Math.max(50, Math.round(leads / 20)), leads, activities: false, now: new Date() });
  sim.faults.setLatency(latencyMs);

  const sync = async (mode: "full" | "incremental") => {
    const { syncRunId } = await requestSync(tenant.tenantId, { source: "odoo", mode, trigger: "cli", queue: false });
    const started = performance.now();
    const summary = await runSync(tenant.tenantId, syncRunId, await sourceKit(tenant.tenantId, "odoo"), {
      onProgress: ({ entity, counts }) => process.stderr.write(`\r[bench:sync] ${mode}: ${entity} ${counts.fetched} fetched\u001b[K`),
    });
    process.stderr.write("\n");
    if (summary?.status !== "succeeded") throw new Error(`${mode} sync ended ${summary?.status}`);
    return { ...summary, seconds: (performance.now() - started) / 1000 };
  };

  const full = await sync("full");
  log(`full: ${round(full.seconds)} s, ${full.fetched} records, ${full.inserted} entities`);

  const toChange = odoo
    .records("crm.lead")
    .filter((l) => l.company_id === tenant.companyId)
    .slice(0, Math.round(leads / 100));
  log(`changing ${toChange.length} leads in Odoo`);
  for (let i = 0; i < toChange.length; i += 500) {
    const batch = toChange.slice(i, i + 500);
    await admin.write(
      "crm.lead",
      batch.map((l) => l.id),
      { probability: 42 },
    );
  }
  const incremental = await sync("incremental");
  log(`incremental: ${round(incremental.seconds)} s, ${incremental.fetched} fetched, ${incremental.updated} updated`);
  const unchanged = await sync("incremental");
  log(`unchanged incremental: ${round(unchanged.seconds)} s, ${unchanged.raw_inserted} raw rows added`);

  const { bytes, rows } = await db.$withTenant(tenant.tenantId, async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ bytes: bigint; rows: bigint }>>`
      SELECT coalesce(sum(pg_column_size(r.*)), 0)::bigint AS bytes, count(*)::bigint AS rows FROM lake_raw_records r`;
    return { bytes: Number(row!.bytes), rows: Number(row!.rows) };
  });
  console.log(
    JSON.stringify({
      leads,
      latency_ms: latencyMs,
      full_seconds: round(full.seconds),
      full_rows_per_s: Math.round(full.fetched / full.seconds),
      incremental_seconds: round(incremental.seconds),
      changed: incremental.updated,
      unchanged_seconds: round(unchanged.seconds),
      unchanged_raw_inserted: unchanged.raw_inserted,
      raw_bytes_per_row: Math.round(bytes / Math.max(rows, 1)),
    }),
  );
} finally {
  await sim.stop();
  await database.stop();
}
process.exit(0);
