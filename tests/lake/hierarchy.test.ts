import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type TenantTx } from "~/db.server";
import { type LakeAccess } from "~/lake/hierarchy";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";
import { dirtyKpiDaysOf, makeLakeWorld, markDirty, seedCanonical, type Deal, type LakeWorld } from "./lake-fixtures";

/**
 * The sales hierarchy against one seeded lake: Aisha leads the Direct team
 * (herself and Dev) and signs in linked through Odoo (`oauth_uid`); Ben is a
 * rep matched by his verified email; an admin, a viewer and an ops member no
 * lake user matches. Each sees, through the read functions and through the
 * API, exactly the opportunities their place lets them; the database policy
 * itself narrows a raw query.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let world: LakeWorld;
let tenantId: string;
let otherTenantId: string;
const cookies: Record<"admin" | "manager" | "rep" | "viewer" | "unmapped", string> = { admin: "", manager: "", rep: "", viewer: "", unmapped: "" };

async function loadApp() {
  const [db, hierarchy, opportunities, list, detail, overview, entities, serving, reads, dataPage, guards, entityPage] = await Promise.all([
    import("~/db.server"),
    import("~/lake/hierarchy.server"),
    import("~/lake/opportunities.server"),
    import("~/routes/api+/opportunities._index"),
    import("~/routes/api+/opportunities.$id"),
    import("~/routes/api+/dashboard.overview"),
    import("~/routes/api+/data-lake.entities.$type"),
    import("~/lake/serving.server"),
    import("~/lake/serving-reads.server"),
    import("~/lake/data-page.server"),
    import("~/auth/guards.server"),
    import("~/routes/app+/data_.$type.$id"),
  ]);
  return { ...db, ...hierarchy, ...opportunities, list, detail, overview, entities, ...serving, ...reads, ...dataPage, ...guards, entityPage };
}

const rep = (name: string) => world.reps.find((r) => r.name.startsWith(name))!;
const live = (d: Deal) => !d.deleted;
const idsOf = (deals: Deal[]) => deals.map((d) => d.id).sort();

type Role = "admin" | "manager" | "rep" | "viewer" | "unmapped";
const ROLES: Role[] = ["admin", "manager", "rep", "viewer", "unmapped"];

/** The deals each caller's place lets them see: viewers and unmapped members see the whole tenant, masked. */
const visibleTo: Record<Role, () => Deal[]> = {
  admin: () => world.deals.filter(live),
  manager: () => world.deals.filter((d) => live(d) && [rep("Aisha").id, rep("Dev").id].includes(d.ownerId!)),
  rep: () => world.deals.filter((d) => live(d) && d.ownerId === rep("Ben").id),
  viewer: () => world.deals.filter(live),
  unmapped: () => world.deals.filter(live),
};

type Auth = { cookie?: string; token?: string };

async function get(path: string, auth: Auth) {
  const [pathname] = path.split("?");
  const id = pathname!.match(/^\/api\/opportunities\/([^/]+)$/)?.[1];
  const type = pathname!.match(/^\/api\/data-lake\/entities\/([^/]+)$/)?.[1];
  const route = id ? app.detail : type ? app.entities : pathname === "/api/dashboard/overview" ? app.overview : app.list;
  const response = await invoke(route.loader, appRequest(path, auth), id ? { id } : type ? { type } : {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> } };
}

/** Every page of the list, following next_cursor. */
async function allPages(auth: Auth, query = "") {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await get(`/api/opportunities?limit=7${query}${cursor ? `&cursor=${cursor}` : ""}`, auth);
    expect(status).toBe(200);
    items.push(...body.items!);
    cursor = body.next_cursor as string | null;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  tenantId = (await app.platformDb.tenant.create({ data: { slug: "lake-hier", name: "Hierarchy", status: "active" } })).id;
  otherTenantId = (await app.platformDb.tenant.create({ data: { slug: "lake-hier-other", name: "Other", status: "active" } })).id;
  world = makeLakeWorld(13, { deals: 60, activities: 40 });
  await seedCanonical(app, tenantId, world);
  await markDirty(app, tenantId, dirtyKpiDaysOf(world.deals, world.activities));
  const [aisha, ben, dev] = [rep("Aisha"), rep("Ben"), rep("Dev")];
  await app.withLakeScope(tenantId, { ownerIds: null }, async (tx) => {
    await app.refreshServing(tx);
    for (const r of world.reps)
      await tx.$executeRaw`UPDATE lake_users SET email = ${`${r.name.split(" ")[0]!.toLowerCase()}@hier.test`} WHERE id = ${r.id}::uuid`;
    await tx.$executeRaw`UPDATE lake_teams SET leader_id = ${aisha.id}::uuid, member_ids = ARRAY[${aisha.id}::uuid, ${dev.id}::uuid] WHERE id = ${aisha.teamId}::uuid`;
    await tx.$executeRaw`UPDATE lake_teams SET member_ids = ARRAY[${ben.id}::uuid] WHERE id = ${ben.teamId}::uuid`;
    // Aisha's Odoo user as provisioning links it: oauth_uid = her identity's subject.
    const run = await tx.lakeSyncRun.create({ data: { source: "odoo", mode: "full", trigger: "cli", status: "succeeded" } });
    const raw = await tx.lakeRawRecord.create({
      data: {
        source: "odoo",
        entity: "res.users",
        sourceId: "7",
        contentHash: Buffer.from("u7"),
        payload: { id: 7, name: aisha.name, login: "aisha.t@odoo.test", oauth_uid: "hier-manager-sub" },
        syncRunId: run.id,
      },
    });
    await tx.lakeSourceRecord.create({
      data: { source: "odoo", entity: "res.users", sourceId: "7", rawId: raw.id, contentHash: Buffer.from("u7"), canonicalKind: "user", canonicalId: aisha.id },
    });
  });
  // Aisha signs in under another address: only the Odoo link maps her.
  cookies.manager = (await memberCookie("hier-manager", ["ops"], tenantId, "aisha.personal@example.test")).cookie;
  cookies.rep = (await memberCookie("hier-rep", ["ops"], tenantId, "ben@hier.test")).cookie;
  cookies.admin = (await memberCookie("hier-admin", ["admin"], tenantId)).cookie;
  cookies.viewer = (await memberCookie("hier-viewer", ["viewer"], tenantId, "dev@hier.test")).cookie;
  cookies.unmapped = (await memberCookie("hier-unmapped", ["ops"], tenantId, "nobody@hier.test")).cookie;
  await app.platformDb.user.updateMany({ where: { sub: { in: ["hier-rep-sub", "hier-viewer-sub", "hier-unmapped-sub"] } }, data: { emailVerified: true } });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

const member = (sub: string, roles: string[], verifiedEmail: string | null = null) => ({ sub, roles, verifiedEmail });

/** Each caller as the lake sees them. */
const members: Record<Role, ReturnType<typeof member>> = {
  admin: member("hier-admin-sub", ["admin"]),
  manager: member("hier-manager-sub", ["ops"]),
  rep: member("hier-rep-sub", ["ops"], "ben@hier.test"),
  viewer: member("hier-viewer-sub", ["viewer"], "dev@hier.test"),
  unmapped: member("hier-unmapped-sub", ["ops"], "nobody@hier.test"),
};

/** Runs `fn` as withLakeAccess would for the caller. */
const asRole = <T>(role: Role, fn: (tx: TenantTx, access: LakeAccess) => Promise<T>) =>
  app.db.$withTenant(tenantId, async (tx) => {
    const access = await app.lakeAccessFor(tx, members[role]);
    await app.setLakeScope(tx, access.scope);
    return fn(tx, access);
  });

describe("mapping a member to the lake", () => {
  it("maps by the linked Odoo user, else by the verified email, else not at all", async () => {
    const access = (m: ReturnType<typeof member>) => app.db.$withTenant(tenantId, (tx) => app.lakeAccessFor(tx, m));
    expect(await access(member("hier-manager-sub", ["ops"]))).toMatchObject({ role: "manager", lakeUserId: rep("Aisha").id });
    expect(await access(member("hier-rep-sub", ["ops"], "BEN@hier.test"))).toMatchObject({ role: "rep", lakeUserId: rep("Ben").id });
    expect(await access(member("hier-rep-sub", ["ops"], null))).toMatchObject({ role: "aggregates", lakeUserId: null });
    // Chloe's lake user is gone from Odoo: her address maps to nobody.
    expect(await access(member("someone", ["ops"], "chloe@hier.test"))).toMatchObject({ role: "aggregates", lakeUserId: null });
    // Another tenant's lake knows none of them.
    expect(await app.db.$withTenant(otherTenantId, (tx) => app.lakeUserOf(tx, member("hier-manager-sub", ["ops"], "ben@hier.test")))).toBeNull();
  });

  it("gives the manager their team's owners, the rep their own", async () => {
    const manager = await app.db.$withTenant(tenantId, (tx) => app.lakeAccessFor(tx, member("hier-manager-sub", ["ops"])));
    expect(manager.scope.ownerIds).toEqual([rep("Aisha").id, rep("Dev").id].sort());
    expect(manager).toMatchObject({ teamIds: [rep("Aisha").teamId] });
  });
});

describe("the read functions under each caller's scope", () => {
  it.each(ROLES)("lists exactly the %s's opportunities", async (role) => {
    const items = await asRole(role, async (tx, access) => (await app.listOpportunities(tx, access, { sort: "-value", cursor: null, limit: 200 })).items);
    expect(items.map((i) => i.id).sort()).toEqual(idsOf(visibleTo[role]()));
    expect(visibleTo[role]().length).toBeGreaterThan(0);
  });

  it("finds no colleague's opportunity for a rep, even by id", async () => {
    const colleagues = world.deals.find((d) => live(d) && d.ownerId === rep("Aisha").id)!;
    const access = await app.db.$withTenant(tenantId, (tx) => app.lakeAccessFor(tx, member("hier-rep-sub", ["ops"], "ben@hier.test")));
    expect(await app.withLakeScope(tenantId, access.scope, (tx) => app.opportunityDetail(tx, access, colleagues.id))).toBeNull();
  });
});

describe("GET /api/opportunities", () => {
  it.each(ROLES)("pages through exactly the %s's opportunities", async (role) => {
    const items = await allPages({ cookie: cookies[role] });
    expect(items.map((i) => i.id as string).sort()).toEqual(idsOf(visibleTo[role]()));
  });

  it("sorts by value and by last change, both ways, across pages", async () => {
    const values = (await allPages({ cookie: cookies.admin }, "&sort=-value")).map((i) => i.value as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const updated = (await allPages({ cookie: cookies.manager }, "&sort=updated")).map((i) => Date.parse(i.updatedAt as string));
    expect(updated).toEqual([...updated].sort((a, b) => a - b));
  });

  it("filters by owner, team and stage within the caller's scope", async () => {
    const ben = rep("Ben");
    expect((await allPages({ cookie: cookies.admin }, `&owner=${ben.id}`)).map((i) => i.id).sort()).toEqual(
      idsOf(world.deals.filter((d) => live(d) && d.ownerId === ben.id)),
    );
    // The manager asking for Ben's team sees none of it: it is not theirs.
    expect(await allPages({ cookie: cookies.manager }, `&team=${ben.teamId}`)).toEqual([]);
    const proposition = await allPages({ cookie: cookies.admin }, "&stage=Proposition");
    expect(proposition.map((i) => i.id).sort()).toEqual(idsOf(world.deals.filter((d) => live(d) && d.stageName === "Proposition")));
  });

  it("masks names, contacts and owners for viewers and unmapped members", async () => {
    for (const role of ["viewer", "unmapped"] as const) {
      const { body } = await get("/api/opportunities?limit=200&sort=-value", { cookie: cookies[role] });
      const owned = body.items!.find((i) => i.owner)!;
      expect(owned.name).toMatch(/^(\S\. ?)+$/);
      expect((owned.owner as { name: string }).name).toMatch(/^(\S\. ?)+$/);
    }
    const { body } = await get("/api/opportunities?limit=200", { cookie: cookies.rep });
    expect(body.items!.every((i) => /^Deal \d+$/.test(i.name as string))).toBe(true);
  });

  it("refuses a cursor made for another sort, and a bad query", async () => {
    const { body } = await get("/api/opportunities?limit=2&sort=-value", { cookie: cookies.admin });
    expect((await get(`/api/opportunities?sort=updated&cursor=${body.next_cursor}`, { cookie: cookies.admin })).status).toBe(400);
    expect((await get("/api/opportunities?sort=name", { cookie: cookies.admin })).status).toBe(400);
    expect((await get("/api/opportunities", {})).status).toBe(401);
  });

  it("scopes a bearer caller the same way: the linked Odoo user is the manager", async () => {
    const token = await mintToken(standIns.idp, { sub: "hier-manager-sub", email: "aisha.personal@example.test", tenant_id: "lake-hier", roles: ["ops"] });
    const items = await allPages({ token });
    expect(items.map((i) => i.id as string).sort()).toEqual(idsOf(world.deals.filter((d) => live(d) && [rep("Aisha").id, rep("Dev").id].includes(d.ownerId!))));
  });
});

describe("GET /api/opportunities/:id", () => {
  it("answers 404 to a rep asking for a colleague's opportunity, 200 for their own", async () => {
    const colleagues = world.deals.find((d) => live(d) && d.ownerId === rep("Aisha").id)!;
    const own = world.deals.find((d) => live(d) && d.ownerId === rep("Ben").id)!;
    expect(await get(`/api/opportunities/${colleagues.id}`, { cookie: cookies.rep })).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect(await get(`/api/opportunities/${own.id}`, { cookie: cookies.rep })).toMatchObject({
      status: 200,
      body: { id: own.id, name: own.name, owner: { id: own.ownerId, name: rep("Ben").name } },
    });
  });

  it("shows a manager their team's deals and no other team's", async () => {
    const devs = world.deals.find((d) => live(d) && d.ownerId === rep("Dev").id)!;
    const bens = world.deals.find((d) => live(d) && d.ownerId === rep("Ben").id)!;
    expect((await get(`/api/opportunities/${devs.id}`, { cookie: cookies.manager })).status).toBe(200);
    expect((await get(`/api/opportunities/${bens.id}`, { cookie: cookies.manager })).status).toBe(404);
    expect((await get(`/api/opportunities/${bens.id}`, { cookie: cookies.admin })).status).toBe(200);
    expect((await get("/api/opportunities/not-a-uuid", { cookie: cookies.admin })).status).toBe(404);
  });
});

describe("GET /api/dashboard/overview", () => {
  it("sums a rep's own pipeline, the admin's whole tenant", async () => {
    const open = (owner?: string) =>
      world.deals.filter((d) => live(d) && d.active && d.outcome === "open" && (owner === undefined || d.ownerId === owner)).length;
    const repOverview = await get("/api/dashboard/overview", { cookie: cookies.rep });
    expect(repOverview.body.openPipeline).toMatchObject({ count: open(rep("Ben").id) });
    const adminOverview = await get("/api/dashboard/overview", { cookie: cookies.admin });
    expect(adminOverview.body.openPipeline).toMatchObject({ count: open() });
  });
});

describe("the overview, the deal page and the Data page for each caller, read functions and API alike", () => {
  it.each(ROLES)("gives the %s the open pipeline of exactly their deals, the same from dashboardOverview and the API", async (role) => {
    const open = visibleTo[role]().filter((d) => d.active && d.outcome === "open");
    const read = await asRole(role, (tx, access) => app.dashboardOverview(tx, access.scope));
    expect(read.openPipeline.count).toBe(open.length);
    expect(read.openPipeline.value).toBeCloseTo(
      open.reduce((sum, d) => sum + d.revenue, 0),
      2,
    );
    expect(read.openPipeline.weightedValue).toBeCloseTo(
      open.reduce((sum, d) => sum + (d.revenue * d.probability) / 100, 0),
      0,
    );
    const { status, body } = await get("/api/dashboard/overview", { cookie: cookies[role] });
    expect(status).toBe(200);
    const { asOf: _read, ...fromRead } = read;
    const { asOf: _api, ...fromApi } = body;
    expect(fromApi).toEqual(JSON.parse(JSON.stringify(fromRead)));
  });

  it.each(ROLES)("lets the %s open exactly the deals they may see, by the read function and the API", async (role) => {
    const visible = new Set(visibleTo[role]().map((d) => d.id));
    const bens = world.deals.find((d) => live(d) && d.ownerId === rep("Ben").id)!;
    const aishas = world.deals.find((d) => live(d) && d.ownerId === rep("Aisha").id)!;
    for (const deal of [bens, aishas]) {
      const read = await asRole(role, (tx, access) => app.opportunityDetail(tx, access, deal.id));
      expect(read?.id ?? null, `${role} reading ${deal.name}`).toBe(visible.has(deal.id) ? deal.id : null);
      expect((await get(`/api/opportunities/${deal.id}`, { cookie: cookies[role] })).status).toBe(visible.has(deal.id) ? 200 : 404);
    }
  });

  it.each(ROLES)("shows the %s exactly their deals in the Data page's entity browser", async (role) => {
    const viewer = await app.requireTenantUser(appRequest("/app/data", { cookie: cookies[role] }));
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page = await app.dataPage(viewer, new URL(`http://app.test/app/data?type=opportunities${after ? `&after=${after}` : ""}`));
      ids.push(...page.entities.map((e) => e.id));
      after = page.nextEntities;
    } while (after);
    expect(ids.sort()).toEqual(idsOf(visibleTo[role]()));
  });
});

describe("one request, several transactions", () => {
  it("looks the caller up once, and each transaction reads within that caller's place", async () => {
    const viewer = await app.requireTenantUser(appRequest("/app/pipeline", { cookie: cookies.manager }));
    const lookups = vi.spyOn(app.platformDb.user, "findUnique");
    const owners = (tx: TenantTx) => tx.$queryRaw<Array<{ owner: string }>>`SELECT DISTINCT owner_id::text AS owner FROM lake_opportunities ORDER BY 1`;
    const reads = await Promise.all([1, 2, 3].map(() => app.withLakeAccess(viewer, async (tx, access) => ({ access, owners: await owners(tx) }))));
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
    const expected = [...new Set(visibleTo.manager().map((d) => d.ownerId!))].sort();
    for (const read of reads) {
      expect(read.access.role).toBe("manager");
      expect(read.owners.map((o) => o.owner)).toEqual(expected);
    }
    // Another request is another caller: it looks them up again.
    const next = await app.requireTenantUser(appRequest("/app/pipeline", { cookie: cookies.rep }));
    const again = vi.spyOn(app.platformDb.user, "findUnique");
    expect((await app.withLakeAccess(next, async (_tx, access) => access)).role).toBe("rep");
    expect(again).toHaveBeenCalledTimes(1);
    again.mockRestore();
  });
});

describe("GET /api/data-lake/entities/:type", () => {
  it("browses only the caller's opportunities, and masks people for members no lake user matches", async () => {
    const { body } = await get("/api/data-lake/entities/opportunities?limit=200", { cookie: cookies.rep });
    expect(body.items!.map((i) => i.id as string).sort()).toEqual(idsOf(world.deals.filter((d) => live(d) && d.ownerId === rep("Ben").id)));
    const names = async (role: keyof typeof cookies) =>
      (await get("/api/data-lake/entities/users?limit=200", { cookie: cookies[role] })).body.items!.map((i) => i.label as string).sort();
    expect(await names("rep")).toEqual(
      world.reps
        .filter((r) => !r.deleted)
        .map((r) => r.name)
        .sort(),
    );
    expect(await names("unmapped")).toEqual(
      world.reps
        .filter((r) => !r.deleted)
        .map((r) => r.name.replace(/(\S)\S*/g, "$1."))
        .sort(),
    );
  });
});

describe("the lake's entities as aggregates-only callers see them", () => {
  const initials = (name: string) => name.replace(/(\S)\S*/g, "$1.");
  const liveActivities = () => world.activities.filter((a) => !a.deleted);

  it.each(["viewer", "unmapped"] as const)("masks deal names and leaves out activity summaries for the %s, as the CRM views do", async (role) => {
    const deals = (await get("/api/data-lake/entities/opportunities?limit=200", { cookie: cookies[role] })).body.items!;
    expect(deals.map((d) => [d.label, (d.attributes as { name: string }).name])).toEqual(
      [...world.deals.filter(live)].sort((a, b) => a.id.localeCompare(b.id)).map((d) => [initials(d.name), initials(d.name)]),
    );
    const activities = (await get("/api/data-lake/entities/activities?limit=200", { cookie: cookies[role] })).body.items!;
    const byId = new Map(liveActivities().map((a) => [a.id, a]));
    expect(activities).toHaveLength(byId.size);
    for (const item of activities) {
      expect(item.label).toBe(byId.get(item.id as string)!.type);
      expect((item.attributes as { summary: string | null }).summary).toBeNull();
    }
  });

  it("masks people on the Data page for an ops member no lake user matches, as for a viewer", async () => {
    const labels = async (role: Role) => {
      const viewer = await app.requireTenantUser(appRequest("/app/data", { cookie: cookies[role] }));
      return (await app.dataPage(viewer, new URL("http://app.test/app/data?type=users"))).entities.map((e) => e.label).sort();
    };
    const names = world.reps.filter((r) => !r.deleted).map((r) => r.name);
    expect(await labels("rep")).toEqual([...names].sort());
    expect(await labels("unmapped")).toEqual(names.map(initials).sort());
  });

  it("shows an entity's raw payloads only to callers who see the lake's rows", async () => {
    const aisha = rep("Aisha");
    const open = async (role: Role) => {
      const response = await invoke(app.entityPage.loader, appRequest(`/app/data/users/${aisha.id}`, { cookie: cookies[role] }), {
        type: "users",
        id: aisha.id,
      });
      return (await response.json()) as { seesPayloads: boolean; entity: { label: string; history: Array<{ payload: unknown }> } };
    };
    const mapped = await open("rep");
    expect([mapped.seesPayloads, mapped.entity.label, mapped.entity.history.map((v) => v.payload)]).toEqual([
      true,
      aisha.name,
      [{ id: 7, name: aisha.name, login: "aisha.t@odoo.test", oauth_uid: "hier-manager-sub" }],
    ]);
    for (const role of ["viewer", "unmapped"] as const) {
      const masked = await open(role);
      expect([masked.seesPayloads, masked.entity.label, masked.entity.history.map((v) => v.payload)], role).toEqual([false, initials(aisha.name), [null]]);
    }
  });
});

describe("the hierarchy policy in the database", () => {
  const ownersSeen = (setting: string | null, table: string) =>
    app.db.$withTenant(tenantId, async (tx) => {
      if (setting !== null) await tx.$executeRaw`SELECT set_config('app.lake_owner_ids', ${setting}, true)`;
      return tx.$queryRawUnsafe<Array<{ owner_id: string | null }>>(`SELECT owner_id FROM ${table}`);
    });

  it("returns only the scope's rows to a raw query, and none when the scope is unset", async () => {
    const ben = rep("Ben").id;
    for (const table of ["lake_opportunities", "lake_activities", "lake_pipeline_summary", "lake_kpi_daily"]) {
      const narrowed = await ownersSeen(ben, table);
      expect(narrowed.length, table).toBeGreaterThan(0);
      expect(new Set(narrowed.map((r) => r.owner_id)), table).toEqual(new Set([ben]));
      expect(await ownersSeen(null, table), table).toEqual([]);
      expect(await ownersSeen("", table), table).toEqual([]);
    }
    expect(await ownersSeen(ben, "lake_opportunities")).toHaveLength(world.deals.filter((d) => d.ownerId === ben).length);
    expect(await ownersSeen("*", "lake_opportunities")).toHaveLength(world.deals.length);
  });

  it("lets a narrowed transaction write only its own owners' rows", async () => {
    const ben = rep("Ben").id;
    const aishas = world.deals.find((d) => d.ownerId === rep("Aisha").id)!;
    const updated = await app.withLakeScope(
      tenantId,
      { ownerIds: [ben] },
      (tx) => tx.$executeRaw`UPDATE lake_opportunities SET name = 'taken' WHERE id = ${aishas.id}::uuid`,
    );
    expect(updated).toBe(0);
    await expect(
      app.withLakeScope(
        tenantId,
        { ownerIds: [ben] },
        (tx) =>
          tx.$executeRaw`INSERT INTO lake_opportunities (name, stage_kind, outcome, opened_at, owner_id, content_hash)
                       VALUES ('planted', 'opportunity', 'open', now(), ${rep("Aisha").id}::uuid, '\\x00')`,
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
