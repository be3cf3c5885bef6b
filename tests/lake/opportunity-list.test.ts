import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";
import { dirtyKpiDaysOf, makeLakeWorld, markDirty, seedCanonical, type Deal, type LakeWorld } from "./lake-fixtures";

/**
 * The Opportunities list, its page and its CSV export against one seeded
 * lake: every sort pages through all the caller's deals in order, filters
 * narrow as the contract says, a rep's export holds only their deals, and a
 * deal name that looks like a formula comes out as text.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let world: LakeWorld;
let tenantId: string;
const cookies = { admin: "", rep: "" };

async function loadApp() {
  const [db, hierarchy, serving, list, page, detail, exportRoute] = await Promise.all([
    import("~/db.server"),
    import("~/lake/hierarchy.server"),
    import("~/lake/serving.server"),
    import("~/routes/api+/opportunities._index"),
    import("~/routes/app+/opportunities._index"),
    import("~/routes/app+/opportunities.$id"),
    import("~/routes/api+/export.crm.$file"),
  ]);
  return { ...db, ...hierarchy, ...serving, list, page, detail, exportRoute };
}

const ben = () => world.reps.find((r) => r.name.startsWith("Ben"))!;
const live = (d: Deal) => !d.deleted;

async function allPages(query: string, cookie: string) {
  const items: Array<{ id: string; value: number; probability: number; updatedAt: string }> = [];
  let cursor: string | null = null;
  do {
    const response = await invoke(app.list.loader, appRequest(`/api/opportunities?limit=7&${query}${cursor ? `&cursor=${cursor}` : ""}`, { cookie }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: typeof items; next_cursor: string | null };
    items.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  tenantId = (await app.platformDb.tenant.create({ data: { slug: "opp-list", name: "Opportunity list", status: "active" } })).id;
  world = makeLakeWorld(21, { deals: 50, activities: 40 });
  world.deals[0]!.name = '=HYPERLINK("http://evil.test")';
  const firstDone = world.activities.find((a) => a.state === "done" && a.active && !a.deleted)!;
  firstDone.summary = "@SUM(1+1)";
  await seedCanonical(app, tenantId, world);
  await app.withLakeScope(tenantId, { ownerIds: null }, async (tx) => {
    for (const r of world.reps)
      await tx.$executeRaw`UPDATE lake_users SET email = ${`${r.name.split(" ")[0]!.toLowerCase()}@opp.test`} WHERE id = ${r.id}::uuid`;
  });
  await markDirty(app, tenantId, dirtyKpiDaysOf(world.deals, world.activities));
  await app.withLakeScope(tenantId, { ownerIds: null }, (tx) => app.refreshServing(tx));
  cookies.admin = (await memberCookie("opp-admin", ["admin"], tenantId)).cookie;
  cookies.rep = (await memberCookie("opp-rep", ["ops"], tenantId, "ben@opp.test")).cookie;
  await app.platformDb.user.updateMany({ where: { sub: "opp-rep-sub" }, data: { emailVerified: true } });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

describe("GET /api/opportunities", () => {
  it.each(["value", "-value", "probability", "-age", "last_touch", "deadline", "-updated"])("pages through every live deal sorted by %s", async (sort) => {
    const items = await allPages(`sort=${sort}`, cookies.admin);
    expect(items.map((d) => d.id).sort()).toEqual(
      world.deals
        .filter(live)
        .map((d) => d.id)
        .sort(),
    );
    if (sort === "value") expect(items.map((d) => d.value)).toEqual([...items.map((d) => d.value)].sort((a, b) => a - b));
    if (sort === "-value") expect(items.map((d) => d.value)).toEqual([...items.map((d) => d.value)].sort((a, b) => b - a));
  });

  it("filters by owner, outcome and opening month as the fixtures say", async () => {
    const items = await allPages(`owner=${ben().id}&outcome=won&opened_from=2026-07&opened_to=2026-09`, cookies.admin);
    const opened = (d: Deal) => {
      const month = new Date(d.openedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
      return month >= "2026-07" && month <= "2026-09";
    };
    const expected = world.deals.filter((d) => live(d) && d.ownerId === ben().id && d.outcome === "won" && opened(d));
    expect(items.map((d) => d.id).sort()).toEqual(expected.map((d) => d.id).sort());
  });

  it("refuses a bad filter", async () => {
    expect((await invoke(app.list.loader, appRequest("/api/opportunities?closing=someday", { cookie: cookies.admin }))).status).toBe(400);
  });

  it("refuses a cursor key and an opening month Postgres would reject, naming what is wrong", async () => {
    const get = async (query: string) => {
      const response = await invoke(app.list.loader, appRequest(`/api/opportunities?${query}`, { cookie: cookies.admin }));
      return { status: response.status, body: (await response.json()) as { error: string; message: string } };
    };
    const forged = (sort: string, key: string) => Buffer.from(`${sort}|${key}|00000000-0000-0000-0000-000000000000`).toString("base64url");
    for (const [sort, key] of [
      ["probability", "1e-999"],
      ["deadline", "2024-02-30"],
      ["-updated", "0000-01-01"],
    ] as const) {
      const { status, body } = await get(`sort=${sort}&cursor=${forged(sort, key)}`);
      expect({ status, error: body.error }, `${sort} ${key}`).toEqual({ status: 400, error: "invalid_cursor" });
    }
    const month = await get("opened_from=0000-01");
    expect({ status: month.status, error: month.body.error, message: month.body.message }).toEqual({
      status: 400,
      error: "invalid_query",
      message: "opened_from: must be a month from 0001-01 to 9999-12",
    });
  });
});

describe("the opportunity page", () => {
  it("answers 404 to a rep opening a colleague's deal", async () => {
    const colleagues = world.deals.find((d) => live(d) && d.ownerId && d.ownerId !== ben().id)!;
    const own = world.deals.find((d) => live(d) && d.ownerId === ben().id)!;
    const other = await invoke(app.detail.loader, appRequest(`/app/opportunities/${colleagues.id}`, { cookie: cookies.rep }), { id: colleagues.id });
    expect(other.status).toBe(404);
    const mine = await invoke(app.detail.loader, appRequest(`/app/opportunities/${own.id}`, { cookie: cookies.rep }), { id: own.id });
    expect(mine.status).toBe(200);
    const { deal } = (await mine.json()) as { deal: { id: string; timeline: Array<{ at: string }> } };
    const expected = world.activities.filter((a) => a.aboutId === own.id && a.active && !a.deleted).map((a) => a.at.toISOString());
    expect(deal.timeline.map((e) => e.at)).toEqual(expected.sort().reverse());
  });
});

describe("GET /api/export/crm/opportunities.csv", () => {
  const download = async (query: string, cookie: string) => {
    const response = await invoke(app.exportRoute.loader, appRequest(`/api/export/crm/opportunities.csv${query}`, { cookie }), { file: "opportunities.csv" });
    return { status: response.status, text: await response.text() };
  };

  it("neutralises a deal name that looks like a formula", async () => {
    const { status, text } = await download("?sort=-value", cookies.admin);
    expect(status).toBe(200);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(text.trim().split("\r\n")).toHaveLength(1 + world.deals.filter(live).length);
  });

  it("holds only the rep's own deals", async () => {
    const { text } = await download("", cookies.rep);
    const ids = text
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.slice(1, 37));
    expect(ids.sort()).toEqual(
      world.deals
        .filter((d) => live(d) && d.ownerId === ben().id)
        .map((d) => d.id)
        .sort(),
    );
  });

  it("refuses an unknown view and a bad filter", async () => {
    const unknown = await invoke(app.exportRoute.loader, appRequest("/api/export/crm/secrets.csv", { cookie: cookies.admin }), { file: "secrets.csv" });
    expect(unknown.status).toBe(404);
    expect((await download("?outcome=maybe", cookies.admin)).status).toBe(400);
  });
});

describe("GET /api/export/crm/activities.csv and pipeline.csv", () => {
  const download = async (file: string, query: string, cookie: string) => {
    const response = await invoke(app.exportRoute.loader, appRequest(`/api/export/crm/${file}${query}`, { cookie }), { file });
    return { status: response.status, lines: (await response.text()).trim().split("\r\n") };
  };
  const shownActivity = (a: LakeWorld["activities"][number]) => a.state === "done" && a.active && !a.deleted;

  it("exports every done activity the caller sees, summaries that look like formulas as text", async () => {
    const admin = await download("activities.csv", "?view=done", cookies.admin);
    expect(admin.status).toBe(200);
    expect(admin.lines[0]).toBe('"at","state","type","summary","owner","source","about_kind","about_name","about_id"');
    expect(admin.lines).toHaveLength(1 + world.activities.filter(shownActivity).length);
    expect(admin.lines.join("\n")).toContain(`"'@SUM(1+1)"`);
    const rep = await download("activities.csv", "?view=done", cookies.rep);
    expect(rep.lines).toHaveLength(1 + world.activities.filter((a) => shownActivity(a) && a.ownerId === ben().id).length);
  });

  it("exports the pipeline's breakdowns with the figures the page reads", async () => {
    const { status, lines } = await download("pipeline.csv", "?opened_from=2024-01&opened_to=2028-12", cookies.rep);
    expect(status).toBe(200);
    const openOfRep = world.deals.filter((d) => live(d) && d.outcome === "open" && d.ownerId === ben().id);
    const stageRows = lines.filter((line) => line.startsWith('"stage"'));
    expect(stageRows.reduce((sum, line) => sum + Number(line.split(",")[3]!.replaceAll('"', "")), 0)).toBe(openOfRep.length);
    const ownerRows = lines.filter((line) => line.startsWith('"owner"'));
    expect(ownerRows.map((line) => line.split(",")[1])).toEqual([`"${ben().name}"`, `"${ben().name}"`, `"${ben().name}"`]);
  });

  it("refuses a cursor and bad filters with the reason", async () => {
    expect((await download("activities.csv", "?view=someday", cookies.admin)).status).toBe(400);
    expect((await download("activities.csv", "?cursor=abc", cookies.admin)).status).toBe(400);
    expect((await download("pipeline.csv", "?opened_from=last-year", cookies.admin)).status).toBe(400);
    // Year 0000 fits the pattern, but Postgres has no such date.
    expect((await download("pipeline.csv", "?opened_from=0000-01&opened_to=0000-12", cookies.admin)).status).toBe(400);
  });
});
