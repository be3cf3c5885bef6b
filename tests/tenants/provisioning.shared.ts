import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { OdooConnection } from "~/generated/prisma/client";
import type { FaultSpec } from "../sims/odoo";
import { ODOO_SETTINGS, startStandIns, type OdooMode, type StandIns } from "../support/platform";

/**
 * First-login provisioning (runProvisioning) against the Odoo simulator in
 * one Odoo mode: what it leaves in the platform's tables and in Odoo, a
 * failure injected in each phase, and a retry that resumes without
 * duplicates. One file per mode, since env() is parsed once per process.
 */
export function provisioningSuite(mode: OdooMode) {
  let standIns: StandIns;
  let app: Awaited<ReturnType<typeof loadApp>>;
  let discovery: { authorization_endpoint: string; userinfo_endpoint: string };

  async function loadApp() {
    const [db, identity, provisioning, connection, steps] = await Promise.all([
      import("~/db.server"),
      import("~/auth/identity.server"),
      import("~/tenants/provisioning.server"),
      import("~/odoo/connection.server"),
      import("~/odoo/provisioning.server"),
    ]);
    return {
      platformDb: db.platformDb,
      resolveIdentity: identity.resolveIdentity,
      runProvisioning: provisioning.runProvisioning,
      requestProvisioning: provisioning.requestProvisioning,
      provisioningStatus: provisioning.provisioningStatus,
      openOdooSecret: connection.openOdooSecret,
      INTEGRATION_USER_GROUPS: steps.INTEGRATION_USER_GROUPS,
      groupsForRoles: steps.groupsForRoles,
      REQUIRED_MODULES: steps.REQUIRED_MODULES,
    };
  }

  beforeAll(async () => {
    standIns = await startStandIns({ odooMode: mode });
    app = await loadApp();
    discovery = (await (await fetch(`${standIns.idp.issuer}/.well-known/openid-configuration`)).json()) as typeof discovery;
  });

  afterEach(() => {
    standIns.odoo.faults.clear();
  });

  afterAll(async () => {
    await standIns?.stop();
  });

  type Member = { sub: string; email: string; name: string; roles: string[] };

  /** A self-serve owner's workspace (as at first login) with an ops and a viewer member added from tokens naming it. */
  async function newWorkspace(label: string) {
    const tag = `${label}-${randomBytes(3).toString("hex")}`;
    const owner: Member = { sub: `owner-${tag}`, email: `Owner.${tag}@Example.test`, name: `Owner ${tag}`, roles: [] };
    const { tenant } = await app.resolveIdentity(owner);
    const ops: Member = { sub: `ops-${tag}`, email: `ops.${tag}@example.test`, name: `Ops ${tag}`, roles: ["ops"] };
    const viewer: Member = { sub: `viewer-${tag}`, email: `viewer.${tag}@example.test`, name: `Viewer ${tag}`, roles: ["viewer"] };
    await app.resolveIdentity({ ...ops, tenant_id: tenant!.slug });
    await app.resolveIdentity({ ...viewer, tenant_id: tenant!.slug });
    return {
      tenant: tenant!,
      actor: { sub: owner.sub, email: owner.email },
      members: [{ ...owner, roles: ["admin"] }, ops, viewer],
    };
  }
  type Workspace = Awaited<ReturnType<typeof newWorkspace>>;

  const odooDatabase = (connection: OdooConnection) => standIns.odoo.state.database(connection.database);

  async function connectionOf(tenantId: string) {
    return app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId } });
  }

  /** Everything a finished provisioning leaves behind, each exactly once. */
  async function expectProvisioned(workspace: Workspace) {
    const { tenant } = workspace;
    const status = (await app.provisioningStatus(tenant.id))!;
    expect(status).toMatchObject({ tenant_id: tenant.id, status: "ready", phase: "ready", error: null });
    for (const phase of ["starting", "creating_odoo", "configuring_oidc", "seeding"] as const) {
      const timing = status.timings[phase]!;
      expect(timing.ms, phase).toBeGreaterThanOrEqual(0);
      expect(Date.parse(timing.finishedAt!) - Date.parse(timing.startedAt)).toBe(timing.ms);
    }
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ status: "active" });
    expect(await app.platformDb.icpRule.count({ where: { tenantId: tenant.id } })).toBe(1);

    const connection = await connectionOf(tenant.id);
    const expectedDatabase = mode === "company_per_tenant" ? ODOO_SETTINGS.database : `nexius_${tenant.slug.replace(/-/g, "_")}`;
    const expectedLogin = mode === "company_per_tenant" ? `nexius-svc-${tenant.slug}` : "nexius-integration";
    expect(connection).toMatchObject({ mode, database: expectedDatabase, login: expectedLogin, baseUrl: standIns.odoo.url });
    expect(connection.companyId).toEqual(expect.any(Number));
    expect(connection.userId).toEqual(expect.any(Number));
    expect(connection.oauthProviderId).toEqual(expect.any(Number));
    expect(connection.lastVerifiedAt).toBeInstanceOf(Date);

    // Sealed at rest: neither secret appears in the row, in any encoding.
    const password = app.openOdooSecret(connection);
    const secrets = [password, ...(mode === "db_per_tenant" ? [app.openOdooSecret(connection, "admin")] : [])];
    const row = JSON.stringify(connection, (_k, v: unknown) =>
      v instanceof Uint8Array ? [Buffer.from(v).toString("latin1"), Buffer.from(v).toString("base64"), Buffer.from(v).toString("hex")] : v,
    );
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(24);
      expect(row).not.toContain(secret);
    }
    expect(connection.secretKeyId).toBe("test");

    const db = odooDatabase(connection);
    const named = (model: string, field: string, value: unknown) => db.records(model).filter((r) => r[field] === value);
    if (mode === "db_per_tenant") {
      expect(db.initialized).toBe(true);
      for (const module of app.REQUIRED_MODULES) expect(db.isInstalled(module), module).toBe(true);
      expect(db.records("res.company")).toEqual([expect.objectContaining({ id: connection.companyId, name: tenant.name })]);
      expect(db.authenticate(connection.adminLogin, secrets[1])).toBe(2);
    } else {
      expect(named("res.company", "name", tenant.name)).toEqual([expect.objectContaining({ id: connection.companyId })]);
      const companyPartner = db.get("res.partner", db.get("res.company", connection.companyId!)!.partner_id as number)!;
      expect(companyPartner.ref).toBe(tenant.slug);
      // The platform admin can work in the new company.
      expect(db.records("res.users").find((u) => u.login === ODOO_SETTINGS.adminLogin)!.company_ids).toContain(connection.companyId);
    }

    // The integration user: one company, exactly the integration groups, and the stored password works.
    const service = named("res.users", "login", connection.login);
    expect(service).toHaveLength(1);
    expect(service[0]).toMatchObject({ id: connection.userId, company_id: connection.companyId, company_ids: [connection.companyId] });
    for (const group of app.INTEGRATION_USER_GROUPS) expect(db.hasGroup(connection.userId!, group), group).toBe(true);
    for (const group of ["base.group_system", "base.group_erp_manager", "sales_team.group_sale_manager"]) {
      expect(db.hasGroup(connection.userId!, group), group).toBe(false);
    }
    expect(db.authenticate(connection.login, password)).toBe(connection.userId);

    // One SSO user per member, linked to the IdP subject, groups from the platform roles.
    for (const member of workspace.members) {
      const users = named("res.users", "login", member.email.toLowerCase());
      expect(users, member.email).toHaveLength(1);
      const user = users[0]!;
      expect(user).toMatchObject({ oauth_uid: member.sub, oauth_provider_id: connection.oauthProviderId, active: true });
      expect(user.company_ids).toContain(connection.companyId);
      for (const group of app.groupsForRoles(member.roles)) expect(db.hasGroup(user.id, group), `${member.roles} ${group}`).toBe(true);
      const manager = member.roles.includes("admin");
      expect(db.hasGroup(user.id, "sales_team.group_sale_manager")).toBe(manager);
      expect(db.hasGroup(user.id, "base.group_system")).toBe(manager);
      expect(db.hasGroup(user.id, "sales_team.group_sale_salesman_all_leads")).toBe(manager || member.roles.includes("ops"));
    }

    // Odoo's own OAuth login points at the platform's IdP and sends the token as a Bearer header.
    const providers = named("auth.oauth.provider", "name", "Nexius SSO");
    expect(providers).toEqual([
      expect.objectContaining({
        id: connection.oauthProviderId,
        client_id: "odoo",
        auth_endpoint: discovery.authorization_endpoint,
        validation_endpoint: discovery.userinfo_endpoint,
        enabled: true,
      }),
    ]);
    expect(named("ir.config_parameter", "key", "auth_oauth.authorization_header")).toEqual([expect.objectContaining({ value: "1" })]);

    // The smoke-test partner: one, archived, in the tenant's company.
    expect(named("res.partner", "ref", `nexius-smoke:${tenant.slug}`)).toEqual([expect.objectContaining({ active: false })]);

    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: tenant.id, action: "tenant.provisioned" } });
    expect(audit).toHaveLength(1);
    return { connection, db, password };
  }

  describe(`provisioning in ${mode}`, () => {
    it("provisions a workspace end to end and a second run changes nothing", async () => {
      const workspace = await newWorkspace("happy");
      const result = await app.runProvisioning(workspace.tenant.id, workspace.actor);
      expect(result).toMatchObject({ status: "ready", phase: "ready", attempts: 1 });
      await expectProvisioned(workspace);
      if (mode === "db_per_tenant") {
        expect([...standIns.odoo.state.databases.keys()].filter((n) => n.startsWith(`nexius_${workspace.tenant.slug.replace(/-/g, "_")}`))).toHaveLength(1);
      }

      const calls = standIns.odoo.state.calls.length;
      const again = await app.runProvisioning(workspace.tenant.id, workspace.actor);
      expect(again).toEqual(result);
      expect(standIns.odoo.state.calls.length).toBe(calls);
    });

    const adminRefusal: FaultSpec =
      mode === "company_per_tenant"
        ? { service: "common", method: "authenticate", error: "AccessDenied" }
        : { service: "db", method: "create_database", error: "AccessDenied" };

    const failures: Array<{ label: string; fault: FaultSpec; phase: string; message: RegExp }> = [
      {
        label: "Odoo refuses the platform's credentials",
        fault: adminRefusal,
        phase: "creating_odoo",
        message: /^Creating the Odoo workspace failed: Odoo refused the (platform's credentials|master password)/,
      },
      {
        label: "the connection drops after Odoo created the integration user",
        fault: { model: "res.users", method: "create", error: "network", applied: true },
        phase: "creating_odoo",
        message: /^Creating the Odoo workspace failed: Odoo did not answer .*retry in a minute/,
      },
      {
        label: "Odoo times out after creating the first SSO user",
        fault: { model: "res.users", method: "create", skip: 1, error: "timeout", applied: true },
        phase: "configuring_oidc",
        message: /^Connecting Odoo to Nexius SSO failed: Odoo did not answer .*in time.*retry in a minute/,
      },
      {
        label: "Odoo rejects the second SSO user (ValidationError)",
        fault: { model: "res.users", method: "create", skip: 2, error: "ValidationError" },
        phase: "configuring_oidc",
        message: /^Connecting Odoo to Nexius SSO failed: Odoo sso user failed: odoo\.exceptions\.ValidationError: Simulated failure/,
      },
      {
        label: "Odoo rejects the smoke test's lookup (ValidationError)",
        fault: { model: "res.partner", method: "search", error: "ValidationError" },
        phase: "seeding",
        message: /^Checking the Odoo connection failed: Odoo smoke test failed: odoo\.exceptions\.ValidationError/,
      },
      {
        label: "the connection drops after Odoo created the smoke-test partner",
        fault: { model: "res.partner", method: "create", error: "network", applied: true },
        phase: "seeding",
        message: /^Checking the Odoo connection failed: Odoo did not answer .*retry in a minute/,
      },
    ];

    it.each(failures)("$phase: $label → error with an actionable message; a retry finishes without duplicates", async ({ fault, phase, message }) => {
      const workspace = await newWorkspace(phase.replace(/_/g, "-"));
      const tenantId = workspace.tenant.id;
      standIns.odoo.faults.failNext(fault);
      await expect(app.runProvisioning(tenantId, workspace.actor)).rejects.toThrow();
      expect(standIns.odoo.faults.pending()).toEqual([]);

      const failed = (await app.provisioningStatus(tenantId))!;
      expect(failed).toMatchObject({ status: "error", phase, attempts: 1 });
      expect(failed.error).toMatch(message);
      expect((await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId } })).status).toBe("error");
      const audit = await app.platformDb.auditLog.findFirstOrThrow({ where: { tenantId, action: "tenant.provisioning_failed" } });
      expect(audit).toMatchObject({ target: phase, actorSub: workspace.actor.sub, details: { error: failed.error } });
      const stored = await app.platformDb.odooConnection.findUnique({ where: { tenantId } });
      if (stored) expect(failed.error).not.toContain(app.openOdooSecret(stored));

      await app.requestProvisioning(tenantId, workspace.actor, { mode: "retry" });
      expect(await app.provisioningStatus(tenantId)).toMatchObject({ status: "provisioning", phase, error: null });
      expect((await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId } })).status).toBe("provisioning");
      expect(await app.platformDb.auditLog.count({ where: { tenantId, action: "tenant.provisioning_retried" } })).toBe(1);

      const done = await app.runProvisioning(tenantId, workspace.actor);
      expect(done).toMatchObject({ status: "ready", attempts: 2 });
      // Resumed at the failed phase: the phases before it kept their first timings.
      const order = ["starting", "creating_odoo", "configuring_oidc", "seeding"] as const;
      for (const earlier of order.slice(0, order.indexOf(phase as (typeof order)[number]))) {
        expect(done.timings[earlier]).toEqual(failed.timings[earlier]);
      }
      await expectProvisioned(workspace);
      if (mode === "db_per_tenant") {
        const databases = [...standIns.odoo.state.databases.keys()].filter((n) => n === `nexius_${workspace.tenant.slug.replace(/-/g, "_")}`);
        expect(databases).toHaveLength(1);
      }
    });
  });
}
