import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie, readyTenant } from "../support/workspace-users";

/**
 * The tenant portal (/app/portal) against real Postgres and the Odoo
 * simulator: only a workspace's admins get in; support requests stay in
 * their tenant (RLS) and only operators move them on; the SSO tab changes
 * the member settings a tenant admin may change and never shows, takes or
 * changes the client secret or the issuer; Modules reads the workspace's Odoo.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let tenantA: string;
let tenantB: string;
const cookies: Record<string, string> = {};
const SECRET = "portal-client-secret-never-shown";
const ISSUER = "https://idp.alpha.test/realms/alpha";

async function loadApp() {
  const [db, identity, provisioning, providers, portal, overview, modules, sso, support, adminSupport, tenantDetail, secretBox, keys] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/auth/tenant-sso/providers.server"),
    import("~/routes/app+/portal"),
    import("~/routes/app+/portal._index"),
    import("~/routes/app+/portal.modules"),
    import("~/routes/app+/portal.sso"),
    import("~/routes/app+/portal.support"),
    import("~/routes/admin+/support-requests"),
    import("~/routes/admin+/tenants.$id"),
    import("~/crypto/secret-box.server"),
    import("~/crypto/keys.server"),
  ]);
  return { ...db, ...identity, ...provisioning, ...providers, portal, overview, modules, sso, support, adminSupport, tenantDetail, ...secretBox, ...keys };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  // Alpha is provisioned on the simulated Odoo (its first sign-in creates the workspace), Beta has no Odoo yet.
  const { tenant } = await app.resolveIdentity({
    sub: "alpha-admin-sub",
    email: "admin@alpha.test",
    email_verified: true,
    tenant_id: "alpha",
    roles: ["admin"],
  });
  await app.runProvisioning(tenant!.id, { sub: "alpha-admin-sub", email: "admin@alpha.test" });
  tenantA = tenant!.id;
  tenantB = (await readyTenant("beta", "Beta")).id;
  cookies.alphaAdmin = (await memberCookie("alpha-admin", ["admin"], tenantA, "admin@alpha.test")).cookie;
  cookies.alphaOps = (await memberCookie("alpha-ops", ["ops"], tenantA)).cookie;
  cookies.alphaViewer = (await memberCookie("alpha-viewer", ["viewer"], tenantA)).cookie;
  cookies.betaAdmin = (await memberCookie("beta-admin", ["admin"], tenantB)).cookie;
  cookies.operator = (await memberCookie("operator", ["platform_operator"], null)).cookie;
  cookies.finance = (await memberCookie("finance", ["finance_owner"], null)).cookie;
  await app.saveIdentityProvider(
    tenantA,
    {
      kind: "oidc",
      issuer: ISSUER,
      loginHost: undefined,
      directoryId: undefined,
      clientId: "alpha-portal",
      clientSecret: SECRET,
      emailDomains: ["alpha.test", "alpha-group.test"],
      rolesClaim: "roles",
      roleMapping: { "Sales.Admin": "admin", "Sales.Ops": "ops" },
      enabled: false,
    },
    { sub: "owner-sub", email: "owner@example.test" },
  );
}, 60_000);

afterAll(async () => {
  await standIns?.stop();
});

type RouteModule = { loader?: unknown; action?: unknown };

function get(route: RouteModule, path: string, cookie: string, params: Record<string, string> = {}) {
  return invoke(route.loader as never, appRequest(path, { cookie }), params);
}

function post(route: RouteModule, path: string, cookie: string, form: Record<string, string>) {
  return invoke(route.action as never, appRequest(path, { cookie, form }));
}

const fileRequest = (cookie: string, subject: string) =>
  post(app.support, "/app/portal/support", cookie, { subject, category: "modules", severity: "high", body: "The CRM module is missing since this morning." });

describe("who reaches the tenant portal", () => {
  it("lets the workspace's admin in, and answers other members 403 on every page and action", async () => {
    const pages: Array<[RouteModule, string]> = [
      [app.portal, "/app/portal"],
      [app.overview, "/app/portal"],
      [app.modules, "/app/portal/modules"],
      [app.sso, "/app/portal/sso"],
      [app.support, "/app/portal/support"],
    ];
    for (const [route, path] of pages) {
      expect((await get(route, path, cookies.alphaAdmin!)).status, path).toBe(200);
      for (const member of ["alphaOps", "alphaViewer"]) expect((await get(route, path, cookies[member]!)).status, `${member} ${path}`).toBe(403);
    }
    for (const member of ["alphaOps", "alphaViewer"]) {
      expect((await fileRequest(cookies[member]!, "Not mine to file")).status).toBe(403);
      expect((await post(app.sso, "/app/portal/sso", cookies[member]!, { rolesClaim: "roles", roleMapping: "x = admin" })).status).toBe(403);
    }
    const { platformDb } = app;
    expect(await platformDb.supportRequest.count({ where: { subject: "Not mine to file" } })).toBe(0);
  });

  it("sends platform staff without a workspace to the control plane, not into a portal", async () => {
    for (const who of ["operator", "finance"]) {
      const response = await get(app.overview, "/app/portal", cookies[who]!);
      expect(response.status, who).toBe(302);
      expect(response.headers.get("location")).toBe("/admin");
    }
  });

  it("keeps the operators' support queue from tenant admins and finance", async () => {
    for (const who of ["alphaAdmin", "finance"]) {
      expect((await get(app.adminSupport, "/admin/support-requests", cookies[who]!)).status, who).toBe(403);
      const handled = await post(app.adminSupport, "/admin/support-requests", cookies[who]!, {
        requestId: "00000000-0000-4000-8000-000000000000",
        tenantId: tenantA,
        status: "resolved",
        reply: "Done",
      });
      expect(handled.status, who).toBe(403);
    }
  });
});

describe("the Overview", () => {
  it("shows the workspace, its plan by name, its seats and the platform's operations on it without their payloads", async () => {
    const body = (await (await get(app.overview, "/app/portal", cookies.alphaAdmin!)).json()) as {
      workspace: { slug: string; status: string };
      plan: { code: string; name: string; limits: Array<{ key: string; label: string; limit: number | null }> };
      seats: { inUse: number; admins: number };
      odoo: { url: string; mode: string } | null;
      operations: Array<Record<string, unknown>>;
    };
    const { platformDb } = app;
    const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: tenantA }, select: { plan: true } });
    const plan = await platformDb.plan.findUnique({ where: { code: tenant.plan } });
    expect(body.workspace).toMatchObject({ slug: "alpha", status: "active" });
    expect(body.plan).toMatchObject({ code: tenant.plan, name: plan?.name ?? tenant.plan, description: plan?.description ?? "" });
    // The plan's limits as the plans table holds them (null: unlimited).
    expect(body.plan.limits).toContainEqual({ key: "runsPerDay", label: "manual runs per day", limit: plan!.runsPerDay });
    expect(body.seats).toEqual({
      inUse: await platformDb.tenantUser.count({ where: { tenantId: tenantA } }),
      admins: await platformDb.tenantUser.count({ where: { tenantId: tenantA, roles: { has: "admin" } } }),
    });
    expect(body.seats.inUse).toBe(3);
    expect(body.odoo?.url).toBe(`${standIns.odoo.url}/web/login?db=platform`);
    await platformDb.tenantOperation.create({
      data: {
        tenantId: tenantA,
        type: "backup",
        status: "succeeded",
        triggerSource: "ui",
        payload: { backupId: "hidden-payload" },
        logs: [{ message: "hidden log" }],
      },
    });
    await platformDb.tenantOperation.create({ data: { tenantId: tenantB, type: "rebuild", triggerSource: "ui" } });
    const after = await (await get(app.overview, "/app/portal", cookies.alphaAdmin!)).text();
    expect(after).toContain('"type":"backup"');
    expect(after).not.toContain("rebuild");
    expect(after).not.toContain("hidden-payload");
    expect(after).not.toContain("hidden log");
  });
});

describe("support requests", () => {
  it("are filed by a tenant admin, validated, and seen only in their own tenant (RLS)", async () => {
    const refused = await post(app.support, "/app/portal/support", cookies.alphaAdmin!, { subject: "", category: "wat", severity: "normal", body: "short" });
    expect(refused.status).toBe(200);
    const errors = ((await refused.json()) as { submission: { error: Record<string, string[]> } }).submission.error;
    expect(Object.keys(errors).sort()).toEqual(["body", "category", "subject"]);

    const filed = await fileRequest(cookies.alphaAdmin!, "Alpha's modules");
    expect(filed.status).toBe(302);
    expect(filed.headers.get("location")).toBe("/app/portal/support?filed=1");
    await fileRequest(cookies.betaAdmin!, "Beta's modules");

    const alphaList = (await (await get(app.support, "/app/portal/support", cookies.alphaAdmin!)).json()) as { requests: Array<{ subject: string }> };
    expect(alphaList.requests.map((r) => r.subject)).toEqual(["Alpha's modules"]);
    const betaList = (await (await get(app.support, "/app/portal/support", cookies.betaAdmin!)).json()) as { requests: Array<{ subject: string }> };
    expect(betaList.requests.map((r) => r.subject)).toEqual(["Beta's modules"]);

    const { platformDb } = app;
    const audit = await platformDb.auditLog.findFirst({ where: { tenantId: tenantA, action: "support.request_filed" } });
    expect(audit).toMatchObject({ target: "Alpha's modules", actorEmail: "admin@alpha.test" });
  });

  it("cannot be read, written into another tenant, or changed by the application role", async () => {
    const appDb = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
    await appDb.connect();
    try {
      const asTenant = async (tenant: string, sql: string, params: unknown[] = []) => {
        await appDb.query("BEGIN");
        try {
          await appDb.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
          return await appDb.query(sql, params);
        } finally {
          await appDb.query("ROLLBACK");
        }
      };
      const seen = await asTenant(tenantA, "SELECT subject FROM support_requests");
      expect(seen.rows.map((r) => r.subject)).toEqual(["Alpha's modules"]);
      await expect(
        asTenant(
          tenantA,
          "INSERT INTO support_requests (tenant_id, subject, category, severity, body, requested_by_sub) VALUES ($1, 'x', 'other', 'low', 'planted', 's')",
          [tenantB],
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(asTenant(tenantA, "UPDATE support_requests SET status = 'resolved', reply = 'self-served', resolved_at = now()")).rejects.toThrow(
        /permission denied/,
      );
      await expect(asTenant(tenantA, "DELETE FROM support_requests")).rejects.toThrow(/permission denied/);
    } finally {
      await appDb.end();
    }
  });

  it("are moved on and answered by an operator, and the tenant admin reads the reply", async () => {
    const { platformDb } = app;
    const request = await platformDb.supportRequest.findFirstOrThrow({ where: { tenantId: tenantA } });
    const queue = (await (await get(app.adminSupport, "/admin/support-requests?status=open", cookies.operator!)).json()) as {
      requests: Array<{ subject: string; tenant: { slug: string } }>;
    };
    expect(queue.requests.map((r) => [r.tenant.slug, r.subject]).sort()).toEqual([
      ["alpha", "Alpha's modules"],
      ["beta", "Beta's modules"],
    ]);
    const betaOnly = (await (await get(app.adminSupport, `/admin/support-requests?tenant=${tenantB}`, cookies.operator!)).json()) as {
      requests: Array<{ subject: string }>;
      filter: { tenant: { name: string } | null };
    };
    expect(betaOnly).toMatchObject({ requests: [{ subject: "Beta's modules" }], filter: { tenant: { name: "Beta" } } });
    const handle = (form: Record<string, string>) =>
      post(app.adminSupport, "/admin/support-requests", cookies.operator!, { requestId: request.id, tenantId: tenantA, ...form });

    const noReply = (await (await handle({ status: "resolved" })).json()) as { ok: boolean; errors: Record<string, string[]> };
    expect(noReply).toMatchObject({ ok: false, errors: { reply: ["Write the reply the tenant reads"] } });
    // The right request id under another tenant's id finds nothing.
    const crossed = await post(app.adminSupport, "/admin/support-requests", cookies.operator!, {
      requestId: request.id,
      tenantId: tenantB,
      status: "in_progress",
    });
    expect(await crossed.json()).toMatchObject({ ok: false, message: "No such request" });

    expect(await (await handle({ status: "in_progress" })).json()).toMatchObject({ ok: true });
    const back = await handle({ status: "resolved", reply: "CRM reinstalled; sign out and in again.", back: "tenant" });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`/admin/tenants/${tenantA}`);
    expect(await (await handle({ status: "in_progress" })).json()).toMatchObject({ ok: false, message: expect.stringMatching(/resolved/) });

    const list = (await (await get(app.support, "/app/portal/support", cookies.alphaAdmin!)).json()) as {
      requests: Array<{ status: string; reply: string | null }>;
    };
    expect(list.requests).toEqual([expect.objectContaining({ status: "resolved", reply: "CRM reinstalled; sign out and in again." })]);
    const detail = await (await get(app.tenantDetail, `/admin/tenants/${tenantA}`, cookies.operator!, { id: tenantA })).text();
    expect(detail).toContain("CRM reinstalled");
    expect(detail).not.toContain("Beta's modules");
    const audit = await platformDb.auditLog.findMany({ where: { tenantId: tenantA, action: "support.request_handled" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => (a.details as { to: string }).to)).toEqual(["in_progress", "resolved"]);
  });
});

describe("the SSO tab", () => {
  const ssoPost = (form: Record<string, string>) => post(app.sso, "/app/portal/sso", cookies.alphaAdmin!, form);
  const stored = () => app.platformDb.tenantIdentityProvider.findUniqueOrThrow({ where: { tenantId: tenantA } });
  const openedSecret = async () => {
    const row = await stored();
    return app.open(app.secretRing(), { cipher: Buffer.from(row.clientSecretCipher), keyId: row.clientSecretKeyId }, app.identityProviderSecretContext(row.id));
  };

  it("shows the provider without its secret", async () => {
    const text = await (await get(app.sso, "/app/portal/sso", cookies.alphaAdmin!)).text();
    expect(text).toContain(ISSUER);
    expect(text).toContain("alpha-group.test");
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/cipher|keyId/i);
  });

  it("refuses bad input with the fields' reasons, echoing no secret", async () => {
    type Refusal = { ok: boolean; submission: { error: Record<string, string[]> } };
    const badDomain = await ssoPost({ emailDomains: "alpha.test, not-a-domain", rolesClaim: "roles", roleMapping: "Sales.Admin = boss", clientSecret: SECRET });
    const text = await badDomain.text();
    expect(badDomain.status).toBe(200);
    const body = JSON.parse(text) as Refusal;
    expect(body.ok).toBe(false);
    expect(body.submission.error).toEqual({ emailDomains: ["Not a domain: not-a-domain"], roleMapping: [expect.stringMatching(/^Write "value = admin/)] });
    expect(text).not.toContain(SECRET);
    const noAdmin = (await (await ssoPost({ emailDomains: "alpha.test", rolesClaim: "roles", roleMapping: "Sales.Ops = ops" })).json()) as Refusal;
    expect(noAdmin.submission.error).toEqual({ roleMapping: [expect.stringMatching(/at least one value mapped to admin/)] });
    expect((await stored()).roleMapping).toEqual({ "Sales.Admin": "admin", "Sales.Ops": "ops" });
  });

  it("refuses adding an email domain: routing a domain's sign-ins is the platform's to check", async () => {
    const body = (await (await ssoPost({ emailDomains: "alpha.test, gmail.com", rolesClaim: "roles", roleMapping: "Sales.Admin = admin" })).json()) as {
      ok: boolean;
      message: string;
    };
    expect(body).toMatchObject({ ok: false, message: expect.stringMatching(/Adding gmail\.com needs the platform/) });
    expect((await stored()).emailDomains).toEqual(["alpha.test", "alpha-group.test"]);
  });

  it("saves the member settings, ignores a posted issuer, client id or secret, and audits the change", async () => {
    const response = await ssoPost({
      emailDomains: "alpha.test",
      rolesClaim: "groups",
      roleMapping: "grp-admins = admin\ngrp-sales = ops",
      enabled: "on",
      issuer: "https://evil.test",
      clientId: "evil-client",
      clientSecret: "attacker-chosen-secret",
      kind: "entra",
    });
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ ok: true });
    expect(text).not.toContain("attacker-chosen-secret");
    expect(await stored()).toMatchObject({
      kind: "oidc",
      issuer: ISSUER,
      clientId: "alpha-portal",
      emailDomains: ["alpha.test"],
      rolesClaim: "groups",
      roleMapping: { "grp-admins": "admin", "grp-sales": "ops" },
      enabled: true,
    });
    expect(await openedSecret()).toBe(SECRET);
    const audit = await app.platformDb.auditLog.findFirstOrThrow({ where: { tenantId: tenantA, action: "sso.member_settings_updated" } });
    expect(audit.actorEmail).toBe("admin@alpha.test");
    expect(audit.details).toMatchObject({ before: { enabled: false, rolesClaim: "roles" }, after: { enabled: true, rolesClaim: "groups" } });
    expect(JSON.stringify(audit.details)).not.toContain(SECRET);
  });

  it("tells a workspace without its own provider how to get one, and saves nothing", async () => {
    const page = (await (await get(app.sso, "/app/portal/sso", cookies.betaAdmin!)).json()) as { provider: unknown };
    expect(page.provider).toBeNull();
    const body = (await (
      await post(app.sso, "/app/portal/sso", cookies.betaAdmin!, { emailDomains: "", rolesClaim: "roles", roleMapping: "a = admin" })
    ).json()) as { ok: boolean; message: string };
    expect(body).toMatchObject({ ok: false, message: expect.stringMatching(/platform owner sets up/) });
    expect(await app.platformDb.tenantIdentityProvider.count({ where: { tenantId: tenantB } })).toBe(0);
  });
});

describe("the Modules tab", () => {
  type ModulesPage = { installed: Array<{ name: string }> | null; odooError: string | null; bundle: unknown };

  it("lists the modules the workspace's Odoo has installed, as the simulator holds them", async () => {
    const page = (await (await get(app.modules, "/app/portal/modules", cookies.alphaAdmin!)).json()) as ModulesPage;
    const installed = standIns.odoo.state
      .database("platform")
      .records("ir.module.module")
      .filter((m) => m.state === "installed")
      .map((m) => String(m.name))
      .sort();
    expect(installed.length).toBeGreaterThan(2);
    expect(page.odooError).toBeNull();
    expect(page.installed!.map((m) => m.name).sort()).toEqual(installed);
  });

  it("says when the workspace has no Odoo yet", async () => {
    const page = (await (await get(app.modules, "/app/portal/modules", cookies.betaAdmin!)).json()) as ModulesPage;
    expect(page).toMatchObject({ installed: null, odooError: expect.stringMatching(/^the workspace has no Odoo yet\. Try again/) });
  });

  it("says Odoo did not answer, without the platform's hosts, when it is down", async () => {
    const offline = await standIns.odoo.faults.goOffline();
    try {
      const text = await (await get(app.modules, "/app/portal/modules", cookies.alphaAdmin!)).text();
      const page = JSON.parse(text) as ModulesPage;
      expect(page).toMatchObject({ installed: null, odooError: expect.stringMatching(/^it did not answer just now/) });
      expect(text).not.toContain(String(standIns.odoo.port));
    } finally {
      offline.comeBack();
    }
  });
});
