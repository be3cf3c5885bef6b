import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie, storedOdooConnection } from "../support/workspace-users";

/**
 * The sync API through its route modules: status per source (connection,
 * freshness, the sync in progress and the last finished), the trigger
 * (admins only, validated body, one active sync per source, 409 for a source
 * the workspace has not connected) and the history in keyset pages, newest
 * first; another tenant's members see none of it.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
const tenants: Record<"acme" | "globex", string> = { acme: "", globex: "" };
const cookies: Record<"admin" | "ops" | "viewer" | "globex", string> = { admin: "", ops: "", viewer: "", globex: "" };
const runIds: string[] = [];

async function loadApp() {
  const [db, status, trigger, history] = await Promise.all([
    import("~/db.server"),
    import("~/routes/api+/sync.status"),
    import("~/routes/api+/sync.trigger"),
    import("~/routes/api+/sync.history"),
  ]);
  return { ...db, status, trigger, history };
}

type Body = Record<string, unknown> & { sources?: Array<Record<string, unknown>>; runs?: Array<Record<string, unknown>>; next_cursor?: string | null };

async function read(response: Response) {
  return { status: response.status, body: JSON.parse(await response.text()) as Body };
}

const getStatus = (cookie: string) => invoke(app.status.loader, appRequest("/api/sync/status", { cookie })).then(read);
const getHistory = (query: string, cookie = cookies.viewer) => invoke(app.history.loader, appRequest(`/api/sync/history${query}`, { cookie })).then(read);
function postTrigger(body: string, auth: { cookie?: string; token?: string }) {
  const request = appRequest("/api/sync/trigger", { ...auth, headers: { "content-type": "application/json" } });
  return invoke(app.trigger.action, new Request(request.url, { method: "POST", headers: request.headers, body })).then(read);
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  for (const slug of ["acme", "globex"] as const) {
    tenants[slug] = (await app.platformDb.tenant.create({ data: { slug: `sync-${slug}`, name: slug, status: "active" } })).id;
  }
  cookies.admin = (await memberCookie("sync-admin", ["admin"], tenants.acme)).cookie;
  cookies.ops = (await memberCookie("sync-ops", ["ops"], tenants.acme)).cookie;
  cookies.viewer = (await memberCookie("sync-viewer", ["viewer"], tenants.acme)).cookie;
  cookies.globex = (await memberCookie("sync-globex-admin", ["admin"], tenants.globex)).cookie;
  // Acme has Odoo (through its integration user) and no Microsoft 365; five finished Odoo syncs, one with rejects.
  await storedOdooConnection(tenants.acme, "https://odoo.acme.example/");
  await app.db.$withTenant(tenants.acme, async (tx) => {
    for (let i = 0; i < 5; i++) {
      const run = await tx.lakeSyncRun.create({
        data: {
          source: "odoo",
          mode: i === 0 ? "full" : "incremental",
          trigger: "schedule",
          status: i === 3 ? "partial" : "succeeded",
          fetched: 10 + i,
          inserted: i,
          rejected: i === 3 ? 1 : 0,
          createdAt: minutesAgo(300 - i * 60),
          startedAt: minutesAgo(300 - i * 60),
          finishedAt: minutesAgo(299 - i * 60),
        },
      });
      runIds.unshift(run.id);
      if (i === 3) await tx.lakeSyncReject.create({ data: { syncRunId: run.id, entity: "crm.lead", sourceId: "901", reason: "expected_revenue: negative" } });
    }
  });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

describe("GET /api/sync/history", () => {
  it("pages through the runs newest first, with the rejects of a run that had them", async () => {
    const first = await getHistory("?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.runs!.map((run) => run.id)).toEqual(runIds.slice(0, 2));
    expect(first.body.runs![1]).toMatchObject({
      status: "partial",
      rejected: 1,
      fetched: 13,
      rejects: [{ entity: "crm.lead", sourceId: "901", reason: "expected_revenue: negative" }],
    });
    const seen = [...first.body.runs!.map((run) => run.id)];
    let cursor = first.body.next_cursor;
    while (cursor) {
      const next = await getHistory(`?limit=2&cursor=${cursor}`);
      seen.push(...next.body.runs!.map((run) => run.id));
      cursor = next.body.next_cursor;
    }
    expect(seen).toEqual(runIds);
    expect((await getHistory("?source=m365")).body.runs).toEqual([]);
  });

  it("refuses a bad query and shows another tenant nothing", async () => {
    expect((await getHistory("?limit=0")).status).toBe(400);
    expect((await getHistory("?source=salesforce")).status).toBe(400);
    const forged = await getHistory("?cursor=bm90LWEtY3Vyc29y");
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe("invalid_cursor");
    // Year 0000 parses in JavaScript but not as a Postgres timestamptz.
    const yearZero = await getHistory(`?cursor=${Buffer.from("0000-01-01|00000000-0000-0000-0000-000000000000").toString("base64url")}`);
    expect({ status: yearZero.status, error: yearZero.body.error }).toEqual({ status: 400, error: "invalid_cursor" });
    expect((await getHistory("", cookies.globex)).body.runs).toEqual([]);
  });
});

describe("POST /api/sync/trigger and GET /api/sync/status", () => {
  it("shows Odoo connected from the workspace's Odoo connection and Microsoft 365 not connected, with the last finished run", async () => {
    const { status, body } = await getStatus(cookies.viewer);
    expect(status).toBe(200);
    expect(body.sources).toEqual([
      expect.objectContaining({
        source: "odoo",
        connected: true,
        status: "connected",
        activeRun: null,
        lastFinishedRun: expect.objectContaining({ id: runIds[0], status: "succeeded", fetched: 14 }),
      }),
      expect.objectContaining({ source: "m365", connected: false, status: "not_connected", freshness: "never", activeRun: null, lastFinishedRun: null }),
    ]);
  });

  it("refuses viewers and ops, bad bodies and an unconnected source, changing nothing", async () => {
    for (const cookie of [cookies.viewer, cookies.ops]) {
      const refused = await postTrigger(JSON.stringify({ source: "odoo", mode: "incremental" }), { cookie });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe("forbidden");
    }
    for (const body of [
      "not json",
      JSON.stringify({ source: "odoo" }),
      JSON.stringify({ source: "hubspot", mode: "full" }),
      JSON.stringify({ source: "odoo", mode: "full", extra: 1 }),
    ]) {
      const refused = await postTrigger(body, { cookie: cookies.admin });
      expect(refused.status, body).toBe(400);
      expect(String(refused.body.message)).not.toBe("");
    }
    const m365 = await postTrigger(JSON.stringify({ source: "m365", mode: "full" }), { cookie: cookies.admin });
    expect(m365.status).toBe(409);
    expect(m365.body).toMatchObject({ error: "source_not_connected", source: "m365", message: expect.stringMatching(/Microsoft 365 is not connected/) });
    // Globex has no Odoo connection at all.
    expect((await postTrigger(JSON.stringify({ source: "odoo", mode: "full" }), { cookie: cookies.globex })).status).toBe(409);
    expect((await getHistory("?limit=100")).body.runs).toHaveLength(5);
  });

  it("queues one sync per source and returns the active one to a second request, shown as active in the status", async () => {
    const first = await postTrigger(JSON.stringify({ source: "odoo", mode: "incremental" }), { cookie: cookies.admin });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ syncRunId: expect.any(String), alreadyActive: false });
    const token = await mintToken(standIns.idp, { sub: "sync-admin-sub", email: "sync-admin@example.test", tenant_id: "sync-acme", roles: ["admin"] });
    const second = await postTrigger(JSON.stringify({ source: "odoo", mode: "full" }), { token });
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ syncRunId: first.body.syncRunId, alreadyActive: true });

    const { body } = await getStatus(cookies.viewer);
    expect(body.sources![0]).toMatchObject({
      source: "odoo",
      activeRun: { id: first.body.syncRunId, status: "queued", mode: "incremental", trigger: "api", requestedBy: "sync-admin@example.test" },
      lastFinishedRun: { id: runIds[0] },
    });
    expect((await getHistory("?limit=1")).body.runs![0]).toMatchObject({ id: first.body.syncRunId, status: "queued" });
    // Another tenant's status shows none of acme's runs.
    const globex = await getStatus(cookies.globex);
    expect(globex.body.sources!.map((source) => [source.activeRun, source.lastFinishedRun])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it("refuses a request without credentials and a GET", async () => {
    expect((await postTrigger(JSON.stringify({ source: "odoo", mode: "full" }), {})).status).toBe(401);
    expect((await invoke(app.trigger.loader, appRequest("/api/sync/trigger"))).status).toBe(405);
    expect((await invoke(app.status.loader, appRequest("/api/sync/status"))).status).toBe(401);
  });
});
