import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { activeTenant, memberCookie } from "../support/workspace-users";

/**
 * The dashboard (/app) and the runs pages (/app/runs, /app/runs/:id) called
 * in-process with signed-in members: what they show from a finished run,
 * "Run now" and its one-run-at-a-time rule, resolving alerts, QA checks, and
 * the role guards (a viewer's forged POST is refused and changes nothing).
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;
const users: Record<string, { cookie: string; email: string }> = {};

async function loadApp() {
  const [db, fixtures, dashboard, runs, run] = await Promise.all([
    import("~/db.server"),
    import("../support/lead-fixtures"),
    import("~/routes/app+/_index"),
    import("~/routes/app+/runs._index"),
    import("~/routes/app+/runs.$id"),
  ]);
  return { db: db.db, platformDb: db.platformDb, seedFinishedRun: fixtures.seedFinishedRun, dashboard, runs, run };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  acme = await activeTenant("acme", "Acme");
  globex = await activeTenant("globex", "Globex");
  for (const [key, roles, tenant] of [
    ["acme-ops", ["ops"], acme],
    ["acme-admin", ["admin"], acme],
    ["acme-viewer", ["viewer"], acme],
    ["globex-ops", ["ops"], globex],
  ] as const) {
    users[key] = await memberCookie(key, [...roles], tenant.id);
  }
});

afterAll(async () => {
  await standIns?.stop();
});

async function json<T>(response: Response): Promise<T> {
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const dashboardOf = (who: string) => invoke(app.dashboard.loader, appRequest("/app", { cookie: users[who]!.cookie }));
const postDashboard = (who: string, form: Record<string, string>) => invoke(app.dashboard.action, appRequest("/app", { cookie: users[who]!.cookie, form }));
const runOf = (who: string, id: string) => invoke(app.run.loader, appRequest(`/app/runs/${id}`, { cookie: users[who]!.cookie }), { id });
const postRun = (who: string, id: string, form: Record<string, string>) =>
  invoke(app.run.action, appRequest(`/app/runs/${id}`, { cookie: users[who]!.cookie, form }), { id });

type DashboardData = Awaited<ReturnType<typeof app.dashboard.loader>>;

describe("the dashboard before any run", () => {
  it("shows no run, an empty trend and Run now only to ops and admins", async () => {
    const ops = await json<DashboardData>(await dashboardOf("acme-ops"));
    expect(ops.latest).toBeNull();
    expect(ops.trend).toEqual([]);
    expect(ops.tokens).toEqual({ used: 0, budget: 200_000, calls: 0 });
    expect(ops.canOperate).toBe(true);
    expect((await json<DashboardData>(await dashboardOf("acme-viewer"))).canOperate).toBe(false);
  });
});

describe("a workspace with finished runs", () => {
  let older: Awaited<ReturnType<typeof app.seedFinishedRun>>;
  let latest: Awaited<ReturnType<typeof app.seedFinishedRun>>;
  let alertId: string;

  beforeAll(async () => {
    older = await app.seedFinishedRun(acme.id, { companies: 6, seed: 1, runDate: "2026-11-20" });
    latest = await app.seedFinishedRun(acme.id, { companies: 12, seed: 2 });
    await app.db.$withTenant(acme.id, async (tx) => {
      // The older run was a worse one: fewer emails, degraded.
      await tx.run.update({
        where: { tenantId_id: { tenantId: acme.id, id: older.runId } },
        data: { createdAt: new Date(Date.now() - 2 * 86_400_000), degraded: true, degradedReasons: ["lusha: 2 of 6 calls failed"] },
      });
      await tx.$executeRaw`UPDATE runs SET metrics = jsonb_set(metrics, '{email_rate}', '0.5') WHERE id = ${older.runId}::uuid`;
      const { singaporeDate } = await import("~/utils/singapore-time");
      await tx.tokenUsage.create({
        data: { tenantId: acme.id, day: new Date(`${singaporeDate(new Date())}T00:00:00Z`), promptTokens: 30_000, completionTokens: 12_000, calls: 40 },
      });
      await tx.tenantSettings.create({ data: { tenantId: acme.id, dailyTokenBudget: 50_000 } });
      const [alert] = await tx.$queryRaw<[{ id: string }]>`
        INSERT INTO alerts (kind, alert_key, severity, message, run_id) VALUES ('crawl_error_rate', 'crawl_error_rate', 'warning', 'Only 60 % of the websites could be crawled.', ${latest.runId}::uuid) RETURNING id`;
      alertId = alert.id;
      await tx.runEventLog.create({
        data: {
          tenantId: acme.id,
          runId: latest.runId,
          stage: "emails",
          event: "found",
          status: "ok",
          message: "kept jane.tan@codigo.sg from the contact page",
        },
      });
    });
    // Another tenant's run and alert must never show up here.
    await app.seedFinishedRun(globex.id, { companies: 3, seed: 3 });
  });

  it("shows the latest run, its distribution, the trend oldest first, today's spend against the budget and open alerts", async () => {
    const data = await json<DashboardData>(await dashboardOf("acme-viewer"));
    expect(data.latest).toMatchObject({ id: latest.runId, status: "succeeded", shortlist: 12, emailRate: 0.75 });
    expect(data.distribution).toMatchObject({ runId: latest.runId, buckets: { High: 4, Medium: 4, Low: 4 } });
    expect(data.trend.map((p) => [p.runId, p.shortlist, p.emailRate])).toEqual([
      [older.runId, 6, 0.5],
      [latest.runId, 12, 0.75],
    ]);
    expect(data.trend[0]!.label).toBe("20 Nov");
    expect(data.tokens).toEqual({ used: 42_000, budget: 50_000, calls: 40 });
    expect(data.vendorsToday.map((v) => v.vendor)).toEqual(["llm", "zerobounce"]);
    expect(data.vendorsToday.find((v) => v.vendor === "llm")!.units).toBe(12 * 900);
    expect(data.alerts).toHaveLength(1);
    expect(data.alerts[0]).toMatchObject({ id: alertId, kind: "crawl_error_rate", runId: latest.runId });
  });

  it("lists runs newest first with their companies, High count and who started them", async () => {
    type RunsData = Awaited<ReturnType<typeof app.runs.loader>>;
    const data = await json<RunsData>(await invoke(app.runs.loader, appRequest("/app/runs", { cookie: users["acme-viewer"]!.cookie })));
    expect(data.total).toBe(2);
    expect(data.runs.map((r) => [r.id, r.companies, r.high, r.degraded])).toEqual([
      [latest.runId, 12, 4, false],
      [older.runId, 6, 2, true],
    ]);

    // Page 9 of 1 would show "No runs yet"; it goes to the last page instead.
    const past = await invoke(app.runs.loader, appRequest("/app/runs?page=9", { cookie: users["acme-viewer"]!.cookie }));
    expect(past.status).toBe(302);
    expect(past.headers.get("location")).toBe("/app/runs");
  });

  it("shows a run's figures, vendor usage, QA sample with company names, alerts and recent events", async () => {
    type RunData = Awaited<ReturnType<typeof app.run.loader>>;
    const data = await json<RunData>(await runOf("acme-ops", latest.runId));
    expect(data.metrics).toMatchObject({ companies: 12, crawl_success_rate: 0.8, tavily_fallback_rate: 0.2, email_rate: 0.75, token_spend: 12 * 900 });
    expect(data.vendors.map((v) => v.vendor)).toEqual(["llm", "zerobounce"]);
    expect(data.qa.map((q) => q.uen)).toEqual(latest.highUens);
    expect(data.qa[0]).toMatchObject({ name: "CODIGO PTE. LTD.", bucket: "High", check: null });
    expect(data.alerts.map((a) => a.id)).toEqual([alertId]);
    expect(data.events).toHaveLength(40);
    expect(data.lastEventId).toBe(data.events.at(-1)!.id);
    expect(data.events.at(-1)!.message).toBe("kept jane.tan@codigo.sg from the contact page");
  });

  it("masks addresses in event messages for viewers", async () => {
    type RunData = Awaited<ReturnType<typeof app.run.loader>>;
    const data = await json<RunData>(await runOf("acme-viewer", latest.runId));
    expect(data.events.at(-1)!.message).toBe("kept j***@codigo.sg from the contact page");
    expect(data.canOperate).toBe(false);
  });

  it("answers 404 for another tenant's run and for a malformed id", async () => {
    expect((await runOf("globex-ops", latest.runId)).status).toBe(404);
    expect((await runOf("acme-ops", "not-a-uuid")).status).toBe(404);
  });

  describe("QA checks", () => {
    it("records an operator's verdict and notes, audited, and replaces it on a second check", async () => {
      const uen = latest.highUens[0]!;
      const first = await json<{ ok: boolean; message: string }>(
        await postRun("acme-ops", latest.runId, { intent: "qa-check", uen, verdict: "problem", notes: "domain belongs to a namesake" }),
      );
      expect(first.ok).toBe(true);
      await json(await postRun("acme-admin", latest.runId, { intent: "qa-check", uen: uen.toLowerCase(), verdict: "ok", notes: "" }));
      const checks = await app.db.$withTenant(acme.id, (tx) => tx.runQaCheck.findMany({ where: { runId: latest.runId } }));
      expect(checks).toEqual([expect.objectContaining({ uen, verdict: "ok", notes: null, checkedByEmail: users["acme-admin"]!.email })]);
      const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, action: "run.qa_checked" }, orderBy: { id: "asc" } });
      expect(audit.map((a) => [a.actorEmail, (a.details as { verdict: string }).verdict])).toEqual([
        [users["acme-ops"]!.email, "problem"],
        [users["acme-admin"]!.email, "ok"],
      ]);
      type RunData = Awaited<ReturnType<typeof app.run.loader>>;
      const page = await json<RunData>(await runOf("acme-viewer", latest.runId));
      expect(page.qa[0]!.check).toMatchObject({ verdict: "ok" });
    });

    it("refuses a UEN outside the sample and a missing verdict, keeping the input", async () => {
      const outside = await json<{ ok: boolean; message: string }>(
        await postRun("acme-ops", latest.runId, { intent: "qa-check", uen: latest.uens[1]!, verdict: "ok" }),
      );
      expect(outside).toMatchObject({ ok: false, message: expect.stringContaining("not in this run's QA sample") });
      const noVerdict = await json<{ ok: boolean; submission: { error: Record<string, string[]>; initialValue: Record<string, string> } }>(
        await postRun("acme-ops", latest.runId, { intent: "qa-check", uen: latest.highUens[1]!, notes: "looks right" }),
      );
      expect(noVerdict.submission.error.verdict).toEqual(["Choose OK or Problem"]);
      expect(noVerdict.submission.initialValue.notes).toBe("looks right");
      const nul = await json<{ ok: boolean; submission: { error: Record<string, string[]> } }>(
        await postRun("acme-ops", latest.runId, { intent: "qa-check", uen: latest.highUens[1]!, verdict: "ok", notes: "fine\u0000" }),
      );
      expect(nul).toMatchObject({ ok: false, submission: { error: { notes: [expect.stringMatching(/NUL/)] } } });
      const checks = await app.db.$withTenant(acme.id, (tx) =>
        tx.runQaCheck.count({ where: { runId: latest.runId, uen: { in: [latest.uens[1]!, latest.highUens[1]!] } } }),
      );
      expect(checks).toBe(0);
    });

    it("refuses a viewer's forged check with 403 and stores nothing", async () => {
      const response = await postRun("acme-viewer", latest.runId, { intent: "qa-check", uen: latest.highUens[2]!, verdict: "problem" });
      expect(response.status).toBe(403);
      const stored = await app.db.$withTenant(acme.id, (tx) => tx.runQaCheck.count({ where: { runId: latest.runId, uen: latest.highUens[2]! } }));
      expect(stored).toBe(0);
    });
  });

  describe("alerts", () => {
    it("refuses a viewer's forged resolve with 403 and leaves the alert open", async () => {
      const response = await postDashboard("acme-viewer", { intent: "resolve-alert", alertId });
      expect(response.status).toBe(403);
      const alert = await app.db.$withTenant(acme.id, (tx) => tx.alert.findFirstOrThrow({ where: { id: alertId } }));
      expect(alert.resolvedAt).toBeNull();
    });

    it("lets another tenant's operator resolve nothing here", async () => {
      const result = await json<{ ok: boolean }>(await postDashboard("globex-ops", { intent: "resolve-alert", alertId }));
      expect(result.ok).toBe(false);
      const alert = await app.db.$withTenant(acme.id, (tx) => tx.alert.findFirstOrThrow({ where: { id: alertId } }));
      expect(alert.resolvedAt).toBeNull();
    });

    it("resolves an alert for ops, audited, and it leaves the dashboard", async () => {
      const result = await json<{ ok: boolean; message: string }>(await postDashboard("acme-ops", { intent: "resolve-alert", alertId }));
      expect(result).toEqual({ ok: true, message: "Alert resolved." });
      expect((await json<DashboardData>(await dashboardOf("acme-ops"))).alerts).toEqual([]);
      const audit = await app.platformDb.auditLog.findFirst({ where: { tenantId: acme.id, action: "alert.resolved" } });
      expect(audit).toMatchObject({ target: `alert:${alertId}`, actorEmail: users["acme-ops"]!.email });
      expect((await json<{ ok: boolean }>(await postDashboard("acme-ops", { intent: "resolve-alert", alertId }))).ok).toBe(false);
    });
  });
});

describe("Run now", () => {
  const runCount = () => app.db.$withTenant(globex.id, (tx) => tx.run.count());

  it("refuses a viewer's forged POST with 403 and starts nothing", async () => {
    const viewer = await memberCookie("globex-viewer", ["viewer"], globex.id);
    const before = await runCount();
    const response = await invoke(app.dashboard.action, appRequest("/app", { cookie: viewer.cookie, form: { intent: "run-now" } }));
    expect(response.status).toBe(403);
    expect(await runCount()).toBe(before);
  });

  it("starts a manual run for ops and sends them to its page", async () => {
    const response = await postDashboard("globex-ops", { intent: "run-now" });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/app\/runs\/[0-9a-f-]{36}$/);
    const runId = location.split("/").at(-1)!;
    const run = await app.db.$withTenant(globex.id, (tx) => tx.run.findFirstOrThrow({ where: { id: runId } }));
    expect(run).toMatchObject({ kind: "manual", status: "queued", startedByEmail: users["globex-ops"]!.email });
    const dashboard = await json<DashboardData>(await dashboardOf("globex-ops"));
    expect(dashboard.activeRunId).toBe(runId);
    expect(dashboard.latest).toMatchObject({ id: runId, status: "queued" });

    type RunData = Awaited<ReturnType<typeof app.run.loader>>;
    const page = await json<RunData>(await runOf("globex-ops", runId));
    expect(page.run.status).toBe("queued");
    expect(page.events.map((e) => e.event)).toEqual(["queued"]);
    expect(page.qa).toEqual([]);
  });

  it("explains that a run is already active, with a link to it, instead of starting a second", async () => {
    const active = (await json<DashboardData>(await dashboardOf("globex-ops"))).activeRunId;
    const before = await runCount();
    const result = await json<{ ok: boolean; message: string; activeRunId: string }>(await postDashboard("globex-ops", { intent: "run-now" }));
    expect(result).toEqual({ ok: false, message: expect.stringContaining("already in progress"), activeRunId: active });
    expect(await runCount()).toBe(before);
  });
});
