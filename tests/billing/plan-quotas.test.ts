import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PlanQuotas } from "~/billing/quotas";
import { startWorkspace, type Member } from "../shortlist/workspace";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken } from "../support/platform";

/**
 * The plan quotas beyond manual runs, each where it bites: exports per month
 * (shortlist and CRM downloads, 402 and the pages' message), seats (a
 * newcomer is refused and nothing of theirs is written), data-lake sources
 * (connecting Microsoft 365), and companies enriched per month (a run is
 * capped to what is left, a manual start is refused, the nightly sweep skips
 * the workspace and says why).
 */
let ws: Awaited<ReturnType<typeof startWorkspace>>;
let app: Awaited<ReturnType<typeof loadApp>>;
let planCount = 0;

async function loadApp() {
  const [
    shortlistExport,
    crmExport,
    shortlistPage,
    opportunitiesPage,
    identity,
    firstLogin,
    counters,
    connection,
    sources,
    lakeActions,
    startRun,
    sweep,
    runsApi,
    quotas,
  ] = await Promise.all([
    import("~/routes/api+/export.$file"),
    import("~/routes/api+/export.crm.$file"),
    import("~/routes/app+/shortlist"),
    import("~/routes/app+/opportunities._index"),
    import("~/auth/identity.server"),
    import("~/routes/api+/onboarding.first_login"),
    import("~/billing/usage-counters.server"),
    import("~/lake/m365/connection.server"),
    import("~/lake/sources.server"),
    import("~/lake/lake-settings-actions.server"),
    import("~/runs/start-run.server"),
    import("~/runs/nightly-sweep.server"),
    import("~/routes/api+/runs._index"),
    import("~/billing/quotas"),
  ]);
  return {
    shortlistExport,
    crmExport,
    shortlistPage,
    opportunitiesPage,
    identity,
    firstLogin,
    counters,
    connection,
    sources,
    lakeActions,
    startRun,
    sweep,
    runsApi,
    quotas,
  };
}

/** Puts the tenant on a plan of its own with these quotas (the others unlimited); returns the plan's name. */
async function onPlan(tenantId: string, quotas: Partial<Omit<PlanQuotas, "code" | "name">>): Promise<string> {
  planCount += 1;
  const name = `Quota ${planCount}`;
  // Every feature included: these plans test quotas, not entitlements.
  await ws.platformDb.plan.create({ data: { code: `quota-${planCount}`, name, features: ["tenant_sso", "analytics_hub", "lake_m365"], ...quotas } });
  await ws.platformDb.tenant.update({ where: { id: tenantId }, data: { plan: `quota-${planCount}` } });
  return name;
}

beforeAll(async () => {
  ws = await startWorkspace();
  app = await loadApp();
}, 120_000);

afterAll(async () => {
  await ws?.standIns.stop();
});

describe("exports per month", () => {
  let tenant: { id: string; slug: string };
  let ops: Member;
  let plan: string;

  beforeAll(async () => {
    tenant = await ws.tenant("export-quota");
    ops = await ws.member(tenant, "ops");
    await ws.seedFinishedRun(tenant.id, { companies: 3, seed: 41, runDate: ws.today });
    plan = await onPlan(tenant.id, { exportsPerMonth: 2 });
  });

  const download = (path: string, params: Record<string, string>, loader: (typeof app.shortlistExport)["loader"]) =>
    invoke(loader, appRequest(path, { cookie: ops.cookie }), params);

  it("serves the plan's exports, then answers 402 quota_exceeded for shortlist and CRM downloads and records nothing more", async () => {
    for (const file of ["shortlist.csv", "latest_scores.json"]) {
      const served = await download(`/api/export/${file}`, { file }, app.shortlistExport.loader);
      expect(served.status).toBe(200);
      await served.text();
    }
    const message = `The ${plan} plan allows 2 exports per month (2 used this month). Ask your administrator to change the plan.`;
    const refused = await download("/api/export/shortlist.csv", { file: "shortlist.csv" }, app.shortlistExport.loader);
    expect(refused.status).toBe(402);
    expect(await refused.json()).toEqual({ error: "quota_exceeded", quota: "exportsPerMonth", message });
    const crm = await download("/api/export/crm/opportunities.csv", { file: "opportunities.csv" }, app.crmExport.loader);
    expect(crm.status).toBe(402);
    expect(await crm.json()).toEqual({ error: "quota_exceeded", quota: "exportsPerMonth", message });
    const recorded = await ws.platformDb.auditLog.count({ where: { tenantId: tenant.id, action: "export.downloaded" } });
    expect(recorded).toBe(2);

    // The shortlist and CRM pages put the plan's message where their export links were.
    for (const [loader, path] of [
      [app.shortlistPage.loader, "/app/shortlist"],
      [app.opportunitiesPage.loader, "/app/opportunities"],
    ] as const) {
      const page = await invoke(loader, appRequest(path, { cookie: ops.cookie }));
      expect(page.status).toBe(200);
      expect(((await page.json()) as { exportsRefused: string | null }).exportsRefused).toBe(message);
    }
  });

  it("leaves the export links to a workspace whose plan has exports left", async () => {
    const other = await ws.tenant("export-room");
    const viewer = await ws.member(other, "viewer");
    const page = await invoke(app.shortlistPage.loader, appRequest("/app/shortlist", { cookie: viewer.cookie }));
    expect(((await page.json()) as { exportsRefused: string | null }).exportsRefused).toBeNull();
  });

  it("counts downloads by the Singapore month", async () => {
    const other = await ws.tenant("export-month");
    await ws.platformDb.auditLog.createMany({
      data: [
        // 23:59:59 on 30 November in Singapore, then midnight of 1 December there.
        { tenantId: other.id, action: "export.downloaded", createdAt: new Date("2026-11-30T15:59:59Z") },
        { tenantId: other.id, action: "export.downloaded", createdAt: new Date("2026-11-30T16:00:00Z") },
      ],
    });
    const usage = await ws.db.$withTenant(other.id, (tx) => app.counters.quotaUsage(tx, other.id, new Date("2026-12-15T04:00:00Z")));
    expect(usage.exportsPerMonth).toBe(1);
  });
});

describe("seats", () => {
  const identity = (n: number, roles = ["viewer"]) => ({ sub: `seat-${n}`, email: `seat-${n}@seats.test`, tenant_id: "seat-quota", roles });

  it("lets the workspace's first member in whatever the plan, refuses the next newcomer with nothing written, and keeps members in", async () => {
    const tenant = await ws.platformDb.tenant.create({ data: { slug: "seat-quota", name: "Seat quota", status: "active" } });
    const plan = await onPlan(tenant.id, { seats: 0 });
    const first = await app.identity.resolveIdentity(identity(1, ["admin"]));
    expect(first.tenant?.id).toBe(tenant.id);

    const message = `The ${plan} plan allows 0 seats (1 in use). Ask your administrator to change the plan.`;
    const refused = await app.identity.resolveIdentity(identity(2)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(app.quotas.QuotaExceededError);
    expect(refused).toMatchObject({ quota: "seats", status: 402, message });
    expect(await ws.platformDb.user.count({ where: { sub: "seat-2" } })).toBe(0);
    expect(await ws.platformDb.tenantUser.count({ where: { tenantId: tenant.id } })).toBe(1);
    const audit = await ws.platformDb.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "member.refused" } });
    expect(audit).toMatchObject({ actorSub: "seat-2", details: { quota: "seats", reason: message } });

    // The member already in signs in again; the API's first login answers a newcomer 402.
    expect((await app.identity.resolveIdentity(identity(1, ["admin"]))).tenant?.id).toBe(tenant.id);
    const token = await mintToken(ws.standIns.idp, identity(3));
    const api = await invoke(app.firstLogin.action, appRequest("/api/onboarding/first_login", { method: "POST", token }));
    expect(api.status).toBe(402);
    expect(await api.json()).toEqual({ error: "quota_exceeded", quota: "seats", message });

    // One more seat on the plan, and the newcomer joins.
    await ws.platformDb.plan.update({ where: { code: `quota-${planCount}` }, data: { seats: 2 } });
    expect((await app.identity.resolveIdentity(identity(2))).tenant?.id).toBe(tenant.id);
  });
});

describe("data-lake sources", () => {
  it("refuses connecting Microsoft 365 past the plan's sources, in the form and on the page, and connects once the plan has room", async () => {
    const tenant = await ws.tenant("lake-quota");
    const plan = await onPlan(tenant.id, { lakeSources: 1 });
    await ws.db.$withTenant(tenant.id, (tx) => tx.lakeSource.create({ data: { tenantId: tenant.id, source: "odoo", status: "connected" } }));
    const message = `The ${plan} plan allows 1 data-lake sources (1 in use). Ask your administrator to change the plan.`;

    expect((await app.connection.m365Connection(tenant.id)).quotaRefusal).toBe(message);
    const actor = { sub: "lake-admin", email: "admin@lake.test" };
    const submission = { reply: () => ({}) };
    const form = await app.lakeActions.lakeSettingsAction(tenant.id, actor, ["admin"], { intent: "m365-connect" }, submission);
    expect(form).toEqual({ intent: "m365-connect", ok: false, message: `Microsoft 365 was not connected. ${message}` });
    const direct = await app.sources
      .connectM365(tenant.id, { directoryId: "11111111-2222-3333-4444-555555555555", connectedBy: actor.email })
      .catch((error: unknown) => error);
    expect(direct).toMatchObject({ quota: "lakeSources", status: 402, message });
    const m365 = await ws.db.$withTenant(tenant.id, (tx) => tx.lakeSource.findFirst({ where: { source: "m365" } }));
    expect(m365).toBeNull();

    await ws.platformDb.plan.update({ where: { code: `quota-${planCount}` }, data: { lakeSources: 2 } });
    await app.sources.connectM365(tenant.id, { directoryId: "11111111-2222-3333-4444-555555555555", connectedBy: actor.email });
    const connected = await app.connection.m365Connection(tenant.id);
    expect(connected).toMatchObject({ status: "connected", quotaRefusal: null });
    // Reconnecting a source already counted takes no further source.
    await app.sources.connectM365(tenant.id, { directoryId: "11111111-2222-3333-4444-555555555555", connectedBy: actor.email });
  });
});

describe("companies enriched per month", () => {
  let tenant: { id: string; slug: string };
  let ops: Member;
  let plan: string;
  const uens = ["202600001A", "202600002B", "202600003C", "202600004D"];

  beforeAll(async () => {
    tenant = await ws.tenant("companies-quota");
    ops = await ws.member(tenant, "ops");
    plan = await onPlan(tenant.id, { companiesPerMonth: 5 });
    // Three companies enriched earlier this month.
    await ws.db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "succeeded", runDate: new Date(`${ws.today}T00:00:00Z`) } });
      await tx.runCompany.createMany({
        data: [
          ...["202500001A", "202500002B", "202500003C"].map((uen) => ({ runId: run.id, uen, status: "done", finishedAt: new Date() })),
          // Failed companies were not enriched; one finished last month belongs to that month.
          { runId: run.id, uen: "202500004D", status: "failed", finishedAt: new Date() },
          { runId: run.id, uen: "202500005E", status: "done", finishedAt: new Date(Date.now() - 40 * 86_400_000) },
        ],
      });
    });
  });

  it("caps a run to the month's remaining companies and says so in its log", async () => {
    const { runId } = await app.startRun.startRun(tenant.id, { kind: "manual", actor: null, options: { uens } });
    await app.startRun.launchRun(tenant.id, runId);
    const targeted = await ws.db.$withTenant(tenant.id, async (tx) => ({
      companies: await tx.runCompany.findMany({ where: { runId }, select: { uen: true }, orderBy: { uen: "asc" } }),
      run: await tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: runId } }, select: { targetCount: true } }),
      capped: await tx.runEventLog.findFirstOrThrow({ where: { runId, event: "quota_capped" } }),
    }));
    expect(targeted.companies.map((c) => c.uen)).toEqual(uens.slice(0, 2));
    expect(targeted.run.targetCount).toBe(2);
    expect(targeted.capped.message).toBe(
      `The ${plan} plan allows 5 companies enriched per month (3 used this month): this run enriches 2 of the 4 companies it picked.`,
    );
    // The run finishes with both enriched: the month's companies are used up.
    await ws.db.$withTenant(tenant.id, async (tx) => {
      await tx.runCompany.updateMany({ where: { runId }, data: { status: "done", finishedAt: new Date() } });
      await tx.run.update({ where: { tenantId_id: { tenantId: tenant.id, id: runId } }, data: { status: "succeeded" } });
    });
  });

  it("refuses a manual run with 402 once nothing remains this month", async () => {
    const response = await invoke(app.runsApi.action, appRequest("/api/runs", { method: "POST", cookie: ops.cookie }));
    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      error: "quota_exceeded",
      quota: "companiesPerMonth",
      message: `The ${plan} plan allows 5 companies enriched per month (5 used this month). Ask your administrator to change the plan.`,
    });
  });

  it("skips the nightly run with the reason in the audit log and an open alert", async () => {
    // 02:00 in Singapore today: the default nightly hour.
    await app.sweep.sweepNightlyRuns(new Date(`${ws.today}T02:00:00+08:00`));
    const reason = `The ${plan} plan allows 5 companies enriched per month (5 used this month). Ask your administrator to change the plan.`;
    const outcome = await ws.db.$withTenant(tenant.id, async (tx) => ({
      nightly: await tx.run.count({ where: { kind: "nightly" } }),
      skipped: await tx.auditLog.findFirstOrThrow({ where: { action: "run.skipped" }, select: { details: true } }),
      alerts: await tx.alert.findMany({ where: { resolvedAt: null }, select: { kind: true, severity: true, message: true } }),
    }));
    expect(outcome.nightly).toBe(0);
    expect(outcome.skipped.details).toEqual({ kind: "nightly", quota: "companiesPerMonth", reason });
    expect(outcome.alerts).toEqual([{ kind: "plan_quota", severity: "warning", message: `Tonight's nightly run was skipped. ${reason}` }]);
  });
});
