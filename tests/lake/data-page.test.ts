import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie, storedOdooConnection } from "../support/workspace-users";

/**
 * The workspace's Data page (/app/data) and an entity's page
 * (/app/data/:type/:id) called in-process with signed-in members: the empty
 * lake, sources with freshness and the sync in progress, the run history
 * with rejects in keyset pages, the entity browser (tabs, search, keyset
 * pages, masked for viewers), the entity's source records and raw history,
 * and "Sync now" for admins only.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
const tenants: Record<"acme" | "globex", string> = { acme: "", globex: "" };
const cookies: Record<"admin" | "viewer" | "globex", string> = { admin: "", viewer: "", globex: "" };

async function loadApp() {
  const [db, page, entity] = await Promise.all([import("~/db.server"), import("~/routes/app+/data"), import("~/routes/app+/data_.$type.$id")]);
  return { ...db, page, entity };
}

type PageData = Awaited<ReturnType<typeof app.page.loader>>;
type EntityData = Awaited<ReturnType<typeof app.entity.loader>>;

async function pageOf(cookie: string, query = "") {
  const response = await invoke(app.page.loader, appRequest(`/app/data${query}`, { cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as PageData;
}

const entityOf = (cookie: string, type: string, id: string) => invoke(app.entity.loader, appRequest(`/app/data/${type}/${id}`, { cookie }), { type, id });
const postPage = (cookie: string, form: Record<string, string>) => invoke(app.page.action, appRequest("/app/data", { cookie, form }));

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const contactIds: string[] = [];

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  for (const slug of ["acme", "globex"] as const) {
    tenants[slug] = (await app.platformDb.tenant.create({ data: { slug: `data-${slug}`, name: slug, status: "active" } })).id;
  }
  cookies.admin = (await memberCookie("data-admin", ["admin"], tenants.acme)).cookie;
  cookies.viewer = (await memberCookie("data-viewer", ["viewer"], tenants.acme)).cookie;
  cookies.globex = (await memberCookie("data-globex-admin", ["admin"], tenants.globex)).cookie;
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

describe("an empty lake", () => {
  it("shows both sources unconnected, no runs and no entities, and no sync buttons for a source without a connection", async () => {
    const data = await pageOf(cookies.admin);
    expect(data.sources.map((s) => [s.source, s.connected, s.freshness])).toEqual([
      ["odoo", false, "never"],
      ["m365", false, "never"],
    ]);
    expect(data.runs).toEqual([]);
    expect(data.entities).toEqual([]);
    expect(data.syncing).toBe(false);
    expect(data.canSync).toBe(true);
    const refused = (await (await postPage(cookies.admin, { intent: "sync", source: "odoo", mode: "incremental" })).json()) as { ok: boolean; message: string };
    expect(refused).toEqual({ ok: false, message: "This workspace has no Odoo connection yet" });
  });
});

describe("a lake with syncs and entities", () => {
  let partialRunId = "";

  beforeAll(async () => {
    await storedOdooConnection(tenants.acme, "https://odoo.acme.example/");
    await app.db.$withTenant(tenants.acme, async (tx) => {
      await tx.lakeSource.create({ data: { source: "odoo", status: "connected", lastSuccessAt: minutesAgo(400) } });
      for (let i = 0; i < 20; i++) {
        const run = await tx.lakeSyncRun.create({
          data: {
            source: "odoo",
            mode: "incremental",
            trigger: "schedule",
            status: i === 19 ? "partial" : "succeeded",
            fetched: i,
            rejected: i === 19 ? 2 : 0,
            createdAt: minutesAgo(2000 - i * 60),
            startedAt: minutesAgo(2000 - i * 60),
            finishedAt: minutesAgo(1999 - i * 60),
          },
        });
        if (i === 19) {
          partialRunId = run.id;
          await tx.lakeSyncReject.createMany({
            data: [
              { syncRunId: run.id, entity: "res.partner", sourceId: "77", reason: "email: not an address" },
              { syncRunId: run.id, entity: "crm.lead", sourceId: "901", reason: "expected_revenue: negative" },
            ],
          });
        }
      }
      for (const [i, name] of Array.from({ length: 30 }, (_, i) => `Person ${String(i).padStart(2, "0")} Tan`).entries()) {
        const contact = await tx.lakeContact.create({ data: { name, email: `person${i}@codigo.sg`, contentHash: Buffer.from([i]) } });
        contactIds.push(contact.id);
        const raws = [];
        for (const version of ["2026-11-01 10:00:00", "2026-11-02 10:00:00"]) {
          raws.push(
            await tx.lakeRawRecord.create({
              data: {
                source: "odoo",
                entity: "res.partner",
                sourceId: `${100 + i}`,
                version,
                contentHash: Buffer.from(version),
                payload: { name, email: `person${i}@codigo.sg` },
                syncRunId: partialRunId,
              },
            }),
          );
        }
        await tx.lakeSourceRecord.create({
          data: {
            source: "odoo",
            entity: "res.partner",
            sourceId: `${100 + i}`,
            rawId: raws.at(-1)!.id,
            contentHash: Buffer.from("v2"),
            canonicalKind: "contact",
            canonicalId: contact.id,
          },
        });
      }
    });
    contactIds.sort();
  });

  it("flags a stale source and pages the run history newest first, with a run's rejects", async () => {
    const data = await pageOf(cookies.viewer);
    expect(data.sources[0]).toMatchObject({ source: "odoo", connected: true, freshness: "stale", lastFinishedRun: { id: partialRunId } });
    expect(data.runs).toHaveLength(15);
    expect(data.runs[0]).toMatchObject({ id: partialRunId, status: "partial", rejected: 2 });
    expect(data.runs[0]!.rejects.map((r) => r.reason)).toEqual(["email: not an address", "expected_revenue: negative"]);
    expect(data.olderRuns).not.toBeNull();
    const older = await pageOf(cookies.viewer, `?runs=${data.olderRuns}`);
    expect(older.runs).toHaveLength(5);
    expect(older.runsPaged).toBe(true);
    expect(older.olderRuns).toBeNull();
    expect(new Set([...data.runs, ...older.runs].map((run) => run.id)).size).toBe(20);
  });

  it("browses contacts by keyset pages and search, masked for viewers", async () => {
    const first = await pageOf(cookies.admin, "?type=contacts");
    expect(first.entityType).toBe("contacts");
    expect(first.entities.map((e) => e.id)).toEqual(contactIds.slice(0, 25));
    expect(first.entities[0]!.sources).toEqual([expect.objectContaining({ source: "odoo", entity: "res.partner" })]);
    const second = await pageOf(cookies.admin, `?type=contacts&after=${first.nextEntities}`);
    expect(second.entities.map((e) => e.id)).toEqual(contactIds.slice(25));
    expect(second.nextEntities).toBeNull();
    const found = await pageOf(cookies.admin, "?type=contacts&q=person%2007");
    expect(found.entities.map((e) => e.label)).toEqual(["Person 07 Tan"]);
    const viewer = await pageOf(cookies.viewer, "?type=contacts&q=person%2007");
    expect(viewer.entities).toHaveLength(1);
    expect(viewer.entities[0]!.label).not.toContain("Person 07 Tan");
    // A type the page does not know falls back to accounts, of which this lake has none.
    expect((await pageOf(cookies.admin, "?type=widgets")).entityType).toBe("accounts");
  });

  it("shows an entity's source records and raw history, without payloads for viewers; 404 for another tenant", async () => {
    const id = contactIds[3]!;
    const admin = (await (await entityOf(cookies.admin, "contacts", id)).json()) as EntityData;
    expect(admin.entity.sources).toHaveLength(1);
    expect(admin.entity.history.map((v) => v.version)).toEqual(["2026-11-02 10:00:00", "2026-11-01 10:00:00"]);
    expect(admin.entity.history[0]!.payload).toMatchObject({ email: expect.stringMatching(/@codigo\.sg$/) });
    const viewer = (await (await entityOf(cookies.viewer, "contacts", id)).json()) as EntityData;
    expect(viewer.seesPayloads).toBe(false);
    expect(viewer.entity.history.map((v) => v.payload)).toEqual([null, null]);
    expect(viewer.entity.attributes.email).not.toBe(admin.entity.attributes.email);
    expect((await entityOf(cookies.globex, "contacts", id)).status).toBe(404);
    expect((await entityOf(cookies.admin, "widgets", id)).status).toBe(404);
    expect((await entityOf(cookies.admin, "contacts", "not-a-uuid")).status).toBe(404);
  });

  it("lets an admin sync now, shows the sync in progress, and refuses a viewer's forged post", async () => {
    const refused = await postPage(cookies.viewer, { intent: "sync", source: "odoo", mode: "incremental" });
    expect(refused.status).toBe(403);
    expect((await pageOf(cookies.viewer)).syncing).toBe(false);

    const queued = (await (await postPage(cookies.admin, { intent: "sync", source: "odoo", mode: "incremental" })).json()) as { ok: boolean; message: string };
    expect(queued).toEqual({ ok: true, message: "Sync of Odoo queued." });
    const again = (await (await postPage(cookies.admin, { intent: "sync", source: "odoo", mode: "full" })).json()) as { ok: boolean; message: string };
    expect(again.message).toMatch(/already in progress/);
    const m365 = (await (await postPage(cookies.admin, { intent: "sync", source: "m365", mode: "full" })).json()) as { ok: boolean; message: string };
    expect(m365.ok).toBe(false);
    expect(m365.message).toMatch(/Microsoft 365 is not connected/);

    const viewer = await pageOf(cookies.viewer);
    expect(viewer.syncing).toBe(true);
    expect(viewer.canSync).toBe(false);
    expect(viewer.sources[0]!.activeRun).toMatchObject({ status: "queued", mode: "incremental", trigger: "manual", requestedBy: "data-admin@example.test" });
    expect(viewer.runs[0]).toMatchObject({ id: viewer.sources[0]!.activeRun!.id, status: "queued" });
    // Another workspace sees none of it.
    const globex = await pageOf(cookies.globex);
    expect([globex.syncing, globex.runs, globex.entities]).toEqual([false, [], []]);
  });
});
