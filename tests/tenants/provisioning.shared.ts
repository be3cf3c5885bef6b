import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type OdooConnection } from "~/generated/prisma/client";
import { linkDemoSalespeople, seedDemoCrm, type FaultSpec } from "../sims/odoo";
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
    const [db, identity, provisioning, connection, groups, modules, lakeSync] = await Promise.all([
      import("~/db.server"),
      import("~/auth/identity.server"),
      import("~/tenants/provisioning.server"),
      import("~/odoo/connection.server"),
      import("~/odoo/access-groups.server"),
      import("~/odoo/module-install.server"),
      import("~/lake/sync-command.server"),
    ]);
    return {
      platformDb: db.platformDb,
      resolveIdentity: identity.resolveIdentity,
      runProvisioning: provisioning.runProvisioning,
      requestProvisioning: provisioning.requestProvisioning,
      provisioningStatus: provisioning.provisioningStatus,
      syncOdooMember: provisioning.syncOdooMember,
      openOdooSecret: connection.openOdooSecret,
      INTEGRATION_USER_GROUPS: groups.INTEGRATION_USER_GROUPS,
      groupsForRoles: groups.groupsForRoles,
      REQUIRED_MODULES: modules.REQUIRED_MODULES,
      runSyncCommand: lakeSync.runSyncCommand,
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

  type Member = { sub: string; email: string; email_verified: boolean; name: string; roles: string[] };

  /** A self-serve owner's workspace (as at first login) with an ops and a viewer member added from tokens naming it. */
  async function newWorkspace(label: string) {
    const tag = `${label}-${randomBytes(3).toString("hex")}`;
    const owner: Member = { sub: `owner-${tag}`, email: `Owner.${tag}@Example.test`, email_verified: true, name: `Owner ${tag}`, roles: [] };
    const { tenant } = await app.resolveIdentity(owner);
    const ops: Member = { sub: `ops-${tag}`, email: `ops.${tag}@example.test`, email_verified: true, name: `Ops ${tag}`, roles: ["ops"] };
    const viewer: Member = { sub: `viewer-${tag}`, email: `viewer.${tag}@example.test`, email_verified: true, name: `Viewer ${tag}`, roles: ["viewer"] };
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
      // Exactly these groups, as Odoo stores them with the implied ones: Settings only in the tenant's own database.
      expect(heldGroups(db, user.id), member.roles.join()).toEqual(EXPECTED_GROUPS[mode][member.roles[0] as keyof (typeof EXPECTED_GROUPS)[OdooMode]]);
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
    it("creates no Odoo user for a member whose email the IdP has not verified: provisioning stops with an actionable error, and resumes once they sign in verified", async () => {
      const workspace = await newWorkspace("unverified");
      const tenantId = workspace.tenant.id;
      const late: Member = {
        sub: `late-${tenantId}`,
        email: `late.${workspace.tenant.slug}@example.test`,
        email_verified: false,
        name: "Late",
        roles: ["ops"],
      };
      await app.resolveIdentity({ ...late, tenant_id: workspace.tenant.slug });
      await expect(app.runProvisioning(tenantId, workspace.actor)).rejects.toThrow();
      const failed = (await app.provisioningStatus(tenantId))!;
      expect(failed).toMatchObject({ status: "error", phase: "configuring_oidc" });
      expect(failed.error).toMatch(/^Connecting Odoo to Nexius SSO failed: .*has not verified late\..*sign in again, then retry/);
      const connection = await connectionOf(tenantId);
      expect(
        odooDatabase(connection)
          .records("res.users")
          .filter((u) => u.login === late.email),
      ).toEqual([]);

      await app.resolveIdentity({ ...late, email_verified: true, tenant_id: workspace.tenant.slug });
      await app.requestProvisioning(tenantId, workspace.actor, { mode: "retry" });
      expect(await app.runProvisioning(tenantId, workspace.actor)).toMatchObject({ status: "ready" });
      await expectProvisioned({ ...workspace, members: [...workspace.members, late] });
    });

    it("never takes over an existing Odoo user with a joining member's email: the link is refused for a platform operator and that user is untouched", async () => {
      const workspace = await newWorkspace("takeover");
      const tenantId = workspace.tenant.id;
      await expect(app.runProvisioning(tenantId, workspace.actor)).resolves.toMatchObject({ status: "ready" });
      const connection = await connectionOf(tenantId);
      const db = odooDatabase(connection);
      // Someone already in this Odoo whose login is the address a new member signs in with.
      const victim = db.insert("res.users", {
        name: "Existing Odoo user",
        login: `victim.${workspace.tenant.slug}@example.test`,
        email: false,
        active: true,
        company_id: 1,
        company_ids: [1],
        groups_id: db.groupClosure([db.xmlId("base.group_user")!]),
        oauth_provider_id: false,
        oauth_uid: false,
      });
      const before = structuredClone(victim);
      const member: Member = { sub: `attacker-${tenantId}`, email: victim.login as string, email_verified: true, name: "Attacker", roles: ["viewer"] };
      const { userId } = await app.resolveIdentity({ ...member, tenant_id: workspace.tenant.slug });
      await app.syncOdooMember(tenantId, userId);
      expect(db.get("res.users", victim.id)).toEqual(before);
      const refused = await app.platformDb.auditLog.findFirstOrThrow({ where: { tenantId, action: "member.odoo_link_refused" } });
      expect(refused.details).toMatchObject({ error: expect.stringMatching(/not linked to this Nexius identity.*platform operator/) });
    });

    it("leaves an Odoo the data lake can read: the CRM app is installed once, and a full lake sync of the new workspace succeeds", async () => {
      const workspace = await newWorkspace("lake");
      await expect(app.runProvisioning(workspace.tenant.id, workspace.actor)).resolves.toMatchObject({ status: "ready" });
      const db = odooDatabase(await connectionOf(workspace.tenant.id));
      expect(db.isInstalled("crm")).toBe(true);
      const installs = () => standIns.odoo.state.countCalls({ model: "ir.module.module", method: "button_immediate_install" });
      const before = installs();
      await app.requestProvisioning(workspace.tenant.id, workspace.actor, { mode: "retry" });
      await app.runProvisioning(workspace.tenant.id, workspace.actor);
      expect(installs()).toBe(before);

      const summary = await app.runSyncCommand({ tenantSlug: workspace.tenant.slug, source: "odoo", mode: "full", progress: () => {} });
      expect(summary).toMatchObject({ status: "succeeded", rejected: 0 });
      // crm installs its default pipeline stages; the sync read them.
      expect(summary.inserted).toBeGreaterThan(0);
    });

    it("links a member to the demo CRM's salesperson seated for them, who keeps their team and deals", async () => {
      const workspace = await newWorkspace("seated");
      const tenantId = workspace.tenant.id;
      await app.runProvisioning(tenantId, workspace.actor);
      const connection = await connectionOf(tenantId);
      const db = odooDatabase(connection);
      const member: Member = {
        sub: `seated-${tenantId}`,
        email: `seated.${workspace.tenant.slug}@example.test`,
        email_verified: true,
        name: "Seated Manager",
        roles: ["ops"],
      };
      seedDemoCrm(db, {
        companyId: connection.companyId!,
        companies: 3,
        leads: 20,
        salespeople: [{ seat: 0, name: member.name, email: member.email, oauthUid: member.sub }],
      });
      // what the dev simulator does after every write once the provider exists
      linkDemoSalespeople(db);
      const seated = db.records("res.users").find((u) => u.oauth_uid === member.sub)!;
      const { userId } = await app.resolveIdentity({ ...member, tenant_id: workspace.tenant.slug });
      await app.syncOdooMember(tenantId, userId);
      expect(
        db
          .records("res.users")
          .filter((u) => u.oauth_uid === member.sub || u.login === member.email)
          .map((u) => u.id),
      ).toEqual([seated.id]);
      expect(db.get("res.users", seated.id)).toMatchObject({ login: member.email, oauth_provider_id: connection.oauthProviderId, active: true });
      expect(db.records("crm.team").filter((t) => t.user_id === seated.id)).toHaveLength(1);
      expect(await app.platformDb.auditLog.count({ where: { tenantId, action: "member.odoo_link_refused" } })).toBe(0);
    });

    it("links a member who joins later with exactly the groups of their role", async () => {
      const workspace = await newWorkspace("later");
      const tenantId = workspace.tenant.id;
      await app.runProvisioning(tenantId, workspace.actor);
      const member: Member = {
        sub: `later-admin-${tenantId}`,
        email: `later.${workspace.tenant.slug}@example.test`,
        email_verified: true,
        name: "Later",
        roles: ["admin"],
      };
      const { userId } = await app.resolveIdentity({ ...member, tenant_id: workspace.tenant.slug });
      await app.syncOdooMember(tenantId, userId);
      const connection = await connectionOf(tenantId);
      const db = odooDatabase(connection);
      const [user] = db.records("res.users").filter((u) => u.oauth_uid === member.sub);
      expect(user).toMatchObject({ login: member.email, oauth_provider_id: connection.oauthProviderId });
      expect(heldGroups(db, user!.id)).toEqual(EXPECTED_GROUPS[mode].admin);
    });

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
      expect(standIns.odoo.state.calls).toHaveLength(calls);
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

type SimDb = ReturnType<StandIns["odoo"]["state"]["database"]>;

/** The groups a user holds as Odoo stores them (implied groups included), by XML id. */
function heldGroups(db: SimDb, uid: number): string[] {
  return ((db.get("res.users", uid)!.groups_id as number[]) ?? [])
    .map((id) => db.records("ir.model.data").find((x) => x.model === "res.groups" && x.res_id === id))
    .map((x) => `${String(x!.module)}.${String(x!.name)}`)
    .sort();
}

const SALES_USER = ["base.group_user", "sales_team.group_sale_salesman"];
const SALES_ALL_LEADS = [...SALES_USER, "sales_team.group_sale_salesman_all_leads"];

/** Per Odoo mode and role: in a shared database no tenant user administers the database. */
const EXPECTED_GROUPS: Record<OdooMode, { admin: string[]; ops: string[]; viewer: string[] }> = {
  company_per_tenant: {
    admin: [...SALES_ALL_LEADS, "sales_team.group_sale_manager", "base.group_partner_manager"].sort(),
    ops: [...SALES_ALL_LEADS].sort(),
    viewer: [...SALES_USER].sort(),
  },
  db_per_tenant: {
    admin: [...SALES_ALL_LEADS, "sales_team.group_sale_manager", "base.group_system", "base.group_erp_manager"].sort(),
    ops: [...SALES_ALL_LEADS].sort(),
    viewer: [...SALES_USER].sort(),
  },
};
