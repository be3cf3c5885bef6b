import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "~/db/migrator.server";
import { devAppDatabaseUrl } from "~/dev/dev-logins.server";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "~/dev/embedded-postgres.server";
import { type OdooSession } from "~/odoo/client.server";
import { startRunWorld } from "../runs/run-world";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { type OdooSimulator } from "../sims/odoo";
import { waitFor } from "../support/wait-for";

/**
 * Fault drill: the Postgres server restarts in the middle of a nightly run.
 * The drill runs on a server of its own (the shared test server cannot
 * restart under other files), stops it once some companies are done and
 * starts it again. The worker process (set up as `npm run worker` is) waits
 * for the database and carries on, the run completes, and the Odoo push that
 * follows creates each partner once.
 */
const dataDir = path.resolve(`.data/drill-pg-${process.pid}`);
let postgres: EmbeddedPostgresHandle;
let port: number;
let world: DevWorld;
let sim: OdooSimulator;
let admin: OdooSession;
let child: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

const startPostgres = () => startEmbeddedPostgres({ dataDir, port, database: "drill" });

beforeAll(async () => {
  port = await freePort();
  postgres = await startPostgres();
  await migrate({ ownerUrl: postgres.url, appLogin: { user: "nexius_app_user", password: "nexius_app_user" } });
  process.env.DATABASE_URL = postgres.url;
  process.env.APP_DATABASE_URL = devAppDatabaseUrl(postgres.url);
  world = await startRunWorld({ rows: 60 });
  const fixtures = await import("../support/lead-push-fixtures");
  ({ sim, admin } = await fixtures.startPushSimulator());
  Object.assign(process.env, { ODOO_URL: sim.url, ODOO_DB: fixtures.ODOO_DB, ODOO_ADMIN_PASSWORD: "admin-pw", ODOO_MODE: "company_per_tenant" });
}, 180_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await sim?.stop();
  await world?.close();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("drill: Postgres restarts mid-run", () => {
  it("completes the run after reconnecting, with no duplicate Odoo partners", async () => {
    const { db } = await import("~/db.server");
    const { saveIcpRules } = await import("~/icp/icp.server");
    const { startRun } = await import("~/runs/start-run.server");
    const { runProgress } = await import("~/runs/run-events.server");
    const { createTenantWithOdoo, ODOO_DB } = await import("../support/lead-push-fixtures");
    const tenant = await createTenantWithOdoo(sim, admin);
    await saveIcpRules(tenant.tenantId, { sub: "test", email: null }, { dailyCap: 30, scoreThresholds: { high: 85, medium: 65 } });
    child = spawn(process.execPath, ["--import", "tsx", "tests/runs/worker-child.ts"], {
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    let exited: number | null = null;
    child.once("exit", (code) => (exited = code ?? -1));

    const { runId } = await startRun(tenant.tenantId, { kind: "manual", actor: null, options: { limit: 30 } });
    await waitFor(async () => ((await runProgress(tenant.tenantId, runId))?.settled ?? 0) >= 6, {
      timeoutMs: 90_000,
      intervalMs: 25,
      what: "some companies to settle",
    });
    await postgres.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    postgres = await startPostgres();

    await waitFor(async () => (await runProgress(tenant.tenantId, runId).catch(() => null))?.status === "succeeded", {
      timeoutMs: 180_000,
      intervalMs: 200,
      what: "the run to finish after the restart",
    });
    await waitFor(() => db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.count({ where: { runId, stage: "odoo_push", event: "finished" } })), {
      timeoutMs: 60_000,
      what: "the Odoo push after the run",
    });
    // The same worker process did it all: it waited for the database instead of dying.
    expect(exited, output).toBeNull();
    expect(output).toMatch(/job queue lost the database; waiting for it/);
    const { companies, links } = await db.$withTenant(tenant.tenantId, async (tx) => ({
      companies: await tx.runCompany.findMany({ where: { runId }, select: { status: true } }),
      links: await tx.odooPartnerLink.findMany({ select: { partnerId: true } }),
    }));
    expect(companies).toHaveLength(30);
    expect(companies.every((c) => c.status === "done")).toBe(true);
    const partners = sim.state
      .database(ODOO_DB)
      .records("res.partner")
      .filter((p) => p.company_id === tenant.companyId && p.is_company === true);
    expect(new Set(partners.map((p) => p.ref)).size).toBe(partners.length);
    expect(links.map((l) => l.partnerId).sort()).toEqual(partners.map((p) => p.id).sort());
    expect(links.length).toBeGreaterThan(0);
  }, 300_000);
});
