import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "~/utils/seeded-random";
import { singaporeDate } from "~/utils/singapore-time";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";
import { dirtyKpiDaysOf, makeLakeWorld, markDirty, seedCanonical, type Deal, type LakeWorld } from "./lake-fixtures";

/**
 * The Pipeline page and `GET /api/dashboard/pipeline` against one seeded
 * lake, for an admin, a team manager (Aisha leads Direct: herself and Dev),
 * a rep (Ben) and a viewer (aggregates only). Every figure is worked out
 * here from the fixture's deals — their stages, tags and deadlines — never
 * from our tables.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let world: LakeWorld;
let tenantId: string;
let emptyTenantId: string;
type Role = "admin" | "manager" | "rep" | "viewer";
const cookies: Record<Role | "empty", string> = { admin: "", manager: "", rep: "", viewer: "", empty: "" };

/** What the fixture's deals lack: the stage's sequence, tags and a deadline. */
type Extra = { tags: string[]; deadline: string | null };
const extras = new Map<string, Extra>();
// Sequence order differs from alphabetical order, so the funnel's order is the sequence's.
const SEQUENCE: Record<string, number> = { New: 10, Qualified: 20, Proposition: 30, Won: 70 };
const TAGS = ["Software", "SME", "Hardware"];

async function loadApp() {
  const [db, hierarchy, serving, api, page] = await Promise.all([
    import("~/db.server"),
    import("~/lake/hierarchy.server"),
    import("~/lake/serving.server"),
    import("~/routes/api+/dashboard.pipeline"),
    import("~/routes/app+/pipeline"),
  ]);
  return { ...db, ...hierarchy, ...serving, api, page };
}

const now = new Date();
const today = singaporeDate(now);
const thisMonth = `${today.slice(0, 7)}-01`;
const dayOffset = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const nextMonth = (() => {
  const d = new Date(`${thisMonth}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
})();

const rep = (name: string) => world.reps.find((r) => r.name.startsWith(name))!;
const counted = (d: Deal) => !d.deleted && (d.active || d.outcome === "lost");
const openedMonth = (d: Deal) => singaporeDate(d.openedAt).slice(0, 7);
const stageOf = (d: Deal) => d.stageName ?? d.stageKind;

function visibleTo(role: Role): (d: Deal) => boolean {
  if (role === "manager") return (d) => d.ownerId === rep("Aisha").id || d.ownerId === rep("Dev").id;
  if (role === "rep") return (d) => d.ownerId === rep("Ben").id;
  return () => true;
}

type Narrowing = { tag?: string; team?: string; owner?: string; from?: string; to?: string };

/** The deals a figure counts: counted as the serving zone counts, visible to the role, inside the filters. */
function dealsFor(role: Role, narrowing: Narrowing = {}): Deal[] {
  const from = narrowing.from ?? "0000-00";
  const to = narrowing.to ?? "9999-99";
  return world.deals.filter(
    (d) =>
      counted(d) &&
      visibleTo(role)(d) &&
      openedMonth(d) >= from &&
      openedMonth(d) <= to &&
      (!narrowing.tag || extras.get(d.id)!.tags.includes(narrowing.tag)) &&
      (!narrowing.team || d.teamId === narrowing.team) &&
      (!narrowing.owner || d.ownerId === narrowing.owner),
  );
}

const sum = (deals: Deal[]) => deals.reduce((total, d) => total + d.revenue, 0);

/** The funnel as stage → [deals, value], in the order the stages' sequences give (stages without one first, by name). */
function expectedFunnel(deals: Deal[]): Array<[string, number, number]> {
  const open = deals.filter((d) => d.outcome === "open");
  const stages = [...new Set(open.map(stageOf))].sort((a, b) => (SEQUENCE[a] ?? -1) - (SEQUENCE[b] ?? -1) || a.localeCompare(b));
  return stages.map((stage) => {
    const inStage = open.filter((d) => stageOf(d) === stage);
    return [stage, inStage.length, sum(inStage)];
  });
}

function expectedGroups(deals: Deal[], key: (d: Deal) => string | null) {
  const ids = [...new Set(deals.map(key))];
  return Object.fromEntries(
    ids.map((id) => {
      const mine = deals.filter((d) => key(d) === id);
      const of = (outcome: Deal["outcome"]) => mine.filter((d) => d.outcome === outcome);
      return [String(id), { open: [of("open").length, sum(of("open"))], won: [of("won").length, sum(of("won"))], lost: of("lost").length }];
    }),
  );
}

/** Open, live deals due this Singapore month, and before today (whatever month they opened). */
function expectedDue(role: Role, narrowing: Narrowing = {}) {
  const due = dealsFor(role, { ...narrowing, from: undefined, to: undefined }).filter((d) => d.outcome === "open" && d.active && extras.get(d.id)!.deadline);
  const deadline = (d: Deal) => extras.get(d.id)!.deadline!;
  const closing = due.filter((d) => deadline(d) >= thisMonth && deadline(d) < nextMonth);
  const overdue = due.filter((d) => deadline(d) < today);
  return { closingThisMonth: { count: closing.length, value: sum(closing) }, overdue: { count: overdue.length, value: sum(overdue) } };
}

type Figures = { count: number; value: number; weightedValue: number };
type Group = { id: string | null; name: string | null; open: Figures; won: Figures; lost: Figures };
type Body = {
  hasData: boolean;
  filters: Record<string, unknown>;
  funnel: Array<{ stage: string; count: number; value: number }>;
  byTeam: Group[];
  byOwner: Group[];
  closingThisMonth: { count: number; value: number };
  overdue: { count: number; value: number };
  overview: { openPipeline: { count: number; value: number } };
  options: { teams: Array<{ id: string }>; owners: Array<{ id: string; name: string }> };
  error?: string;
  message?: string;
};

async function get(query: string, cookie: string): Promise<{ status: number; body: Body }> {
  const response = await invoke(app.api.loader, appRequest(`/api/dashboard/pipeline${query}`, { cookie }));
  return { status: response.status, body: (await response.json()) as Body };
}

const flatGroups = (groups: Group[]) =>
  Object.fromEntries(groups.map((g) => [String(g.id), { open: [g.open.count, g.open.value], won: [g.won.count, g.won.value], lost: g.lost.count }]));

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  tenantId = (await app.platformDb.tenant.create({ data: { slug: "lake-pipeline", name: "Pipeline", status: "active" } })).id;
  emptyTenantId = (await app.platformDb.tenant.create({ data: { slug: "lake-pipeline-empty", name: "Empty", status: "active" } })).id;
  world = makeLakeWorld(29, { deals: 160, activities: 30 });
  const random = seededRandom(290);
  // Deadlines around today: earlier months, earlier this month, today, later this month, next month; some none.
  const offsets = [-70, -20, -1, 0, 1, 25, 40];
  for (const d of world.deals) {
    const tags = TAGS.filter(() => random() < 0.4);
    const deadline = random() < 0.15 ? null : dayOffset(offsets[Math.floor(random() * offsets.length)]!);
    extras.set(d.id, { tags, deadline });
  }
  await seedCanonical(app, tenantId, world);
  const [aisha, ben, dev] = [rep("Aisha"), rep("Ben"), rep("Dev")];
  await app.withLakeScope(tenantId, { ownerIds: null }, async (tx) => {
    const rows = world.deals.map((d) => ({
      id: d.id,
      tags: extras.get(d.id)!.tags,
      deadline: extras.get(d.id)!.deadline,
      sequence: SEQUENCE[d.stageName ?? ""] ?? null,
    }));
    await tx.$executeRaw`
      UPDATE lake_opportunities o SET tags = x.tags, deadline = x.deadline, stage_sequence = x.sequence
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, tags text[], deadline date, sequence int) WHERE o.id = x.id`;
    for (const r of world.reps)
      await tx.$executeRaw`UPDATE lake_users SET email = ${`${r.name.split(" ")[0]!.toLowerCase()}@pipeline.test`} WHERE id = ${r.id}::uuid`;
    await tx.$executeRaw`UPDATE lake_teams SET leader_id = ${aisha.id}::uuid, member_ids = ARRAY[${aisha.id}::uuid, ${dev.id}::uuid] WHERE id = ${aisha.teamId}::uuid`;
    await tx.$executeRaw`UPDATE lake_teams SET member_ids = ARRAY[${ben.id}::uuid] WHERE id = ${ben.teamId}::uuid`;
  });
  await markDirty(app, tenantId, dirtyKpiDaysOf(world.deals, world.activities));
  await app.withLakeScope(tenantId, { ownerIds: null }, (tx) => app.refreshServing(tx));
  cookies.admin = (await memberCookie("pipe-admin", ["admin"], tenantId)).cookie;
  cookies.manager = (await memberCookie("pipe-manager", ["ops"], tenantId, "aisha@pipeline.test")).cookie;
  cookies.rep = (await memberCookie("pipe-rep", ["ops"], tenantId, "ben@pipeline.test")).cookie;
  cookies.viewer = (await memberCookie("pipe-viewer", ["viewer"], tenantId, "dev@pipeline.test")).cookie;
  cookies.empty = (await memberCookie("pipe-empty", ["admin"], emptyTenantId)).cookie;
  await app.platformDb.user.updateMany({ where: { sub: { in: ["pipe-manager-sub", "pipe-rep-sub", "pipe-viewer-sub"] } }, data: { emailVerified: true } });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

const period = { from: `${thisMonth.slice(0, 4)}-01`, to: thisMonth.slice(0, 7) };
const defaultPeriod = (() => {
  const d = new Date(`${thisMonth}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 11);
  return { from: d.toISOString().slice(0, 7), to: thisMonth.slice(0, 7) };
})();

describe("GET /api/dashboard/pipeline for each place in the hierarchy", () => {
  it.each(["admin", "manager", "rep", "viewer"] as const)("gives the %s the funnel, groups and due deals of exactly their deals", async (role) => {
    const { status, body } = await get("", cookies[role]);
    expect(status).toBe(200);
    const deals = dealsFor(role, defaultPeriod);
    expect(expectedFunnel(deals).length, "the role's open deals span several stages").toBeGreaterThan(1);
    if (role === "admin") expect(Math.min(...Object.values(expectedDue(role)).map((due) => due.count))).toBeGreaterThan(0);
    expect(body.funnel.map((s) => [s.stage, s.count, s.value])).toEqual(expectedFunnel(deals));
    expect(flatGroups(body.byOwner)).toEqual(expectedGroups(deals, (d) => d.ownerId));
    expect(flatGroups(body.byTeam)).toEqual(expectedGroups(deals, (d) => d.teamId));
    expect({ closingThisMonth: body.closingThisMonth, overdue: body.overdue }).toEqual(expectedDue(role));
    expect(body.overview.openPipeline.count).toBe(dealsFor(role).filter((d) => d.outcome === "open").length);
    expect(body.hasData).toBe(true);
  });

  it("names owners for admins, managers and reps, and masks them for an aggregates-only viewer", async () => {
    const aisha = rep("Aisha");
    const named = (await get("", cookies.admin)).body.byOwner.find((g) => g.id === aisha.id)!;
    expect(named.name).toBe("Aisha Tan");
    const masked = (await get("", cookies.viewer)).body;
    expect(masked.byOwner.find((g) => g.id === aisha.id)!.name).toBe("A. T.");
    expect(masked.options.owners.map((o) => o.name)).not.toContain("Aisha Tan");
    // A rep may narrow only to themself, a manager to their team's people.
    expect((await get("", cookies.rep)).body.options.owners.map((o) => o.id)).toEqual([rep("Ben").id]);
    expect((await get("", cookies.manager)).body.options.teams.map((t) => t.id)).toEqual([aisha.teamId]);
  });
});

describe("filters", () => {
  it("narrows by tag through the per-tag serving rows: a deal counts under each tag it carries", async () => {
    for (const tag of TAGS) {
      const { body } = await get(`?tag=${tag}`, cookies.admin);
      const deals = dealsFor("admin", { ...defaultPeriod, tag });
      expect(
        body.funnel.map((s) => [s.stage, s.count, s.value]),
        tag,
      ).toEqual(expectedFunnel(deals));
      expect(flatGroups(body.byOwner), tag).toEqual(expectedGroups(deals, (d) => d.ownerId));
      expect({ closingThisMonth: body.closingThisMonth, overdue: body.overdue }).toEqual(expectedDue("admin", { tag }));
    }
    const rep = await get("?tag=Software", cookies.rep);
    expect(rep.body.funnel.map((s) => [s.stage, s.count, s.value])).toEqual(expectedFunnel(dealsFor("rep", { ...defaultPeriod, tag: "Software" })));
  });

  it("narrows by team, owner and period, within what the caller may see", async () => {
    const ben = rep("Ben");
    const byTeam = await get(`?team=${ben.teamId}&opened_from=${period.from}&opened_to=2026-08`, cookies.admin);
    const teamDeals = dealsFor("admin", { team: ben.teamId!, from: period.from, to: "2026-08" });
    expect(byTeam.body.funnel.map((s) => [s.stage, s.count, s.value])).toEqual(expectedFunnel(teamDeals));
    expect(byTeam.body.filters).toMatchObject({ team: ben.teamId, openedFrom: period.from, openedTo: "2026-08" });
    expect({ closingThisMonth: byTeam.body.closingThisMonth, overdue: byTeam.body.overdue }).toEqual(expectedDue("admin", { team: ben.teamId! }));

    const byOwner = await get(`?owner=${rep("Dev").id}`, cookies.manager);
    expect(byOwner.body.funnel.map((s) => [s.stage, s.count, s.value])).toEqual(
      expectedFunnel(dealsFor("manager", { ...defaultPeriod, owner: rep("Dev").id })),
    );
    // The manager asking for Ben's deals sees none: he is not in their team.
    const notTheirs = await get(`?owner=${ben.id}`, cookies.manager);
    expect(notTheirs.body.funnel).toEqual([]);
    expect(notTheirs.body.overdue).toEqual({ count: 0, value: 0 });
  });

  it.each([
    ["?team=direct", "team"],
    ["?owner=1", "owner"],
    ["?opened_from=2026-13", "opened_from"],
    ["?opened_from=2026-09&opened_to=2026-03", "opened_from comes after opened_to"],
    ["?opened_from=2019-01&opened_to=2026-01", "at most 60 months"],
    ["?stage=New", "stage"],
  ])("answers 400 with the reason to %s", async (query, reason) => {
    const { status, body } = await get(query, cookies.admin);
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_query");
    expect(body.message).toContain(reason);
  });

  it("answers 401 without a session", async () => {
    expect((await invoke(app.api.loader, appRequest("/api/dashboard/pipeline"))).status).toBe(401);
  });
});

describe("the Pipeline page", () => {
  it("loads the same figures as the API for the same caller and filters", async () => {
    const query = `?tag=SME&opened_from=${period.from}`;
    const page = (await (await invoke(app.page.loader, appRequest(`/app/pipeline${query}`, { cookie: cookies.manager }))).json()) as {
      pipeline: Body & { asOf: string; overview: { asOf: string } };
      role: string;
      problems: string[];
    };
    const { body } = await get(query, cookies.manager);
    const withoutClock = ({ asOf: _a, overview: { asOf: _b, ...overview }, ...rest }: Body & { asOf?: string; overview: { asOf?: string } }) => ({
      ...rest,
      overview,
    });
    expect(withoutClock(page.pipeline)).toEqual(withoutClock(body));
    expect(page).toMatchObject({ role: "manager", problems: [] });
  });

  it("shows the default filters and says why when the address carries a bad one", async () => {
    const page = (await (await invoke(app.page.loader, appRequest("/app/pipeline?opened_from=soon", { cookie: cookies.admin }))).json()) as {
      pipeline: Body;
      problems: string[];
    };
    expect(page.problems.join()).toContain("opened_from");
    expect(page.pipeline.filters).toMatchObject({ openedFrom: defaultPeriod.from, openedTo: defaultPeriod.to });
  });

  it("has no figures for a workspace whose lake holds no deal yet", async () => {
    const { status, body } = await get("", cookies.empty);
    expect(status).toBe(200);
    expect(body).toMatchObject({ hasData: false, funnel: [], byTeam: [], byOwner: [], closingThisMonth: { count: 0, value: 0 } });
  });
});
