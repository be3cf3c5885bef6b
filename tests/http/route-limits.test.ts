import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { startWorkspace, type Member } from "../shortlist/workspace";
import { appRequest, invoke } from "../support/app-requests";
import { memberCookie } from "../support/workspace-users";

/**
 * Per-user limits in the routes, and the export pool: a slow export reader
 * gets backpressure (the cursor waits, nothing is buffered ahead), exports
 * hold connections of their own pool and never the app's, a user and a
 * tenant may download only so many exports and a user hold only so many
 * live-progress streams at once, and API requests and exports are rate-limited per user with 429
 * and Retry-After. Limits are set low here, before the app is loaded.
 */
Object.assign(process.env, {
  DB_POOL_SIZE: "2",
  EXPORT_POOL_SIZE: "3",
  EXPORTS_PER_USER: "1",
  EXPORTS_PER_TENANT: "2",
  EVENT_STREAMS_PER_USER: "2",
  RATE_LIMIT_EXPORTS_PER_MINUTE: "4",
  RATE_LIMIT_API_PER_MINUTE: "25",
});

let ws: Awaited<ReturnType<typeof startWorkspace>>;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let acme: Tenant;
let globex: Tenant;
const m: Record<string, Member> = {};

async function loadRoutes() {
  const [exportRoute, events, whoami, exportsServer] = await Promise.all([
    import("~/routes/api+/export.$file"),
    import("~/routes/api+/runs.$id.events"),
    import("~/routes/api+/whoami"),
    import("~/exports/shortlist-export.server"),
  ]);
  return { exportLoader: exportRoute.loader, eventsLoader: events.loader, whoamiLoader: whoami.loader, ...exportsServer };
}

beforeAll(async () => {
  ws = await startWorkspace();
  routes = await loadRoutes();
  [acme, globex] = await Promise.all([ws.tenant("acme"), ws.tenant("globex")]);
  for (const role of ["ops", "viewer", "admin"]) m[`acme-${role}`] = await ws.member(acme, role);
  for (const role of ["ops", "viewer", "admin"]) m[`globex-${role}`] = await ws.member(globex, role);
  await ws.seedFinishedRun(acme.id, { companies: 30, seed: 31, runDate: ws.today });
  await ws.seedFinishedRun(globex.id, { companies: 12, seed: 32, runDate: ws.today });
}, 120_000);

afterAll(async () => {
  await ws?.standIns.stop();
});

const exportRequest = (who: { cookie: string }, signal?: AbortSignal) =>
  invoke(routes.exportLoader, new Request(appRequest("/api/export/shortlist.csv", { cookie: who.cookie }), { signal }), { file: "shortlist.csv" });

const FILTERS = { date: null, bucket: null, industry: null, hasEmail: false, q: null };

/** A one-row-per-batch export stream (masked, so through the cursor), read up to its first rows and then left waiting. */
async function slowReader(tenantId: string) {
  const run = (await routes.findExportRun(tenantId, "shortlist", ws.today))!;
  const reader = routes
    .shortlistExportStream(tenantId, run, { filters: FILTERS, limit: null, format: "csv", masked: true, tenantSlug: "t", kind: "shortlist", batchSize: 1 })
    .getReader();
  await reader.read();
  await reader.read();
  return reader;
}

/** Export transactions waiting in the middle of their cursor: open, idle, last statement a FETCH. */
async function exportsWaitingMidCursor(): Promise<number> {
  const [row] = await ws.platformDb.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'FETCH%shortlist_export%'`;
  return row!.n;
}

describe("exports", () => {
  it("hold back a slow reader: the cursor waits for it, nothing is read ahead", async () => {
    const reader = await slowReader(acme.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Thirty rows at one per batch: had the stream read ahead of its reader, the transaction would be over.
    expect(await exportsWaitingMidCursor()).toBe(1);
    let lines = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) lines += new TextDecoder().decode(next.value).split("\r\n").length - 1;
    expect(lines).toBeGreaterThan(20);
    await expect.poll(exportsWaitingMidCursor).toBe(0);
  });

  it("run on their own pool: two slow downloads leave the app's connections free", async () => {
    const readers = [await slowReader(acme.id), await slowReader(globex.id)];
    expect(await exportsWaitingMidCursor()).toBe(2);
    // The app's pool has two connections too; had the exports taken them, these would wait and time out.
    const counts = await Promise.all(
      [acme.id, globex.id, acme.id].map((tenantId) => ws.db.$withTenant(tenantId, (tx) => tx.leadScore.count(), { maxWait: 2000 })),
    );
    expect(counts).toEqual([30, 12, 30]);
    for (const reader of readers) await reader.cancel();
    await expect.poll(exportsWaitingMidCursor).toBe(0);
  });

  it("one at a time per user, two at a time per tenant, and no more at once than the export pool has connections", async () => {
    const first = new AbortController();
    const open = await exportRequest(m["acme-ops"]!, first.signal);
    expect(open.status).toBe(200);
    const second = await exportRequest(m["acme-ops"]!);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("5");
    expect(await second.json()).toMatchObject({ error: "too_many_exports" });

    // Members who download nothing else here, so the per-user rate limits of the tests below stay untouched.
    const [acmeAnalyst, globexAnalyst] = await Promise.all([
      memberCookie("acme-analyst", ["ops"], acme.id),
      memberCookie("globex-analyst", ["ops"], globex.id),
    ]);
    const teammate = await exportRequest(m["acme-viewer"]!);
    expect(teammate.status).toBe(200);
    // Acme's two slots are taken: a third acme user waits, while another tenant still gets the pool's last connection.
    const third = await exportRequest(acmeAnalyst);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("5");
    expect(await third.json()).toMatchObject({ error: "team_exports_busy" });
    const other = await exportRequest(m["globex-ops"]!);
    expect(other.status).toBe(200);
    const full = await exportRequest(globexAnalyst);
    expect(full.status).toBe(503);
    expect(await full.json()).toMatchObject({ error: "exports_busy" });

    // Read to the end, or abandoned: either frees the slot (the user's and the tenant's).
    expect((await other.text()).split("\r\n")).toHaveLength(1 + 12 + 1);
    await teammate.body!.cancel();
    const analyst = await exportRequest(acmeAnalyst);
    expect(analyst.status).toBe(200);
    await analyst.text();
    await open.body!.cancel();
    const again = await exportRequest(m["acme-ops"]!);
    expect(again.status).toBe(200);
    expect((await again.text()).split("\r\n")).toHaveLength(1 + 30 + 1);
  });

  it("are rate-limited per user with 429 and Retry-After", async () => {
    const who = m["acme-admin"]!;
    let refused: Response | null = null;
    let allowed = 0;
    // Four a minute; a fixed window may end between two downloads, so up to two windows' worth.
    for (let i = 0; i < 9 && !refused; i++) {
      const response = await exportRequest(who);
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        await response.text();
        allowed++;
      }
    }
    expect(refused).not.toBeNull();
    expect(allowed).toBeGreaterThanOrEqual(4);
    expect(allowed).toBeLessThanOrEqual(8);
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused!.json()).toMatchObject({ error: "rate_limited", scope: "export" });
    // Another user is not affected.
    const other = await exportRequest(m["globex-admin"]!);
    expect(other.status).toBe(200);
    await other.text();
  });
});

describe("live-progress streams", () => {
  it("a user holds at most two open at once; closing one makes room", async () => {
    const runId = await ws.db.$withTenant(acme.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date(`${ws.today}T00:00:00Z`), targetCount: 1 } });
      return run.id;
    });
    const viewer = m["acme-viewer"]!;
    const open = (signal?: AbortSignal) =>
      invoke(routes.eventsLoader, new Request(appRequest(`/api/runs/${runId}/events`, { cookie: viewer.cookie }), { signal }), { id: runId });
    const tabs = [new AbortController(), new AbortController()];
    expect((await open(tabs[0]!.signal)).status).toBe(200);
    expect((await open(tabs[1]!.signal)).status).toBe(200);
    const third = await open();
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("5");
    expect(await third.json()).toMatchObject({ error: "too_many_streams" });
    // Someone else's streams are their own.
    const other = new AbortController();
    const ops = await invoke(
      routes.eventsLoader,
      new Request(appRequest(`/api/runs/${runId}/events`, { cookie: m["acme-ops"]!.cookie }), { signal: other.signal }),
      { id: runId },
    );
    expect(ops.status).toBe(200);
    other.abort();

    tabs[0]!.abort();
    const reopened = new AbortController();
    expect((await open(reopened.signal)).status).toBe(200);
    tabs[1]!.abort();
    reopened.abort();
  });
});

describe("API requests", () => {
  it("are rate-limited per user with a JSON 429 and Retry-After", async () => {
    const who = m["globex-viewer"]!;
    let refused: Response | null = null;
    let allowed = 0;
    for (let i = 0; i < 51 && !refused; i++) {
      const response = await invoke(routes.whoamiLoader, appRequest("/api/whoami", { token: who.token }));
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        allowed++;
      }
    }
    expect(refused).not.toBeNull();
    expect(allowed).toBeGreaterThanOrEqual(25);
    expect(refused!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused!.json()).toMatchObject({ error: "rate_limited", scope: "api" });
    const other = await invoke(routes.whoamiLoader, appRequest("/api/whoami", { token: m["globex-ops"]!.token }));
    expect(other.status).toBe(200);
  });
});
