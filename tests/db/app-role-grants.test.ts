import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The application role reaches around RLS nowhere: it cannot rewrite its own
 * tenant row or Odoo connection (the push sends the Odoo credentials to
 * base_url), has no rights on graphile-worker's tables, and adds jobs only
 * through app_enqueue_job(), for its own tenant and the tasks tenant code
 * enqueues. The app's enqueue() keeps working through it. Sign-in state,
 * identities, request counters and heartbeats are the platform's to write.
 */
const owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
const app = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  await Promise.all([owner.connect(), app.connect()]);
  for (const [id, slug] of [
    [tenantA, "grants-a"],
    [tenantB, "grants-b"],
  ] as const) {
    await owner.query(`INSERT INTO tenants (id, slug, name, status) VALUES ($1, $2, $2, 'active')`, [id, slug]);
    await owner.query(
      `INSERT INTO odoo_connections (tenant_id, base_url, db_name, mode, login, secret_cipher, secret_key_id)
       VALUES ($1, 'http://odoo.test', 'odoo', 'company_per_tenant', 'svc', '\\x00', 'test')`,
      [id],
    );
  }
});
afterAll(async () => {
  await Promise.all([owner.end(), app.end()]);
});

/** Runs `sql` as the application role in a transaction of `tenant`; the error message, or null. */
async function asTenant(tenant: string | null, sql: string, params: unknown[] = []): Promise<string | null> {
  await app.query("BEGIN");
  try {
    if (tenant) await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
    await app.query(sql, params);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await app.query("ROLLBACK");
  }
}

const enqueueSql = "SELECT * FROM app_enqueue_job(identifier => $1, payload => $2::json, job_key => $3, queue_name => $4)";

async function jobsKeyed(key: string) {
  const { rows } = await owner.query(
    `SELECT t.identifier AS task, j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.key = $1`,
    [key],
  );
  return rows;
}

describe("the application role", () => {
  it("cannot write sign-in state, identities, request counters or heartbeats, and keeps the reads tenant code makes", async () => {
    // The guards trust a session's roles: a session the app role could write could make itself platform staff.
    expect(await asTenant(tenantA, "UPDATE sessions SET roles = roles || '{platform_owner}'")).toMatch(/permission denied for table sessions/);
    expect(await asTenant(tenantA, "SELECT 1 FROM sessions")).toMatch(/permission denied for table sessions/);
    // Deleting a user would cascade into their memberships and sessions in other workspaces.
    expect(await asTenant(tenantA, "DELETE FROM users")).toMatch(/permission denied for table users/);
    expect(await asTenant(tenantA, "INSERT INTO tenant_users (tenant_id, user_id) VALUES ($1, $2)", [tenantA, randomUUID()])).toMatch(
      /permission denied for table tenant_users/,
    );
    expect(await asTenant(tenantA, "UPDATE tenant_users SET roles = '{admin}'")).toMatch(/permission denied for table tenant_users/);
    // The counters name every workspace's users and addresses.
    expect(await asTenant(null, "SELECT bucket FROM rate_limit_counters")).toMatch(/permission denied for table rate_limit_counters/);
    expect(await asTenant(null, "DELETE FROM worker_heartbeats")).toMatch(/permission denied for table worker_heartbeats/);
    for (const read of ["SELECT count(*) FROM users", "SELECT count(*) FROM tenant_users", "SELECT max(seen_at) FROM worker_heartbeats"]) {
      expect(await asTenant(tenantA, read), read).toBeNull();
    }
  });

  it("cannot change its own tenant row or point its Odoo connection elsewhere", async () => {
    expect(await asTenant(tenantA, "UPDATE tenants SET plan = 'enterprise', status = 'active' WHERE id = $1", [tenantA])).toMatch(/permission denied/);
    expect(await asTenant(tenantA, "UPDATE odoo_connections SET base_url = 'https://attacker.example' WHERE tenant_id = $1", [tenantA])).toMatch(
      /permission denied/,
    );
    expect(await asTenant(tenantA, "DELETE FROM odoo_connections WHERE tenant_id = $1", [tenantA])).toMatch(/permission denied/);
    expect(await asTenant(tenantA, "INSERT INTO tenants (slug, name) VALUES ('sneaky', 'Sneaky')")).toMatch(/permission denied/);
    // Reading its own stays possible.
    await app.query("BEGIN");
    await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenantA]);
    const { rows } = await app.query("SELECT t.slug, o.base_url FROM tenants t JOIN odoo_connections o ON o.tenant_id = t.id");
    await app.query("ROLLBACK");
    expect(rows).toEqual([{ slug: "grants-a", base_url: "http://odoo.test" }]);
    const { rows: unchanged } = await owner.query("SELECT plan, base_url FROM tenants t JOIN odoo_connections o ON o.tenant_id = t.id WHERE t.id = $1", [
      tenantA,
    ]);
    expect(unchanged).toEqual([{ plan: "trial", base_url: "http://odoo.test" }]);
  });

  it("cannot see or write the control plane's operations, not even its own tenant's", async () => {
    await owner.query(`INSERT INTO tenant_operations (tenant_id, type, trigger_source) VALUES ($1, 'pause', 'ui')`, [tenantA]);
    expect(await asTenant(tenantA, "SELECT * FROM tenant_operations")).toMatch(/permission denied/);
    expect(await asTenant(tenantA, "INSERT INTO tenant_operations (tenant_id, type, trigger_source) VALUES ($1, 'resume', 'ui')", [tenantA])).toMatch(
      /permission denied/,
    );
    expect(await asTenant(tenantA, "UPDATE tenant_operations SET status = 'succeeded'")).toMatch(/permission denied/);
  });

  it("has no rights on graphile-worker's tables or functions", async () => {
    for (const sql of [
      "SELECT * FROM graphile_worker._private_jobs",
      "SELECT * FROM graphile_worker.jobs",
      "UPDATE graphile_worker._private_jobs SET run_at = now()",
      "DELETE FROM graphile_worker._private_jobs",
      "SELECT graphile_worker.add_job('nightly_sweep', '{}'::json)",
    ]) {
      expect(await asTenant(tenantA, sql), sql).toMatch(/permission denied/);
    }
  });

  it("enqueues through app_enqueue_job only for its own tenant and a tenant task", async () => {
    const own = JSON.stringify({ tenantId: tenantA, reason: "test" });
    expect(await asTenant(tenantA, enqueueSql, ["refresh_candidates", own, `own:${tenantA}`, null])).toBeNull();
    expect(await asTenant(tenantA, enqueueSql, ["refresh_candidates", JSON.stringify({ tenantId: tenantB, reason: "x" }), null, null])).toMatch(
      /not this transaction's tenant/,
    );
    expect(await asTenant(tenantA, enqueueSql, ["refresh_candidates", JSON.stringify({ reason: "x" }), null, null])).toMatch(/not this transaction's tenant/);
    expect(await asTenant(null, enqueueSql, ["refresh_candidates", own, null, null])).toMatch(/no tenant in this transaction/);
    expect(await asTenant(tenantA, enqueueSql, ["nightly_sweep", own, null, null])).toMatch(/not one tenant code may enqueue/);
    expect(await asTenant(tenantA, enqueueSql, ["acra_sweep", own, null, null])).toMatch(/not one tenant code may enqueue/);
    // The rolled-back transactions added nothing.
    expect(await jobsKeyed(`own:${tenantA}`)).toEqual([]);
  });

  it("cannot take over another tenant's job key or queue", async () => {
    await owner.query("SELECT graphile_worker.add_job('refresh_candidates', $1::json, job_key => $2, queue_name => $3, run_at => now() + interval '1 hour')", [
      JSON.stringify({ tenantId: tenantB, reason: "b" }),
      `refresh_candidates:${tenantB}`,
      `queue:${tenantB}`,
    ]);
    const mine = JSON.stringify({ tenantId: tenantA, reason: "hijack" });
    expect(await asTenant(tenantA, enqueueSql, ["refresh_candidates", mine, `refresh_candidates:${tenantB}`, null])).toMatch(/belongs to another tenant's job/);
    expect(await asTenant(tenantA, enqueueSql, ["refresh_candidates", mine, null, `queue:${tenantB}`])).toMatch(/holds another tenant's jobs/);
    expect(await jobsKeyed(`refresh_candidates:${tenantB}`)).toEqual([{ task: "refresh_candidates", payload: { tenantId: tenantB, reason: "b" } }]);
  });

  it("still enqueues the app's jobs: in a tenant transaction, outside one, and platform jobs", async () => {
    const { db } = await import("~/db.server");
    const { enqueue } = await import("~/jobs/enqueue.server");
    const { enqueueCandidateRefresh } = await import("~/icp/icp.server");
    await enqueue("finalize_run", { tenantId: tenantA, runId: randomUUID() }, { jobKey: `finalize:${tenantA}` });
    await db.$withTenant(tenantA, (tx) => enqueueCandidateRefresh(tenantA, "in_tx", tx));
    await enqueue("prune_worker_heartbeats", { olderThanHours: 48 }, { jobKey: "prune:grants-test" });
    expect((await jobsKeyed(`finalize:${tenantA}`)).map((j) => j.task)).toEqual(["finalize_run"]);
    expect(await jobsKeyed(`refresh_candidates:${tenantA}`)).toEqual([{ task: "refresh_candidates", payload: { tenantId: tenantA, reason: "in_tx" } }]);
    expect((await jobsKeyed("prune:grants-test")).map((j) => j.task)).toEqual(["prune_worker_heartbeats"]);
    // A tenant transaction cannot carry another tenant's job.
    await expect(db.$withTenant(tenantA, (tx) => enqueueCandidateRefresh(tenantB, "cross", tx))).rejects.toThrow(/not this transaction's tenant/);
  });

  it("enqueues a fan-out of many jobs in chunks, each under its key, once, and only one tenant's", async () => {
    const { enqueueAll } = await import("~/jobs/enqueue.server");
    const runId = randomUUID();
    const jobs = Array.from({ length: 1203 }, (_, i) => {
      const uen = `2026${String(i).padStart(5, "0")}A`;
      return { payload: { tenantId: tenantA, runId, uen }, jobKey: `run:${runId}:${uen}` };
    });
    expect(await enqueueAll("enrich_company", jobs, { jobKeyMode: "dedupe", priority: 3 })).toBe(1203);
    // Again with the same keys: deduplicated, nothing added.
    expect(await enqueueAll("enrich_company", jobs.slice(0, 600), { jobKeyMode: "dedupe" })).toBe(600);
    const { rows } = await owner.query<{ n: number; keys: number; priority: number; max_attempts: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT key)::int AS keys, max(priority) AS priority, max(max_attempts) AS max_attempts
       FROM graphile_worker._private_jobs WHERE key LIKE $1`,
      [`run:${runId}:%`],
    );
    expect(rows[0]).toEqual({ n: 1203, keys: 1203, priority: 3, max_attempts: 3 });
    expect((await jobsKeyed(`run:${runId}:202600007A`))[0]).toEqual({ task: "enrich_company", payload: { tenantId: tenantA, runId, uen: "202600007A" } });

    const mixed = [jobs[0]!, { payload: { tenantId: tenantB, runId, uen: "X" }, jobKey: `run:${runId}:X` }];
    await expect(enqueueAll("enrich_company", mixed)).rejects.toThrow(/one tenant/);
    await expect(enqueueAll("enrich_company", [{ payload: { tenantId: tenantA, runId } as never, jobKey: "k" }])).rejects.toThrow(/Invalid payload/);
  });
});
