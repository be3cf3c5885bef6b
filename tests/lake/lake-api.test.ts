import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";
import { dirtyKpiDaysOf, makeLakeWorld, markDirty, seedCanonical, type LakeWorld } from "./lake-fixtures";

/**
 * The data lake's read API through its route modules, with a session cookie
 * or a bearer token: health, stats, entities by type (keyset pages, source
 * references, masked for viewers) and the dashboard overview; 401 without
 * credentials, 404 for an unknown type, 400 for a bad query; another
 * tenant's members see nothing of this lake.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let world: LakeWorld;
const tenants: Record<"acme" | "globex", string> = { acme: "", globex: "" };
const cookies: Record<"admin" | "viewer" | "globex", string> = { admin: "", viewer: "", globex: "" };
const contactIds: string[] = [];

async function loadApp() {
  const [db, hierarchy, health, stats, entities, overview, serving, entityReads] = await Promise.all([
    import("~/db.server"),
    import("~/lake/hierarchy.server"),
    import("~/routes/api+/data-lake.health"),
    import("~/routes/api+/data-lake.stats"),
    import("~/routes/api+/data-lake.entities.$type"),
    import("~/routes/api+/dashboard.overview"),
    import("~/lake/serving.server"),
    import("~/lake/entities.server"),
  ]);
  return { ...db, ...hierarchy, health, stats, entities, overview, ...serving, ...entityReads };
}

type Call = { cookie?: string; token?: string };

async function get(path: string, auth: Call = {}) {
  const [pathname] = path.split("?");
  const type = pathname!.match(/^\/api\/data-lake\/entities\/([^/]+)$/)?.[1];
  const loader = type
    ? app.entities.loader
    : { "/api/data-lake/health": app.health.loader, "/api/data-lake/stats": app.stats.loader, "/api/dashboard/overview": app.overview.loader }[pathname!]!;
  const response = await invoke(loader, appRequest(path, auth), type ? { type } : {});
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown> & { items?: Array<Record<string, unknown>> } };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** Sources, two syncs, contacts with references in both sources, and raw versions behind them. */
async function seedLake(tenantId: string) {
  await app.db.$withTenant(tenantId, async (tx) => {
    await tx.lakeSource.create({ data: { source: "odoo", status: "connected", lastSuccessAt: minutesAgo(30) } });
    await tx.lakeSource.create({ data: { source: "m365", status: "error", statusDetail: "consent revoked", lastSuccessAt: minutesAgo(300) } });
    const odooRun = await tx.lakeSyncRun.create({
      data: { source: "odoo", mode: "full", trigger: "cli", status: "succeeded", rejected: 2, startedAt: minutesAgo(31), finishedAt: minutesAgo(30) },
    });
    await tx.lakeSyncRun.create({
      data: {
        source: "m365",
        mode: "incremental",
        trigger: "schedule",
        status: "failed",
        error: "401 from Graph: consent revoked",
        finishedAt: minutesAgo(20),
      },
    });
    await tx.lakeSyncReject.createMany({
      data: [
        { syncRunId: odooRun.id, entity: "res.partner", sourceId: "77", reason: "email: not an address" },
        { syncRunId: odooRun.id, entity: "crm.lead", sourceId: "901", reason: "expected_revenue: negative" },
      ],
    });
    for (const [i, name] of ["Jane Tan", "Kumar Pillai", "Li Wei"].entries()) {
      const contact = await tx.lakeContact.create({
        data: { name, email: `${name.split(" ")[0]!.toLowerCase()}@codigo.sg`, phone: `+65912345${i}0`, contentHash: Buffer.from([i]) },
      });
      contactIds.push(contact.id);
      for (const [source, entity, sourceId] of [
        ["odoo", "res.partner", `${100 + i}`],
        ["m365", "contacts", `AAMk-${i}`],
      ] as const) {
        const versions = [];
        for (const version of ["v1", "v2"]) {
          versions.push(
            await tx.lakeRawRecord.create({
              data: { source, entity, sourceId, version, contentHash: Buffer.from(version), payload: { name, version }, syncRunId: odooRun.id },
            }),
          );
        }
        await tx.lakeSourceRecord.create({
          data: { source, entity, sourceId, rawId: versions.at(-1)!.id, contentHash: Buffer.from("v2"), canonicalKind: "contact", canonicalId: contact.id },
        });
      }
    }
  });
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  for (const slug of ["acme", "globex"] as const) {
    tenants[slug] = (await app.platformDb.tenant.create({ data: { slug: `lake-${slug}`, name: slug, status: "active" } })).id;
  }
  cookies.admin = (await memberCookie("lake-admin", ["admin"], tenants.acme)).cookie;
  cookies.viewer = (await memberCookie("lake-viewer", ["viewer"], tenants.acme)).cookie;
  cookies.globex = (await memberCookie("lake-globex-admin", ["admin"], tenants.globex)).cookie;
  world = makeLakeWorld(5, { deals: 30, activities: 20 });
  await seedCanonical(app, tenants.acme, world);
  await markDirty(app, tenants.acme, dirtyKpiDaysOf(world.deals, world.activities));
  await app.withLakeScope(tenants.acme, { ownerIds: null }, (tx) => app.refreshServing(tx));
  await seedLake(tenants.acme);
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

describe("GET /api/data-lake/health", () => {
  it("reports each source's connection, freshness against its SLA and last run", async () => {
    const { status, body } = await get("/api/data-lake/health", { cookie: cookies.viewer });
    expect(status).toBe(200);
    expect(body.sources).toEqual([
      expect.objectContaining({
        source: "odoo",
        status: "connected",
        freshness: "fresh",
        ageMinutes: 30,
        lastRun: expect.objectContaining({ status: "succeeded" }),
      }),
      expect.objectContaining({
        source: "m365",
        status: "error",
        statusDetail: "consent revoked",
        freshness: "stale",
        lastRun: expect.objectContaining({ status: "failed", error: "401 from Graph: consent revoked" }),
      }),
    ]);
  });

  it("accepts a bearer token and refuses a request without credentials", async () => {
    const token = await mintToken(standIns.idp, { sub: "lake-admin-sub", email: "lake-admin@example.test", tenant_id: "lake-acme", roles: ["admin"] });
    expect((await get("/api/data-lake/health", { token })).status).toBe(200);
    for (const path of ["/api/data-lake/health", "/api/data-lake/stats", "/api/data-lake/entities/accounts", "/api/dashboard/overview"]) {
      const anonymous = await get(path);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.body.error).toBe("unauthenticated");
    }
  });
});

describe("GET /api/data-lake/stats", () => {
  it("counts canonical entities per kind, the raw zone, and the last runs' rejects", async () => {
    const { status, body } = await get("/api/data-lake/stats", { cookie: cookies.admin });
    expect(status).toBe(200);
    const canonical = body.canonical as Record<string, { live: number; deleted: number }>;
    expect(canonical.opportunity).toEqual({ live: world.deals.filter((d) => !d.deleted).length, deleted: world.deals.filter((d) => d.deleted).length });
    expect(canonical.contact).toEqual({ live: 3, deleted: 0 });
    expect(canonical.team).toEqual({ live: 2, deleted: 0 });
    expect(body.raw).toMatchObject({
      rows: 12,
      bySource: [expect.objectContaining({ source: "m365", rows: 6 }), expect.objectContaining({ source: "odoo", rows: 6 })],
    });
    expect((body.raw as { bytes: number }).bytes).toBeGreaterThan(0);
    const odoo = (body.lastRuns as Array<{ source: string; rejects: unknown[] }>).find((run) => run.source === "odoo");
    expect(odoo?.rejects).toEqual([
      { entity: "res.partner", sourceId: "77", reason: "email: not an address" },
      { entity: "crm.lead", sourceId: "901", reason: "expected_revenue: negative" },
    ]);
  });
});

describe("GET /api/data-lake/entities/:type", () => {
  it("pages through the live opportunities by cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor = "";
    do {
      const { status, body } = await get(`/api/data-lake/entities/opportunities?limit=7&cursor=${cursor}`, { cookie: cookies.admin });
      expect(status).toBe(200);
      seen.push(...body.items!.map((item) => item.id as string));
      cursor = (body.next_cursor as string | null) ?? "";
    } while (cursor);
    expect(seen).toEqual(
      world.deals
        .filter((d) => !d.deleted)
        .map((d) => d.id)
        .sort(),
    );
  });

  it("gives each entity its source references, and finds by q", async () => {
    const { body } = await get("/api/data-lake/entities/contacts?q=kumar", { cookie: cookies.admin });
    expect(body.items).toHaveLength(1);
    expect(body.items![0]).toMatchObject({
      label: "Kumar Pillai",
      attributes: expect.objectContaining({ email: "kumar@codigo.sg" }),
      sources: [expect.objectContaining({ source: "m365", sourceId: "AAMk-1" }), expect.objectContaining({ source: "odoo", sourceId: "101" })],
    });
  });

  it("masks people for a viewer", async () => {
    const { body } = await get("/api/data-lake/entities/contacts?q=jane", { cookie: cookies.viewer });
    expect(body.items![0]).toMatchObject({ label: "J. T.", attributes: expect.objectContaining({ name: "J. T.", email: "j***@codigo.sg", phone: "*** 500" }) });
  });

  it("answers 404 for an unknown type and 400 for a bad query, with the reason", async () => {
    const unknown = await get("/api/data-lake/entities/invoices", { cookie: cookies.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: "unknown_type", message: expect.stringContaining("accounts") });
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=500", "limit"],
      ["limit=many", "limit"],
      ["cursor=42", "cursor"],
      ["sort=name", "(query)"],
    ]) {
      const bad = await get(`/api/data-lake/entities/accounts?${query}`, { cookie: cookies.admin });
      expect(bad.status, query).toBe(400);
      expect(bad.body.error).toBe("invalid_query");
      expect(bad.body.message).toContain(field);
    }
  });
});

describe("GET /api/dashboard/overview", () => {
  it("answers the serving zone's figures", async () => {
    const { status, body } = await get("/api/dashboard/overview", { cookie: cookies.viewer });
    expect(status).toBe(200);
    const open = world.deals.filter((d) => !d.deleted && d.active && d.outcome === "open");
    expect(body.openPipeline).toMatchObject({ count: open.length });
    expect(body).toMatchObject({
      thisMonth: expect.objectContaining({ won: expect.any(Number) }),
      stale: expect.objectContaining({ count: expect.any(Number) }),
    });
  });
});

describe("another tenant's member", () => {
  it("sees none of this lake through the API", async () => {
    const auth = { cookie: cookies.globex };
    const health = await get("/api/data-lake/health", auth);
    expect((health.body.sources as Array<{ freshness: string; lastRun: unknown }>).map((s) => [s.freshness, s.lastRun])).toEqual([
      ["never", null],
      ["never", null],
    ]);
    const stats = await get("/api/data-lake/stats", auth);
    expect(stats.body).toMatchObject({ raw: { rows: 0, bytes: 0, bySource: [] }, lastRuns: [] });
    expect(Object.values(stats.body.canonical as Record<string, { live: number }>).every((c) => c.live === 0)).toBe(true);
    for (const type of ["accounts", "contacts", "opportunities", "activities", "users", "teams"]) {
      expect((await get(`/api/data-lake/entities/${type}`, auth)).body.items, type).toEqual([]);
    }
    const overview = await get("/api/dashboard/overview", auth);
    expect(overview.body.openPipeline).toEqual({ count: 0, value: 0, weightedValue: 0 });
  });

  it("finds none of its entities by id, nor their raw history", async () => {
    const detail = await app.db.$withTenant(tenants.globex, (tx) => app.entityDetail(tx, "contact", contactIds[0]!));
    expect(detail).toBeNull();
  });
});

describe("entityDetail", () => {
  it("gives the entity with every source's raw versions, newest first", async () => {
    const detail = await app.db.$withTenant(tenants.acme, (tx) => app.entityDetail(tx, "contact", contactIds[0]!, { historyLimit: 3 }));
    expect(detail?.label).toBe("Jane Tan");
    expect(detail?.sources.map((s) => s.source)).toEqual(["m365", "odoo"]);
    expect(detail?.history).toHaveLength(3);
    const ids = detail!.history.map((v) => BigInt(v.id));
    expect([...ids].sort((x, y) => (y > x ? 1 : -1))).toEqual(ids);
    expect(detail!.history[0]).toMatchObject({ source: "m365", version: "v2", payload: { name: "Jane Tan", version: "v2" } });
  });
});
