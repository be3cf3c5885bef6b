import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recentWeeks, weekOf } from "~/crm/activities";
import { stageConversion, type StageGroup } from "~/crm/performance";
import { singaporeDate } from "~/utils/singapore-time";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";
import { dirtyKpiDaysOf, expectedKpis, makeLakeWorld, markDirty, seedCanonical, type Activity, type LakeWorld } from "./lake-fixtures";

/**
 * The Activities and Performance APIs against one seeded lake, for an admin,
 * a team manager (Aisha leads Direct: herself and Dev), a rep (Ben) and a
 * viewer (aggregates only). Every figure is worked out here from the
 * fixture's records, not from our tables.
 */
let standIns: StandIns;
let world: LakeWorld;
let routes: { activities: typeof import("~/routes/api+/dashboard.activities"); kpis: typeof import("~/routes/api+/dashboard.kpis") };
const cookies = { admin: "", manager: "", rep: "", viewer: "" };
type Role = keyof typeof cookies;
type Body = Record<string, unknown> & { items?: Array<Record<string, unknown>> };

const rep = (name: string) => world.reps.find((r) => r.name.startsWith(name))!;
const ownersOf = (role: Role): Set<string | null> | null =>
  role === "manager" ? new Set([rep("Aisha").id, rep("Dev").id]) : role === "rep" ? new Set([rep("Ben").id]) : null;
const visible = (role: Role, ownerId: string | null) => ownersOf(role)?.has(ownerId) ?? true;
const live = (a: Activity) => a.active && !a.deleted;

async function get(path: string, role: Role) {
  const route = path.startsWith("/api/dashboard/kpis") ? routes.kpis : routes.activities;
  const response = await invoke(route.loader, appRequest(path, { cookie: cookies[role] }));
  return { status: response.status, cache: response.headers.get("cache-control"), body: (await response.json()) as Body };
}

async function feed(role: Role, query = "") {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await get(`/api/dashboard/activities?limit=7${query}${cursor ? `&cursor=${cursor}` : ""}`, role);
    expect(status).toBe(200);
    items.push(...body.items!);
    cursor = body.next_cursor as string | null;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  standIns = await startStandIns();
  const [{ platformDb, db }, { withLakeScope }, { refreshServing }] = await Promise.all([
    import("~/db.server"),
    import("~/lake/hierarchy.server"),
    import("~/lake/serving.server"),
  ]);
  routes = { activities: await import("~/routes/api+/dashboard.activities"), kpis: await import("~/routes/api+/dashboard.kpis") };
  const tenantId = (await platformDb.tenant.create({ data: { slug: "crm-dash", name: "CRM dashboards", status: "active" } })).id;
  world = makeLakeWorld(21, { deals: 90, activities: 120 });
  await seedCanonical({ withLakeScope }, tenantId, world);
  await markDirty({ db }, tenantId, dirtyKpiDaysOf(world.deals, world.activities));
  const [aisha, dev] = [rep("Aisha"), rep("Dev")];
  await withLakeScope(tenantId, { ownerIds: null }, async (tx) => {
    await refreshServing(tx);
    for (const r of world.reps)
      await tx.$executeRaw`UPDATE lake_users SET email = ${`${r.name.split(" ")[0]!.toLowerCase()}@dash.test`} WHERE id = ${r.id}::uuid`;
    await tx.$executeRaw`UPDATE lake_teams SET leader_id = ${aisha.id}::uuid, member_ids = ARRAY[${aisha.id}::uuid, ${dev.id}::uuid] WHERE id = ${aisha.teamId}::uuid`;
    // Odoo's stage order, which the fixture leaves out.
    await tx.$executeRaw`UPDATE lake_opportunities SET stage_sequence = array_position(ARRAY['New', 'Qualified', 'Proposition', 'Won'], stage_name)`;
    // The first activity came from an Outlook calendar.
    const run = await tx.lakeSyncRun.create({ data: { source: "m365", mode: "full", trigger: "cli", status: "succeeded" } });
    const raw = await tx.lakeRawRecord.create({
      data: { source: "m365", entity: "events", sourceId: "ev-1", contentHash: Buffer.from("e1"), payload: { id: "ev-1" }, syncRunId: run.id },
    });
    await tx.lakeSourceRecord.create({
      data: {
        source: "m365",
        entity: "events",
        sourceId: "ev-1",
        rawId: raw.id,
        contentHash: Buffer.from("e1"),
        canonicalKind: "activity",
        canonicalId: world.activities[0]!.id,
      },
    });
  });
  cookies.admin = (await memberCookie("dash-admin", ["admin"], tenantId)).cookie;
  cookies.manager = (await memberCookie("dash-manager", ["ops"], tenantId, "aisha@dash.test")).cookie;
  cookies.rep = (await memberCookie("dash-rep", ["ops"], tenantId, "ben@dash.test")).cookie;
  cookies.viewer = (await memberCookie("dash-viewer", ["viewer"], tenantId, "dev@dash.test")).cookie;
  await platformDb.user.updateMany({ where: { sub: { in: ["dash-manager-sub", "dash-rep-sub", "dash-viewer-sub"] } }, data: { emailVerified: true } });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

const ROLES: Role[] = ["admin", "manager", "rep", "viewer"];

describe("GET /api/dashboard/activities", () => {
  it.each(ROLES)("as %s pages through the done activities the caller may see, newest first", async (role) => {
    const items = await feed(role);
    const expected = world.activities
      .filter((a) => live(a) && a.state === "done" && visible(role, a.ownerId))
      .sort((x, y) => y.at.getTime() - x.at.getTime() || y.id.localeCompare(x.id));
    expect(items.map((i) => i.id)).toEqual(expected.map((a) => a.id));
    const first = world.activities[0]!;
    const fromOutlook = items.find((i) => i.id === first.id);
    if (fromOutlook) expect(fromOutlook.source).toBe("m365");
    const withDeal = items.find((i) => i.about);
    if (role === "viewer") {
      expect(items.every((i) => i.summary === null)).toBe(true);
      expect(items.some((i) => i.ownerName && world.reps.some((r) => r.name === i.ownerName))).toBe(false);
    } else if (withDeal) {
      // A deal outside the caller's scope stays unnamed: the policy hides it.
      const deal = world.deals.find((d) => d.id === world.activities.find((a) => a.id === withDeal.id)!.aboutId)!;
      expect(withDeal.about).toEqual({ kind: "opportunity", id: deal.id, name: visible(role, deal.ownerId) ? deal.name : null });
    }
  });

  it.each(ROLES)("as %s counts the overdue planned activities per owner and the done ones per rep per week", async (role) => {
    const { status, cache, body } = await get("/api/dashboard/activities", role);
    expect([status, cache]).toEqual([200, "no-store"]);
    const overdue = new Map<string | null, number>();
    for (const a of world.activities.filter((a) => live(a) && a.state === "planned" && a.at < new Date() && visible(role, a.ownerId)))
      overdue.set(a.ownerId, (overdue.get(a.ownerId) ?? 0) + 1);
    const served = body.overdueByOwner as Array<{ ownerId: string | null; overdue: number }>;
    expect(new Map(served.map((o) => [o.ownerId, o.overdue]))).toEqual(overdue);
    const weeks = recentWeeks(new Date());
    const volume = body.volume as { weeks: string[]; reps: Array<{ ownerId: string | null; weeks: number[] }> };
    expect(volume.weeks).toEqual(weeks);
    const expected = new Map<string | null, number[]>();
    for (const a of world.activities.filter((a) => live(a) && a.state === "done" && visible(role, a.ownerId))) {
      const i = weeks.indexOf(weekOf(singaporeDate(a.at)));
      if (i < 0) continue;
      const row = expected.get(a.ownerId) ?? weeks.map(() => 0);
      row[i]! += 1;
      expected.set(a.ownerId, row);
    }
    expect(new Map(volume.reps.map((r) => [r.ownerId, r.weeks]))).toEqual(expected);
  });

  it("filters by view, type, owner and team; a rep asking for a colleague gets nothing", async () => {
    const planned = await feed("admin", "&view=overdue&type=Call");
    const expected = world.activities
      .filter((a) => live(a) && a.state === "planned" && a.type === "Call")
      .sort((x, y) => x.at.getTime() - y.at.getTime() || x.id.localeCompare(y.id));
    expect(planned.map((i) => i.id)).toEqual(expected.map((a) => a.id));
    expect(await feed("admin", "&view=planned")).toEqual([]);
    const direct = rep("Aisha").teamId!;
    const teamOwners = new Set(world.reps.filter((r) => r.teamId === direct).map((r) => r.id));
    expect((await feed("admin", `&team=${direct}`)).map((i) => i.id).sort()).toEqual(
      world.activities
        .filter((a) => live(a) && a.state === "done" && teamOwners.has(a.ownerId!))
        .map((a) => a.id)
        .sort(),
    );
    expect(await feed("rep", `&owner=${rep("Aisha").id}`)).toEqual([]);
  });

  it("refuses a bad query with its reasons", async () => {
    for (const query of ["view=later", "owner=ben", "limit=0", "colour=red", "cursor=bm90LWEtY3Vyc29y"]) {
      const { status, body } = await get(`/api/dashboard/activities?${query}`, "admin");
      expect(status, query).toBe(400);
      expect(body.message, query).toBeTruthy();
    }
    // Year 0000 parses in JavaScript but not as a Postgres timestamptz.
    const yearZero = Buffer.from("0000-01-01|00000000-0000-0000-0000-000000000000").toString("base64url");
    const { status, body } = await get(`/api/dashboard/activities?cursor=${yearZero}`, "admin");
    expect({ status, error: body.error }).toEqual({ status: 400, error: "invalid_cursor" });
  });
});

type Line = { won: number; lost: number; wonValue: number; activitiesDone: number; winRate: number | null };

describe("GET /api/dashboard/kpis", () => {
  const from = "2026-06-01";
  const to = "2026-11-30";

  it.each(ROLES)("as %s gives the period's totals, per team and per rep lines and stage conversion worked out from the records", async (role) => {
    const { status, body } = await get(`/api/dashboard/kpis?from=${from}&to=${to}`, role);
    expect(status).toBe(200);
    const groups = expectedKpis(world).filter((g) => g.day >= from && g.day <= to && visible(role, g.owner_id));
    const sum = (pick: (g: (typeof groups)[number]) => number) => groups.reduce((s, g) => s + pick(g), 0);
    const won = sum((g) => g.won);
    const lost = sum((g) => g.lost);
    const totals = body.totals as Line;
    expect(totals).toMatchObject({ won, lost, activitiesDone: sum((g) => g.activities_done), winRate: won + lost ? won / (won + lost) : null });
    expect(totals.wonValue).toBeCloseTo(
      sum((g) => Number(g.won_value)),
      2,
    );
    expect((body.period as { bucket: string }).bucket).toBe("month");
    expect(body.series as unknown[]).toHaveLength(6);

    const byOwner = new Map<string | null, number>();
    for (const g of groups) byOwner.set(g.owner_id, (byOwner.get(g.owner_id) ?? 0) + g.won);
    if (role === "viewer") expect(body.byRep).toBeNull();
    else expect(new Map((body.byRep as Array<Line & { ownerId: string | null }>).map((r) => [r.ownerId, r.won]))).toEqual(byOwner);
    const byTeam = new Map<string | null, number>();
    for (const g of groups) byTeam.set(g.team_id, (byTeam.get(g.team_id) ?? 0) + g.lost);
    expect(new Map((body.byTeam as Array<Line & { teamId: string | null }>).map((t) => [t.teamId, t.lost]))).toEqual(byTeam);

    const cohort = new Map<string, StageGroup>();
    for (const d of world.deals.filter((d) => !d.deleted && (d.active || d.outcome === "lost") && visible(role, d.ownerId))) {
      const month = singaporeDate(d.openedAt).slice(0, 7);
      if (month < "2026-06" || month > "2026-11") continue;
      const stage = d.stageName ?? d.stageKind;
      const key = `${stage}|${d.outcome}`;
      const sequence = d.stageName ? ["New", "Qualified", "Proposition", "Won"].indexOf(d.stageName) + 1 : null;
      const group = cohort.get(key) ?? { stage, sequence, outcome: d.outcome, count: 0 };
      group.count += 1;
      cohort.set(key, group);
    }
    expect((body.conversion as { stages: unknown }).stages).toEqual(stageConversion([...cohort.values()]));
  });

  it("narrows to one team and one rep", async () => {
    const ben = rep("Ben");
    const { body } = await get(`/api/dashboard/kpis?from=${from}&to=${to}&owner=${ben.id}`, "admin");
    const bens = expectedKpis(world).filter((g) => g.owner_id === ben.id && g.day >= from && g.day <= to);
    expect((body.totals as Line).won).toBe(bens.reduce((s, g) => s + g.won, 0));
    const direct = rep("Aisha").teamId!;
    const { body: team } = await get(`/api/dashboard/kpis?from=${from}&to=${to}&team=${direct}`, "admin");
    const directs = expectedKpis(world).filter((g) => g.team_id === direct && g.day >= from && g.day <= to);
    expect((team.totals as Line).lost).toBe(directs.reduce((s, g) => s + g.lost, 0));
  });

  it("refuses a period over 366 days, reversed, or malformed, and unknown parameters", async () => {
    for (const query of ["from=2026-01-01&to=2027-01-02", "from=2026-11-30&to=2026-11-01", "from=2026-13-01", "team=direct", "period=all"]) {
      const { status, body } = await get(`/api/dashboard/kpis?${query}`, "admin");
      expect(status, query).toBe(400);
      expect(body.message, query).toBeTruthy();
    }
    expect((await get("/api/dashboard/kpis?from=2026-01-01&to=2027-01-01", "admin")).status).toBe(200);
  });

  it("refuses a period Postgres has no days for: year 0000, or one running past 9999", async () => {
    for (const query of ["from=0000-01-01&to=0000-02-01", "to=0001-01-01", "from=9999-12-31"]) {
      const { status, body } = await get(`/api/dashboard/kpis?${query}`, "admin");
      expect({ status, error: body.error, message: body.message }, query).toEqual({
        status: 400,
        error: "invalid_query",
        message: "from: the period must fall between 0001-01-01 and 9999-12-31",
      });
    }
  });
});
