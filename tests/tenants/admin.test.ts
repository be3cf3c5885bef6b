import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { OdooClient } from "~/odoo/client.server";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, ODOO_SETTINGS, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The control plane at /admin: platform roles only, the tenants list (search,
 * status filter, 20 per page), and the tenant detail's actions with their
 * role checks and audit entries.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
const cookies: Record<string, string> = {};

async function loadApp() {
  const [db, identity, provisioning, operations, connection, adminLayout, adminIndex, tenantsList, detail, appLayout, status, billing, tenantApi, rotateApi] =
    await Promise.all([
      import("~/db.server"),
      import("~/auth/identity.server"),
      import("~/tenants/provisioning.server"),
      import("~/tenants/operations.server"),
      import("~/odoo/connection.server"),
      import("~/routes/admin+/_layout"),
      import("~/routes/admin+/_index"),
      import("~/routes/admin+/tenants._index"),
      import("~/routes/admin+/tenants.$id"),
      import("~/routes/app+/_layout"),
      import("~/routes/api+/onboarding.status"),
      import("~/routes/admin+/billing"),
      import("~/routes/api+/tenants.$id"),
      import("~/routes/api+/tenants.$id.odoo.api-key.rotate"),
    ]);
  return {
    platformDb: db.platformDb,
    resolveIdentity: identity.resolveIdentity,
    runProvisioning: provisioning.runProvisioning,
    runOperation: operations.runOperation,
    openOdooSecret: connection.openOdooSecret,
    adminLayout: adminLayout.loader,
    adminIndex: adminIndex.loader,
    tenantsList: tenantsList.loader,
    detail: detail.loader,
    detailAction: detail.action,
    appLayout: appLayout.loader,
    onboardingStatus: status.loader,
    billing: billing.loader,
    tenantApi: tenantApi.loader,
    rotateApi: rotateApi.action,
  };
}

const SEEDED = 45;

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  const resolved = await app.resolveIdentity({ sub: "acme-admin-sub", email: "admin@acme.test", email_verified: true, tenant_id: "acme", roles: ["admin"] });
  acme = resolved.tenant!;
  await app.runProvisioning(acme.id, { sub: "acme-admin-sub", email: "admin@acme.test" });
  acme = await app.platformDb.tenant.findUniqueOrThrow({ where: { id: acme.id } });
  // Tenants 01..45, oldest first; every 5th paused, every 7th (not 35) in error.
  const base = Date.now() - 60 * 60 * 1000;
  await app.platformDb.tenant.createMany({
    data: Array.from({ length: SEEDED }, (_, i) => {
      const n = String(i + 1).padStart(2, "0");
      const status = (i + 1) % 5 === 0 ? "paused" : (i + 1) % 7 === 0 ? "error" : "active";
      // Every 3rd in Singapore, the rest in Frankfurt; the first ten in the TBWA group.
      const region = (i + 1) % 3 === 0 ? "sgp1" : "fra1";
      return { slug: `tenant-${n}`, name: `Tenant ${n}`, status, region, agencyGroup: i < 10 ? "TBWA" : null, createdAt: new Date(base + i * 1000) };
    }),
  });
  for (const [key, roles, tenantId] of [
    ["owner", ["platform_owner"], null],
    ["operator", ["platform_operator"], null],
    ["finance", ["finance_owner"], null],
    ["acme-ops", ["ops"], acme.id],
    ["acme-admin", ["admin"], acme.id],
  ] as const) {
    cookies[key] = (await memberCookie(key, [...roles], tenantId)).cookie;
  }
});

afterEach(() => {
  standIns.odoo.faults.clear();
});

afterAll(async () => {
  await standIns?.stop();
});

type ListData = {
  total: number;
  pages: number;
  page: number;
  filtered: boolean;
  tenants: Array<{ slug: string; status: string; odooConnection: { mode: string } | null; onboardingStatus: { status: string; phase: string } | null }>;
};

async function list(query: string, who = "owner") {
  const response = await invoke(app.tenantsList, appRequest(`/admin/tenants${query}`, { cookie: cookies[who] }));
  return { status: response.status, data: (response.status === 200 ? await response.json() : null) as ListData };
}

async function act(tenantId: string, intent: string, who = "owner") {
  const response = await invoke(app.detailAction, appRequest(`/admin/tenants/${tenantId}`, { method: "POST", cookie: cookies[who], form: { intent } }), {
    id: tenantId,
  });
  return {
    status: response.status,
    body: response.status === 200 ? ((await response.json()) as { ok: boolean; intent: string | null; message: string; operationId?: string }) : null,
  };
}

/** Asks for a lifecycle operation from the page and runs its job here (no worker in this file). */
async function operate(tenantId: string, intent: "pause" | "resume", who = "owner") {
  const result = await act(tenantId, intent, who);
  if (result.body?.operationId) await app.runOperation(result.body.operationId);
  return result;
}

const statusOf = async (id: string) => (await app.platformDb.tenant.findUniqueOrThrow({ where: { id } })).status;

describe("who may enter /admin", () => {
  it.each([["acme-ops"], ["acme-admin"]])("refuses the tenant user %s with 403 on every admin loader and action", async (who) => {
    const cookie = cookies[who];
    for (const [fn, path, params] of [
      [app.adminLayout, "/admin", {}],
      [app.adminIndex, "/admin", {}],
      [app.detail, `/admin/tenants/${acme.id}`, { id: acme.id }],
    ] as const) {
      expect((await invoke(fn, appRequest(path, { cookie }), params)).status, path).toBe(403);
    }
    expect((await act(acme.id, "pause", who)).status).toBe(403);
    expect(await statusOf(acme.id)).toBe("active");
  });

  it("sends an anonymous visitor to sign-in", async () => {
    const response = await invoke(app.adminLayout, appRequest("/admin?status=paused"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/auth/login?returnTo=${encodeURIComponent("/admin?status=paused")}`);
  });

  it.each([["owner"], ["operator"], ["finance"]])("lets the platform role %s in", async (who) => {
    expect((await invoke(app.adminLayout, appRequest("/admin", { cookie: cookies[who] }))).status).toBe(200);
  });
});

describe("the control plane by role", () => {
  // 200 allowed, 403 refused, 302 sent elsewhere (finance's /admin goes to billing).
  const pages = () =>
    [
      ["GET /admin (layout)", app.adminLayout, "/admin", {}],
      ["GET /admin", app.adminIndex, "/admin", {}],
      ["GET /admin/tenants/:id", app.detail, `/admin/tenants/${acme.id}`, { id: acme.id }],
      ["GET /admin/billing", app.billing, "/admin/billing", {}],
      ["GET /api/tenants/:id", app.tenantApi, `/api/tenants/${acme.id}`, { id: acme.id }],
    ] as const;
  const expected: Record<string, number[]> = {
    owner: [200, 200, 200, 200, 200],
    operator: [200, 200, 200, 403, 200],
    finance: [200, 302, 403, 200, 403],
    "acme-admin": [403, 403, 403, 403, 200],
    "acme-ops": [403, 403, 403, 403, 200],
  };

  it.each(Object.keys(expected))("answers %s on every admin page and API as the roles matrix says", async (who) => {
    const statuses: number[] = [];
    for (const [, fn, path, params] of pages()) statuses.push((await invoke(fn, appRequest(path, { cookie: cookies[who] }), params)).status);
    expect(Object.fromEntries(pages().map(([name], i) => [name, statuses[i]]))).toEqual(
      Object.fromEntries(pages().map(([name], i) => [name, expected[who]![i]])),
    );
  });

  it("shows finance and the owners the tenants' plans, and nothing of their Odoo or audit trail", async () => {
    await app.platformDb.tenant.update({ where: { id: acme.id }, data: { plan: "growth" } });
    try {
      for (const who of ["finance", "owner"]) {
        const response = await invoke(app.billing, appRequest("/admin/billing", { cookie: cookies[who] }));
        const text = await response.text();
        const { tenants: data } = JSON.parse(text) as {
          tenants: { total: number; tenants: Array<Record<string, unknown>>; plans: Array<{ plan: string; tenants: number }> };
        };
        expect(data.total).toBe(SEEDED + 1);
        expect(data.plans).toEqual([
          { plan: "growth", tenants: 1 },
          { plan: "trial", tenants: SEEDED },
        ]);
        expect(data.tenants[0]).toEqual({ id: acme.id, slug: "acme", name: acme.name, status: "active", plan: "growth", createdAt: expect.any(String) });
        expect(text).not.toMatch(/odoo|login|audit|baseUrl/i);
      }
    } finally {
      await app.platformDb.tenant.update({ where: { id: acme.id }, data: { plan: "trial" } });
    }
  });

  it("refuses finance and operators the Odoo credential rotation API, and finance every tenant action", async () => {
    const before = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    for (const who of ["finance", "operator"]) {
      const response = await invoke(app.rotateApi, appRequest(`/api/tenants/${acme.id}/odoo/api-key/rotate`, { method: "POST", cookie: cookies[who] }), {
        id: acme.id,
      });
      expect(response.status, who).toBe(403);
    }
    for (const intent of ["verify", "rotate", "retry", "pause", "resume"]) expect((await act(acme.id, intent, "finance")).status, intent).toBe(403);
    // A platform owner naming no tenant at all gets 404, not Odoo's 502.
    const nobody = await invoke(app.rotateApi, appRequest("/api/tenants/not-a-uuid/odoo/api-key/rotate", { method: "POST", cookie: cookies.owner }), {
      id: "not-a-uuid",
    });
    expect(nobody.status).toBe(404);
    const after = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    expect(app.openOdooSecret(after)).toBe(app.openOdooSecret(before));
  });
});

describe("the tenants list", () => {
  it("shows 20 per page, newest first, with status, phase and Odoo mode", async () => {
    const total = await app.platformDb.tenant.count();
    expect(total).toBe(SEEDED + 1);
    const first = await list("");
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ total, pages: 3, page: 1, filtered: false });
    expect(first.data.tenants).toHaveLength(20);
    expect(first.data.tenants[0]).toMatchObject({
      slug: "acme",
      status: "active",
      odooConnection: { mode: "company_per_tenant" },
      onboardingStatus: { status: "ready", phase: "ready" },
    });
    expect(first.data.tenants[1]).toMatchObject({ slug: "tenant-45", odooConnection: null, onboardingStatus: null });

    const pages = [first.data, (await list("?page=2")).data, (await list("?page=3")).data];
    expect(pages.map((p) => p.tenants.length)).toEqual([20, 20, 6]);
    const slugs = pages.flatMap((p) => p.tenants.map((t) => t.slug));
    expect(new Set(slugs).size).toBe(total);
    expect(slugs.at(-1)).toBe("tenant-01");
  });

  it("searches names case-insensitively and slugs", async () => {
    const byName = await list("?q=TENANT%201");
    expect(byName.data).toMatchObject({ total: 10, filtered: true });
    expect(byName.data.tenants.map((t) => t.slug)).toEqual(Array.from({ length: 10 }, (_, i) => `tenant-${19 - i}`));
    expect((await list("?q=acme")).data.tenants.map((t) => t.slug)).toEqual(["acme"]);
  });

  it("filters by status and combines the filter with the search", async () => {
    const paused = await list("?status=paused");
    expect(paused.data.tenants.map((t) => t.slug)).toEqual([
      "tenant-45",
      "tenant-40",
      "tenant-35",
      "tenant-30",
      "tenant-25",
      "tenant-20",
      "tenant-15",
      "tenant-10",
      "tenant-05",
    ]);
    expect(paused.data.tenants.every((t) => t.status === "paused")).toBe(true);
    const errors = await list("?status=error&q=tenant-2");
    expect(errors.data.tenants.map((t) => t.slug)).toEqual(["tenant-28", "tenant-21"]);
  });

  it("filters by region and agency group, and sorts by a column either way", async () => {
    const singapore = await list("?region=sgp1&group=TBWA");
    expect(singapore.data.tenants.map((t) => t.slug)).toEqual(["tenant-09", "tenant-06", "tenant-03"]);
    expect(singapore.data.filtered).toBe(true);
    expect((await list("?region=sgp1")).data.total).toBe(15);
    expect((await list("?sort=name&q=tenant-0")).data.tenants.map((t) => t.slug)).toEqual(Array.from({ length: 9 }, (_, i) => `tenant-0${i + 1}`));
    expect((await list("?sort=-name&q=tenant-0")).data.tenants[0]!.slug).toBe("tenant-09");
    const choices = (await list("")).data as unknown as { choices: { regions: string[]; agencyGroups: string[]; plans: string[] } };
    expect(choices.choices).toEqual({ plans: ["trial"], regions: ["fra1", "sgp1"], agencyGroups: ["TBWA"] });
  });

  it("is empty, and says it is filtered, when nothing matches; ignores an unknown status", async () => {
    expect((await list("?q=no-such-tenant")).data).toMatchObject({ total: 0, pages: 1, tenants: [], filtered: true });
    expect((await list("?status=bogus")).data.total).toBe(SEEDED + 1);
  });

  it("sends a page past the end to the last page, keeping the filters", async () => {
    const response = await invoke(app.tenantsList, appRequest("/admin/tenants?status=paused&page=7", { cookie: cookies.owner }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/tenants?status=paused");
  });

  it("is not finance_owner's: the list is refused and the overview sends it to billing instead", async () => {
    expect((await invoke(app.tenantsList, appRequest("/admin/tenants", { cookie: cookies.finance }))).status).toBe(403);
    const response = await invoke(app.adminIndex, appRequest("/admin", { cookie: cookies.finance }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/billing");
  });
});

describe("the platform overview", () => {
  it("counts tenants by status, lists their health worst first, and opens an operation in the drawer", async () => {
    const { requestOperation, runOperation } = await import("~/tenants/operations.server");
    const erring = await app.platformDb.tenant.findFirstOrThrow({ where: { slug: "tenant-07" } });
    const pause = await requestOperation(acme.id, { type: "pause", source: "ui", actor: { sub: "owner-sub", email: "owner@example.test" } });
    if (!pause.ok) throw new Error(pause.reason);
    await runOperation(pause.operationId);
    const resume = await requestOperation(acme.id, { type: "resume", source: "api", actor: { sub: "owner-sub", email: "owner@example.test" } });
    if (!resume.ok) throw new Error(resume.reason);
    await runOperation(resume.operationId);

    const response = await invoke(app.adminIndex, appRequest(`/admin?operation=${pause.operationId}`, { cookie: cookies.operator }));
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      counts: Record<string, number>;
      health: Array<{ slug: string; status: string; severity: string; odooReachable: boolean | null; provisioning: string | null }>;
      operations: Array<{ id: string; type: string; status: string; triggerSource: string }>;
      jobs: { queue: Record<string, number>; workers: unknown[] };
      openOperation: { id: string; stepsDone: string[]; logs: unknown[] };
    };
    expect(data.counts).toEqual({ total: SEEDED + 1, active: 32, paused: 9, error: 5, provisioning: 0, decommissioning: 0, decommissioned: 0 });
    expect(data.health).toHaveLength(20);
    expect(data.health[0]).toMatchObject({ status: "error", severity: "critical" });
    expect(data.health.filter((t) => t.status === "error").map((t) => t.slug)).toContain(erring.slug);
    const acmeHealth = await tenantHealthOf("acme");
    expect(acmeHealth).toMatchObject({ status: "active", odooReachable: true, provisioning: "ready · ready", severity: "ok" });
    expect(data.operations.slice(0, 2).map((op) => [op.type, op.status, op.triggerSource])).toEqual([
      ["resume", "succeeded", "api"],
      ["pause", "succeeded", "ui"],
    ]);
    expect(data.openOperation).toMatchObject({ id: pause.operationId, stepsDone: ["close_workspace"] });
    expect(data.jobs.queue).toEqual({ ready: expect.any(Number), scheduled: expect.any(Number), running: 0, failed: expect.any(Number) });
  });
});

async function tenantHealthOf(slug: string) {
  const { tenantHealth } = await import("~/tenants/platform-overview.server");
  return (await tenantHealth(100)).find((t) => t.slug === slug);
}

describe("the tenant detail", () => {
  it("shows the provisioning timeline, the connection without secrets, and the audit trail", async () => {
    const response = await invoke(app.detail, appRequest(`/admin/tenants/${acme.id}?tab=logs`, { cookie: cookies.operator }), { id: acme.id });
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as {
      tenant: { slug: string; onboardingStatus: { status: string; timings: Record<string, { ms: number }> }; odooConnection: Record<string, unknown> };
      logs: { audit: Array<{ action: string }> };
      phases: string[];
    };
    expect(data.tenant.slug).toBe("acme");
    expect(data.tenant.onboardingStatus.status).toBe("ready");
    expect(Object.keys(data.tenant.onboardingStatus.timings).sort()).toEqual(["configuring_oidc", "creating_odoo", "ready", "seeding", "starting"]);
    expect(data.phases).toEqual(["starting", "creating_odoo", "configuring_oidc", "seeding", "ready"]);
    expect(Object.keys(data.tenant.odooConnection).sort()).toEqual(["baseUrl", "companyId", "database", "lastVerifiedAt", "login", "mode", "updatedAt"]);
    const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    expect(text).not.toContain(app.openOdooSecret(connection));
    expect(data.logs.audit.map((a) => a.action)).toEqual(expect.arrayContaining(["tenant.created", "tenant.provisioned"]));
  });

  it("is 404 for an unknown or malformed id", async () => {
    for (const id of [randomUUID(), "not-a-uuid"]) {
      const response = await invoke(app.detail, appRequest(`/admin/tenants/${id}`, { cookie: cookies.owner }), { id });
      expect(response.status, id).toBe(404);
      for (const intent of ["pause", "verify", "retry"]) expect((await act(id, intent)).status, `${intent} ${id}`).toBe(404);
    }
  });

  it("serves its logs at GET /api/tenants/:id/logs by date range, capped, with 400 for a malformed range", async () => {
    const { loader: logsApi } = await import("~/routes/api+/tenants.$id.logs");
    const { LOG_EVENTS_CAP } = await import("~/tenants/admin.server");
    const get = async (query: string, id = acme.id) => {
      const response = await invoke(logsApi, appRequest(`/api/tenants/${id}/logs${query}`, { cookie: cookies.operator }), { id });
      return { status: response.status, body: (await response.json()) as { capped: boolean; audit: Array<{ id: string; action: string }>; message?: string } };
    };
    // One entry more than the cap on a past day, and one on the next day, outside a one-day range.
    const day = (date: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ tenantId: acme.id, action: "logs.probe", target: `${date}#${i}`, createdAt: new Date(`${date}T12:00:00Z`) }));
    await app.platformDb.auditLog.createMany({ data: [...day("2026-01-15", LOG_EVENTS_CAP + 1), ...day("2026-01-16", 1)] });
    const capped = await get("?from=2026-01-15&to=2026-01-15");
    expect(capped.status).toBe(200);
    expect(capped.body.capped).toBe(true);
    expect(capped.body.audit).toHaveLength(LOG_EVENTS_CAP);
    expect(capped.body.audit.every((entry) => entry.action === "logs.probe" && /^\d+$/.test(entry.id))).toBe(true);
    const next = await get("?from=2026-01-16&to=2026-01-16");
    expect(next.body).toMatchObject({ capped: false, audit: [{ action: "logs.probe" }] });
    expect((await get("")).body.audit.map((a) => a.action)).not.toContain("logs.probe");
    const malformed = await get("?from=2026-13-45");
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain("from");
    expect((await get("", randomUUID())).status).toBe(404);
  });

  it("answers an unknown intent without doing anything", async () => {
    expect((await act(acme.id, "explode")).body).toEqual({ ok: false, intent: null, message: "Unknown action" });
  });
});

describe("tenant actions", () => {
  it("lets finance_owner neither look nor pause, resume, verify, rotate or retry (403)", async () => {
    expect((await invoke(app.detail, appRequest(`/admin/tenants/${acme.id}`, { cookie: cookies.finance }), { id: acme.id })).status).toBe(403);
    const before = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    const auditBefore = await app.platformDb.auditLog.count({ where: { tenantId: acme.id } });
    for (const intent of ["pause", "resume", "verify", "rotate", "retry"]) {
      expect((await act(acme.id, intent, "finance")).status, intent).toBe(403);
    }
    expect(await statusOf(acme.id)).toBe("active");
    const after = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    expect(app.openOdooSecret(after)).toBe(app.openOdooSecret(before));
    expect(await app.platformDb.auditLog.count({ where: { tenantId: acme.id } })).toBe(auditBefore);
  });

  it("lets a platform operator pause and resume but not rotate", async () => {
    expect((await act(acme.id, "rotate", "operator")).status).toBe(403);
    expect((await operate(acme.id, "pause", "operator")).body).toMatchObject({ ok: true, intent: "pause" });
    expect(await statusOf(acme.id)).toBe("paused");
    expect((await operate(acme.id, "resume", "operator")).body).toMatchObject({ ok: true, intent: "resume" });
    expect(await statusOf(acme.id)).toBe("active");
  });

  it("pauses a workspace: its users get 423 on pages and the API, and resuming lets them back in", async () => {
    const paused = await operate(acme.id, "pause");
    expect(paused.body).toEqual({ ok: true, intent: "pause", message: "Pause queued; follow it below.", operationId: expect.any(String) });
    expect(await statusOf(acme.id)).toBe("paused");
    const entry = await app.platformDb.auditLog.findFirstOrThrow({ where: { tenantId: acme.id, action: "tenant.paused" }, orderBy: { id: "desc" } });
    expect(entry).toMatchObject({ actorSub: "owner-sub", actorEmail: "owner@example.test" });

    const page = await invoke(app.appLayout, appRequest("/app", { cookie: cookies["acme-ops"] }));
    expect(page.status).toBe(423);
    expect(await page.text()).toMatch(/paused/);
    const api = await invoke(app.onboardingStatus, appRequest("/api/onboarding/status", { cookie: cookies["acme-ops"] }));
    expect(api.status).toBe(423);
    expect(await api.json()).toMatchObject({ error: "tenant_paused" });
    const token = await mintToken(standIns.idp, { sub: "acme-ops-sub", email: "acme-ops@example.test", tenant_id: "acme", roles: ["ops"] });
    const bearer = await invoke(app.onboardingStatus, appRequest("/api/onboarding/status", { token }));
    expect(bearer.status).toBe(423);

    const again = await act(acme.id, "pause");
    expect(again.body).toEqual({ ok: false, intent: "pause", message: "A pause needs a workspace that is active or error; this one is paused." });

    expect((await operate(acme.id, "resume")).body).toMatchObject({ ok: true, intent: "resume", message: "Resume queued; follow it below." });
    expect(await statusOf(acme.id)).toBe("active");
    expect(await app.platformDb.auditLog.count({ where: { tenantId: acme.id, action: "tenant.resumed" } })).toBeGreaterThanOrEqual(1);
    expect((await invoke(app.appLayout, appRequest("/app", { cookie: cookies["acme-ops"] }))).status).toBe(200);
    expect((await act(acme.id, "resume")).body).toMatchObject({
      ok: false,
      message: "A resume needs a workspace that is paused or error; this one is active.",
    });
  });

  it("verifies the Odoo connection now, and records the outcome", async () => {
    const before = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    const ok = await act(acme.id, "verify");
    expect(ok.body).toMatchObject({ ok: true, intent: "verify", message: expect.stringMatching(/^Odoo answered in \d+ ms \(17\.0\)\.$/) });
    const after = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    expect(after.lastVerifiedAt!.getTime()).toBeGreaterThan(before.lastVerifiedAt!.getTime());
    expect(await app.platformDb.auditLog.findFirst({ where: { tenantId: acme.id, action: "odoo.verified" }, orderBy: { id: "desc" } })).toMatchObject({
      actorSub: "owner-sub",
      details: { ok: true, error: null },
    });

    standIns.odoo.faults.failNext({ service: "common", method: "authenticate", error: "AccessDenied" });
    const failed = await act(acme.id, "verify");
    const refused = "Odoo refused the workspace's service credential; a workspace admin can rotate it.";
    expect(failed.body).toMatchObject({ ok: false, intent: "verify", message: `Odoo check failed: ${refused}` });
    const entry = await app.platformDb.auditLog.findFirst({ where: { tenantId: acme.id, action: "odoo.verified" }, orderBy: { id: "desc" } });
    expect(entry!.details).toMatchObject({ ok: false, error: refused });
  });

  it("rotates the service credential (owner only)", async () => {
    const before = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    expect((await act(acme.id, "rotate")).body).toMatchObject({ ok: true, intent: "rotate" });
    const after = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    const odoo = new OdooClient({ baseUrl: standIns.odoo.url, maxRetries: 0 });
    expect(await odoo.authenticate(ODOO_SETTINGS.database, after.login, app.openOdooSecret(before))).toBe(false);
    expect(await odoo.authenticate(ODOO_SETTINGS.database, after.login, app.openOdooSecret(after))).toBe(after.userId);
  });

  it("requeues a failed provisioning on retry", async () => {
    const { tenant } = await app.resolveIdentity({ sub: "failing-sub", email: "founder@failing.test", email_verified: true, roles: [] });
    standIns.odoo.faults.failNext({ service: "common", method: "authenticate", error: "AccessDenied" });
    await expect(app.runProvisioning(tenant!.id, { sub: "failing-sub" })).rejects.toThrow();
    expect(await statusOf(tenant!.id)).toBe("error");
    // The first-login job is still pending (no worker in this file); the retry replaces it.
    const retried = await act(tenant!.id, "retry", "operator");
    expect(retried.body).toMatchObject({ ok: true, intent: "retry" });
    expect(await statusOf(tenant!.id)).toBe("provisioning");
    expect(await app.platformDb.onboardingStatus.findUniqueOrThrow({ where: { tenantId: tenant!.id } })).toMatchObject({
      status: "provisioning",
      phase: "creating_odoo",
      error: null,
    });
    const jobs = await app.platformDb.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${`provision:${tenant!.id}`}`;
    expect(Number(jobs[0]!.n)).toBe(1);
    expect(await app.platformDb.auditLog.findFirst({ where: { tenantId: tenant!.id, action: "tenant.provisioning_retried" } })).toMatchObject({
      actorSub: "operator-sub",
    });
  });
});
