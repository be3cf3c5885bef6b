import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCrm, type OdooSimulator, type SimDatabase } from "../sims/odoo";
import { appRequest, invoke } from "../support/app-requests";
import { createTenantWithOdoo, seedRun, type SeedLead } from "../support/lead-push-fixtures";
import { startCrmOdoo } from "../support/odoo-crm";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The lead engine followed into the CRM, end to end: two runs push their
 * leads to the Odoo simulator through the real push; a salesperson then
 * converts, wins and loses deals on the pushed companies in Odoo (and one
 * company already had a deal before the push); a lake sync brings it all
 * back. The outcome counts each pushed lead once, for its first run and
 * bucket, credits only deals opened after the push, and is scoped: a rep sees
 * their own deals and no vendor spend.
 */
let standIns: StandIns;
let sim: OdooSimulator;
let odoo: SimDatabase;
let app: Awaited<ReturnType<typeof loadApp>>;
let tenant: { tenantId: string; companyId: number };
let runs: { first: string; second: string };
const cookies = { admin: "", rep: "" };
const deals: Record<"aWon" | "aOpen" | "bLost" | "cLead" | "eOpen" | "aBefore", number> = { aWon: 0, aOpen: 0, bLost: 0, cLead: 0, eOpen: 0, aBefore: 0 };

async function loadApp() {
  const [db, hierarchy, push, sync, sources, runner, outcomes, origin, outcomesApi, detailApi, page, listApi, listPage, links] = await Promise.all([
    import("~/db.server"),
    import("~/lake/hierarchy.server"),
    import("~/odoo/lead-push.server"),
    import("~/lake/sync-requests.server"),
    import("~/lake/sources.server"),
    import("~/lake/sync-runner.server"),
    import("~/crm/lead-outcomes.server"),
    import("~/crm/lead-origin.server"),
    import("~/routes/api+/dashboard.lead-outcomes"),
    import("~/routes/api+/opportunities.$id"),
    import("~/routes/app+/lead-outcomes"),
    import("~/routes/api+/opportunities._index"),
    import("~/routes/app+/opportunities._index"),
    import("~/crm/lead-outcomes"),
  ]);
  return { ...db, ...hierarchy, ...push, ...sync, ...sources, ...runner, ...outcomes, ...origin, ...links, outcomesApi, detailApi, page, listApi, listPage };
}

const lead = (uen: string, name: string, bucket: SeedLead["bucket"], score: number): SeedLead => ({
  uen,
  name,
  bucket,
  score,
  domain: `${uen.toLowerCase()}.example.sg`,
});
const A = lead("202610001A", "ALPHA PTE. LTD.", "High", 85);
const B = lead("202610002B", "BRAVO PTE. LTD.", "High", 80);
const C = lead("202610003C", "CHARLIE PTE. LTD.", "Medium", 55);
const D = lead("202610004D", "DELTA PTE. LTD.", "Low", 30);
const E = lead("202610005E", "ECHO PTE. LTD.", "High", 90);

async function get(path: string, cookie: string) {
  const id = path.match(/^\/api\/opportunities\/([^/?]+)$/)?.[1];
  const response = await invoke(id ? app.detailApi.loader : app.outcomesApi.loader, appRequest(path, { cookie }), id ? { id } : {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The names of the deals a deal-list link of the page lists, read through GET /api/opportunities with the link's parameters. */
async function dealsOf(href: string, cookie: string): Promise<string[]> {
  const response = await invoke(app.listApi.loader, appRequest(`${href.replace(/^\/app\//, "/api/")}&limit=200`, { cookie }));
  expect(response.status, href).toBe(200);
  return ((await response.json()) as { items: Array<{ name: string }> }).items.map((deal) => deal.name).sort();
}

async function syncOdoo() {
  const { syncRunId } = await app.db.$withTenant(tenant.tenantId, (tx) =>
    app.requestSyncIn(tx, tenant.tenantId, { source: "odoo", mode: "full", trigger: "cli", queue: false }),
  );
  return app.runSync(tenant.tenantId, syncRunId, await app.sourceKit(tenant.tenantId, "odoo"));
}

/** The canonical opportunity a crm.lead became. */
async function canonicalIdOf(leadId: number): Promise<string> {
  const record = await app.withLakeScope(tenant.tenantId, { ownerIds: null }, (tx) =>
    tx.lakeSourceRecord.findUniqueOrThrow({
      where: { tenantId_source_entity_sourceId: { tenantId: tenant.tenantId, source: "odoo", entity: "crm.lead", sourceId: String(leadId) } },
    }),
  );
  return record.canonicalId!;
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  let admin;
  ({ sim, admin, odoo } = await startCrmOdoo());
  tenant = await createTenantWithOdoo(sim, admin);
  // Salespeople, teams and stages, with a few unrelated deals.
  seedDemoCrm(odoo, { companyId: tenant.companyId, companies: 3, leads: 8, now: new Date(), activities: false });
  const salespeople = odoo.records("res.users").filter((u) => u.company_id === tenant.companyId && String(u.login).startsWith("sales"));
  // Not the first of either team: those lead their teams.
  const [rep, colleague] = [salespeople[1]!, salespeople[5]!];

  const first = await seedRun(tenant.tenantId, [A, B, C, D]);
  const second = await seedRun(tenant.tenantId, [E]);
  runs = { first, second };
  await app.platformDb.run.update({ where: { tenantId_id: { tenantId: tenant.tenantId, id: first } }, data: { icpVersion: 1 } });
  await app.platformDb.run.update({ where: { tenantId_id: { tenantId: tenant.tenantId, id: second } }, data: { icpVersion: 2 } });
  await app.platformDb.runVendorUsage.createMany({
    data: [
      { tenantId: tenant.tenantId, runId: first, vendor: "tavily", calls: 4, costUsd: 0.6 },
      { tenantId: tenant.tenantId, runId: first, vendor: "llm", calls: 4, costUsd: 0.4 },
      { tenantId: tenant.tenantId, runId: second, vendor: "tavily", calls: 1, costUsd: 0.5 },
    ],
  });
  await app.applyRunPush(tenant.tenantId, first);
  await app.applyRunPush(tenant.tenantId, second);

  const partnerOf = (uen: string) => odoo.records("res.partner").find((p) => p.ref === uen && p.is_company)!.id;
  const create = (values: Record<string, unknown>) =>
    admin.create("crm.lead", { company_id: tenant.companyId, type: "opportunity", user_id: rep.id, ...values });
  // A arrives as a lead and is converted to an opportunity (same crm.lead id), then won.
  deals.aWon = await create({ name: "Alpha rollout", type: "lead", partner_id: partnerOf(A.uen), expected_revenue: 20_000 });
  await admin.write("crm.lead", [deals.aWon], { type: "opportunity" });
  await admin.call("crm.lead", "action_set_won", [[deals.aWon]]);
  deals.aOpen = await create({ name: "Alpha phase 2", partner_id: partnerOf(A.uen), expected_revenue: 5_000, user_id: colleague.id });
  deals.bLost = await create({ name: "Bravo pilot", partner_id: partnerOf(B.uen), expected_revenue: 7_000 });
  const reason = odoo.records("crm.lost.reason")[0]!.id;
  await admin.call("crm.lead", "action_set_lost", [[deals.bLost]], { lost_reason_id: reason });
  deals.cLead = await create({ name: "Charlie enquiry", type: "lead", partner_id: partnerOf(C.uen), expected_revenue: 3_000 });
  deals.eOpen = await create({ name: "Echo deal", partner_id: partnerOf(E.uen), expected_revenue: 9_000, user_id: colleague.id });
  // A deal Alpha already had a year before the platform found it: not the lead engine's.
  const wonStage = odoo.records("crm.stage").find((s) => s.is_won)!.id;
  deals.aBefore = odoo.insert("crm.lead", {
    name: "Alpha legacy",
    type: "opportunity",
    company_id: tenant.companyId,
    partner_id: partnerOf(A.uen),
    user_id: rep.id,
    stage_id: wonStage,
    probability: 100,
    expected_revenue: 99_999,
    active: true,
    create_date: "2025-11-01 00:00:00",
    write_date: "2025-11-02 00:00:00",
  }).id;

  cookies.admin = (await memberCookie("outcome-admin", ["admin"], tenant.tenantId)).cookie;
  cookies.rep = (await memberCookie("outcome-rep", ["ops"], tenant.tenantId, String(rep.email))).cookie;
  await app.platformDb.user.updateMany({ where: { sub: "outcome-rep-sub" }, data: { emailVerified: true } });
}, 180_000);

afterAll(async () => {
  await sim?.stop();
  await standIns?.stop();
});

describe("the lead engine's outcome", () => {
  it("says no lake sync has run while the pushed leads wait for one", async () => {
    expect(await get("/api/dashboard/lead-outcomes", cookies.admin)).toMatchObject({ status: 200, body: { state: "no_lake_sync" } });
  });

  it("counts each pushed lead once for its first run and bucket, crediting only deals opened after the push", async () => {
    expect(await syncOdoo()).toMatchObject({ status: "succeeded", rejected: 0 });
    const { status, body } = await get("/api/dashboard/lead-outcomes", cookies.admin);
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: "ready", spendShown: true, dealScope: "tenant" });
    expect(body.totals).toEqual({
      pushed: 4,
      becameOpportunities: 3,
      wonLeads: 1,
      opportunities: 4,
      won: 1,
      lost: 1,
      open: 2,
      wonValue: 20_000,
      openValue: 14_000,
      opportunityRate: 0.75,
      conversionRate: 0.25,
      winRate: 0.5,
      spendUsd: 1.5,
      spendPerWonDeal: 1.5,
    });
    const byBucket = body.byBucket as Array<Record<string, unknown>>;
    expect(byBucket.map((g) => [g.key, g.pushed, g.becameOpportunities, g.wonLeads, g.conversionRate, g.spendUsd])).toEqual([
      // Run 1 scored 2 of its 4 companies High (half its US$1.00), run 2 its only one (all its US$0.50).
      ["High", 3, 3, 1, 1 / 3, 1],
      ["Medium", 1, 0, 0, 0, 0.25],
      ["Low", 0, 0, 0, null, 0.25],
    ]);
    const byRun = body.byRun as Array<Record<string, unknown>>;
    expect(byRun.map((r) => [r.key, r.icpVersion, r.pushed, r.won, r.spendUsd]).sort()).toEqual(
      [
        [runs.first, 1, 3, 1, 1],
        [runs.second, 2, 1, 0, 0.5],
      ].sort(),
    );
    expect((body.byIcpVersion as Array<Record<string, unknown>>).map((g) => [g.label, g.pushed, g.filter])).toEqual([
      ["ICP v2", 1, { pushed_icp: "2" }],
      ["ICP v1", 3, { pushed_icp: "1" }],
    ]);
  });

  it("links each figure to exactly the deals it counts, on the page and in the API", async () => {
    const outcomes = [
      [undefined, "opportunities"],
      ["won", "won"],
      ["lost", "lost"],
      ["open", "open"],
    ] as const;
    for (const cookie of [cookies.admin, cookies.rep]) {
      const { body } = await get("/api/dashboard/lead-outcomes", cookie);
      const groups = [
        { key: "all", filter: {}, ...(body.totals as object) },
        ...(["byBucket", "byRun", "byIcpVersion"] as const).flatMap((by) => body[by]),
      ] as Array<Record<string, number> & { key: string; filter: Record<string, string> }>;
      for (const group of groups) {
        for (const [outcome, figure] of outcomes) {
          expect(await dealsOf(app.pushedDealsHref(group.filter, outcome), cookie), `${group.key} ${figure}`).toHaveLength(group[figure]!);
        }
      }
    }
    expect(await dealsOf(app.pushedDealsHref({}), cookies.admin)).toEqual(["Alpha phase 2", "Alpha rollout", "Bravo pilot", "Echo deal"]);
    expect(await dealsOf(app.pushedDealsHref({ pushed_run: runs.second }), cookies.admin)).toEqual(["Echo deal"]);
    expect(await dealsOf(app.pushedDealsHref({}, "won"), cookies.rep)).toEqual(["Alpha rollout"]);
    const page = await invoke(app.listPage.loader, appRequest(app.pushedDealsHref({ pushed_bucket: "High" }, "lost"), { cookie: cookies.rep }));
    expect(page.status).toBe(200);
    expect(((await page.json()) as { page: { items: Array<{ name: string }> } }).page.items.map((deal) => deal.name)).toEqual(["Bravo pilot"]);
  });

  it("narrows to the runs of an ICP version", async () => {
    const { body } = await get("/api/dashboard/lead-outcomes?icp_version=2", cookies.admin);
    expect(body.totals).toMatchObject({ pushed: 1, becameOpportunities: 1, open: 1, spendUsd: 0.5 });
  });

  it("shows a rep the outcome of their own deals and no vendor spend", async () => {
    const { status, body } = await get("/api/dashboard/lead-outcomes", cookies.rep);
    expect(status).toBe(200);
    expect(body).toMatchObject({ spendShown: false, dealScope: "own" });
    // Their deals: Alpha won and Bravo lost; the pushed leads are the tenant's.
    expect(body.totals).toMatchObject({ pushed: 4, becameOpportunities: 2, won: 1, lost: 1, open: 0, wonValue: 20_000, spendUsd: null, spendPerWonDeal: null });
  });

  it("gives an opportunity its lead origin, and none to a deal the lead engine had no part in", async () => {
    const won = await get(`/api/opportunities/${await canonicalIdOf(deals.aWon)}`, cookies.rep);
    expect(won).toMatchObject({
      status: 200,
      body: {
        outcome: "won",
        lead_origin: { uen: A.uen, runId: runs.first, icpVersion: 1, score: 85, bucket: "High", rationale: "test", matchedBy: "partner" },
      },
    });
    const legacy = await get(`/api/opportunities/${await canonicalIdOf(deals.aBefore)}`, cookies.admin);
    expect(legacy).toMatchObject({ status: 200, body: { outcome: "won", lead_origin: null } });
    // A colleague's pushed deal stays hidden from the rep, origin and all.
    expect((await get(`/api/opportunities/${await canonicalIdOf(deals.eOpen)}`, cookies.rep)).status).toBe(404);
    const origin = await app.withLakeScope(tenant.tenantId, { ownerIds: null }, async (tx) => app.leadOriginOf(tx, await canonicalIdOf(deals.eOpen)));
    expect(origin).toMatchObject({ uen: E.uen, runId: runs.second, bucket: "High", score: 90 });
  });

  it("links canonical accounts to the registry by the UEN the push wrote", async () => {
    const accounts = await app.withLakeScope(
      tenant.tenantId,
      { ownerIds: null },
      (tx) =>
        tx.$queryRaw<Array<{ uen: string; entity_name: string }>>`
        SELECT a.uen, r.entity_name FROM lake_accounts a JOIN staging_acra_companies r ON r.uen = a.uen ORDER BY a.uen`,
    );
    expect(accounts).toEqual([A, B, C, E].map((l) => ({ uen: l.uen, entity_name: l.name })));
  });

  it("gives the page the same figures as the API, with the sources' freshness", async () => {
    for (const cookie of [cookies.admin, cookies.rep]) {
      const page = await invoke(app.page.loader, appRequest("/app/lead-outcomes?icp_version=1", { cookie }));
      const data = (await page.json()) as { outcomes: unknown; freshness: Array<{ source: string }> };
      expect(data.outcomes).toEqual((await get("/api/dashboard/lead-outcomes?icp_version=1", cookie)).body);
      expect(data.freshness.map((f) => f.source)).toContain("odoo");
    }
    const bad = await invoke(app.page.loader, appRequest("/app/lead-outcomes?to=soon", { cookie: cookies.admin }));
    expect(bad.status).toBe(400);
  });

  it("says so when the workspace has pushed no lead yet", async () => {
    const other = await app.platformDb.tenant.create({ data: { slug: "outcome-none", name: "None", status: "active" } });
    const { cookie } = await memberCookie("outcome-none-admin", ["admin"], other.id);
    expect(await get("/api/dashboard/lead-outcomes", cookie)).toMatchObject({ status: 200, body: { state: "no_pushed_leads", totals: { pushed: 0 } } });
  });

  it("answers 400 with the reasons for a bad query", async () => {
    expect(await get("/api/dashboard/lead-outcomes?from=2026-13", cookies.admin)).toMatchObject({
      status: 400,
      body: { error: "invalid_query", message: "from: expected a month as YYYY-MM" },
    });
    // Year 0000 fits the pattern, but Postgres has no such date.
    expect(await get("/api/dashboard/lead-outcomes?from=0000-01", cookies.admin)).toMatchObject({
      status: 400,
      body: { error: "invalid_query", message: "from: expected a month from 0001-01 to 9999-12" },
    });
    expect((await get("/api/dashboard/lead-outcomes?from=2026-11&to=2026-01", cookies.admin)).status).toBe(400);
    expect((await get("/api/dashboard/lead-outcomes?owner=me", cookies.admin)).status).toBe(400);
  });
});
