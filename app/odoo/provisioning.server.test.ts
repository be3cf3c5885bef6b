import { afterEach, describe, expect, it } from "vitest";
import { startOdooSimulator, type OdooSimulator, type RecordedCall, type SimDatabase } from "../../tests/sims/odoo";
import { OdooClient, OdooTransportError } from "./client.server";
import {
  createTenantDatabase,
  ensureBaselineCompanyPartner,
  ensureCompany,
  ensureIntegrationUser,
  ensureOAuthProvider,
  ensureSsoUser,
  GLOBAL_ADMIN_GROUPS,
  groupsForRoles,
  installModules,
  OdooProvisioningError,
  REQUIRED_MODULES,
  rotateIntegrationPassword,
  smokeTest,
} from "./provisioning.server";

const MASTER = "master-secret";
const SHARED_DB = "platform";
const ADMIN = { login: "admin", password: "admin-secret" };
const PROVIDER = {
  name: "Nexius SSO",
  clientId: "odoo",
  authEndpoint: "https://sso.example.test/auth",
  userinfoEndpoint: "https://sso.example.test/userinfo",
  scope: "openid profile email",
};
const SIGNER = { email: "Owner@Acme.example", emailVerified: true, name: "Ada Owner", sub: "sub-123", roles: ["admin"] };

const simulators: OdooSimulator[] = [];
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((s) => s.stop()));
});

async function sharedSimulator(): Promise<OdooSimulator> {
  const sim = await startOdooSimulator({
    masterPassword: MASTER,
    databases: [{ name: SHARED_DB, adminLogin: ADMIN.login, adminPassword: ADMIN.password, modules: REQUIRED_MODULES }],
  });
  simulators.push(sim);
  return sim;
}

async function emptySimulator(): Promise<OdooSimulator> {
  const sim = await startOdooSimulator({ masterPassword: MASTER });
  simulators.push(sim);
  return sim;
}

function fastClient(sim: OdooSimulator): OdooClient {
  return new OdooClient({ baseUrl: sim.url, timeoutMs: 200, slowCallTimeoutMs: 200, maxRetries: 1, retryBaseDelayMs: 1 });
}

const named = (db: SimDatabase, model: string, field: string, value: unknown) => db.records(model).filter((r) => r[field] === value);
const groupIds = (db: SimDatabase, xmlIds: string[]) => xmlIds.map((x) => db.xmlId(x));
/** The groups a user holds as Odoo stores them (implied groups included), by XML id. */
const heldGroups = (db: SimDatabase, uid: number) =>
  ((db.get("res.users", uid)!.groups_id as number[]) ?? [])
    .map((id) => db.records("ir.model.data").find((x) => x.model === "res.groups" && x.res_id === id))
    .map((x) => `${String(x!.module)}.${String(x!.name)}`)
    .sort();

// ---------------------------------------------------------------- the two flows the provisioning job runs

type FlowResult = { companyId: number; integrationUid: number; ssoUid: number; providerId: number; smokePartnerId: number };

/** company_per_tenant: everything inside the shared database, as the platform admin. */
async function companyFlow(client: OdooClient, password: string): Promise<FlowResult> {
  const admin = await client.connect(SHARED_DB, ADMIN.login, ADMIN.password);
  const { companyId } = await ensureCompany(admin, { name: "Acme Pte Ltd (acme)", tenantKey: "tenant:acme" });
  const { uid: integrationUid } = await ensureIntegrationUser(admin, {
    login: "svc-acme@nexius.local",
    name: "Nexius integration (acme)",
    companyId,
    password,
  });
  const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
  const { uid: ssoUid } = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId, sharedDatabase: true });
  await ensureBaselineCompanyPartner(admin, { companyId, name: "Acme Pte Ltd (acme)", website: "acme.example" });
  const service = client.session({ db: SHARED_DB, uid: integrationUid, secret: password });
  const { partnerId } = await smokeTest(service, { tenantSlug: "acme", companyId });
  return { companyId, integrationUid, ssoUid, providerId, smokePartnerId: partnerId };
}

/** db_per_tenant: a database per tenant, then the same steps inside it. */
async function databaseFlow(client: OdooClient, password: string): Promise<FlowResult> {
  await createTenantDatabase(client, {
    master: MASTER,
    name: "tenant_acme",
    adminLogin: "platform-admin",
    adminPassword: ADMIN.password,
    lang: "en_US",
    countryCode: "SG",
  });
  const admin = await client.connect("tenant_acme", "platform-admin", ADMIN.password);
  await installModules(admin, REQUIRED_MODULES, { pollIntervalMs: 5 });
  const companyId = await admin.xmlIdToResId("base.main_company");
  const { uid: integrationUid } = await ensureIntegrationUser(admin, { login: "svc@nexius.local", name: "Nexius integration", companyId, password });
  const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
  const { uid: ssoUid } = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId });
  await ensureBaselineCompanyPartner(admin, { companyId, name: "Acme Pte Ltd", website: "acme.example" });
  const service = client.session({ db: "tenant_acme", uid: integrationUid, secret: password });
  const { partnerId } = await smokeTest(service, { tenantSlug: "acme", companyId });
  return { companyId, integrationUid, ssoUid, providerId, smokePartnerId: partnerId };
}

function expectCompanyTenant(sim: OdooSimulator, result: FlowResult, password: string) {
  const db = sim.state.database(SHARED_DB);
  expect(named(db, "res.company", "name", "Acme Pte Ltd (acme)")).toHaveLength(1);
  expect(named(db, "res.partner", "ref", "tenant:acme")).toHaveLength(1);
  expect(named(db, "res.users", "login", "svc-acme@nexius.local")).toHaveLength(1);
  expect(named(db, "res.users", "login", "owner@acme.example")).toHaveLength(1);
  expect(named(db, "auth.oauth.provider", "name", "Nexius SSO")).toHaveLength(1);
  expect(named(db, "ir.config_parameter", "key", "auth_oauth.authorization_header")).toHaveLength(1);
  expect(named(db, "res.partner", "ref", "nexius-smoke:acme")).toHaveLength(1);
  expect(db.get("res.users", 2)!.company_ids).toContain(result.companyId);
  const service = db.get("res.users", result.integrationUid)!;
  expect(service).toMatchObject({ company_id: result.companyId, company_ids: [result.companyId] });
  expect(db.hasGroup(result.integrationUid, "base.group_partner_manager")).toBe(true);
  expect(db.hasGroup(result.integrationUid, "sales_team.group_sale_manager")).toBe(false);
  expect(db.hasGroup(result.integrationUid, "base.group_system")).toBe(false);
  expect(db.authenticate("svc-acme@nexius.local", password)).toBe(result.integrationUid);
  expect(db.get("res.users", result.ssoUid)).toMatchObject({ oauth_provider_id: result.providerId, oauth_uid: "sub-123" });
  // A workspace admin administers sales in its own company, never the shared database.
  expect(heldGroups(db, result.ssoUid)).toEqual(SHARED_ADMIN_GROUPS);
}

const SHARED_ADMIN_GROUPS = [
  "base.group_partner_manager",
  "base.group_user",
  "sales_team.group_sale_manager",
  "sales_team.group_sale_salesman",
  "sales_team.group_sale_salesman_all_leads",
];

function expectDatabaseTenant(sim: OdooSimulator, result: FlowResult, password: string) {
  expect([...sim.state.databases.keys()]).toEqual(["tenant_acme"]);
  const db = sim.state.database("tenant_acme");
  for (const module of REQUIRED_MODULES) expect(db.isInstalled(module)).toBe(true);
  expect(db.records("res.company").map((c) => c.name)).toEqual(["Acme Pte Ltd"]);
  expect(named(db, "res.users", "login", "svc@nexius.local")).toHaveLength(1);
  expect(named(db, "res.users", "login", "owner@acme.example")).toHaveLength(1);
  expect(named(db, "auth.oauth.provider", "name", "Nexius SSO")).toHaveLength(1);
  expect(named(db, "ir.config_parameter", "key", "auth_oauth.authorization_header")).toHaveLength(1);
  expect(named(db, "res.partner", "ref", "nexius-smoke:acme")).toHaveLength(1);
  expect(db.authenticate("svc@nexius.local", password)).toBe(result.integrationUid);
  expect(db.authenticate("platform-admin", ADMIN.password)).toBe(2);
  expect(db.hasGroup(result.integrationUid, "sales_team.group_sale_manager")).toBe(false);
  // The database is the tenant's own: its admin holds Settings there.
  expect(heldGroups(db, result.ssoUid)).toEqual([
    "base.group_erp_manager",
    "base.group_system",
    "base.group_user",
    "sales_team.group_sale_manager",
    "sales_team.group_sale_salesman",
    "sales_team.group_sale_salesman_all_leads",
  ]);
}

/** Every call of a clean run, each tagged with how many identical calls came before it. */
function callPoints(calls: RecordedCall[]): Array<RecordedCall & { skip: number }> {
  const seen = new Map<string, number>();
  return calls.map((call) => {
    const key = `${call.service}|${call.method}|${call.model ?? ""}`;
    const skip = seen.get(key) ?? 0;
    seen.set(key, skip + 1);
    return { ...call, skip };
  });
}

describe.each([
  { mode: "company_per_tenant", start: sharedSimulator, flow: companyFlow, check: expectCompanyTenant },
  { mode: "db_per_tenant", start: emptySimulator, flow: databaseFlow, check: expectDatabaseTenant },
])("$mode provisioning", ({ start, flow, check }) => {
  it("provisions a tenant, and a second run changes nothing", async () => {
    const sim = await start();
    const client = new OdooClient({ baseUrl: sim.url });
    const first = await flow(client, "pw-1");
    check(sim, first, "pw-1");
    const second = await flow(client, "pw-1");
    expect(second).toEqual(first);
    check(sim, second, "pw-1");
  });

  // The worst case for idempotency: Odoo commits the call but the answer is lost.
  it.each(["timeout", "network"] as const)("recovers from a %s at every call with a re-run and no duplicates", async (error) => {
    const probe = await start();
    await flow(new OdooClient({ baseUrl: probe.url }), "pw-probe");
    const points = callPoints(probe.state.calls).filter((c) => !c.fault);
    await probe.stop();
    expect(points.length).toBeGreaterThan(15);

    for (const point of points) {
      const sim = await start();
      sim.faults.failNext({ service: point.service as "object", method: point.method, model: point.model, skip: point.skip, error, applied: true });
      const failed = await flow(fastClient(sim), "pw-first").then(
        () => undefined,
        (e: unknown) => e,
      );
      if (failed !== undefined) expect(failed, `${point.method} ${point.model ?? ""}`).toBeInstanceOf(Error);
      sim.faults.clear();
      const result = await flow(new OdooClient({ baseUrl: sim.url }), "pw-second");
      check(sim, result, "pw-second");
      await sim.stop();
    }
  });

  it("recovers from an RPC error at every write with a re-run", async () => {
    const probe = await start();
    await flow(new OdooClient({ baseUrl: probe.url }), "pw");
    const writes = callPoints(probe.state.calls).filter((c) =>
      ["create", "write", "set_param", "create_database", "button_immediate_install"].includes(c.method),
    );
    await probe.stop();
    for (const point of writes) {
      const sim = await start();
      sim.faults.failNext({ method: point.method, model: point.model, skip: point.skip, error: "ValidationError" });
      const failure = await flow(new OdooClient({ baseUrl: sim.url }), "pw").catch((e: unknown) => e);
      expect(failure, `${point.method} ${point.model ?? ""}`).toBeInstanceOf(OdooProvisioningError);
      expect((failure as OdooProvisioningError).retryable).toBe(false);
      check(sim, await flow(new OdooClient({ baseUrl: sim.url }), "pw"), "pw");
      await sim.stop();
    }
  });
});

describe("createTenantDatabase", () => {
  const input = { master: MASTER, name: "tenant_x", adminLogin: "platform-admin", adminPassword: "pw", lang: "en_US", countryCode: "SG" };

  it("creates the database, then accepts it as it is on the next run", async () => {
    const sim = await emptySimulator();
    const client = new OdooClient({ baseUrl: sim.url });
    expect(await createTenantDatabase(client, input)).toEqual({ uid: 2, created: true, recreated: false });
    expect(await createTenantDatabase(client, input)).toEqual({ uid: 2, created: false, recreated: false });
    expect(sim.state.countCalls({ method: "create_database" })).toBe(1);
    const db = sim.state.database("tenant_x");
    expect(db.get("res.company", 1)!.country_id).toBe(db.xmlId("base.sg"));
  });

  it("drops and recreates a database whose initialisation failed although create_database returned true", async () => {
    const sim = await emptySimulator();
    sim.faults.failNext({ method: "create_database", error: "initFailure" });
    const result = await createTenantDatabase(new OdooClient({ baseUrl: sim.url }), input);
    expect(result).toEqual({ uid: 2, created: true, recreated: true });
    expect(sim.state.countCalls({ method: "drop" })).toBe(1);
    expect(sim.state.database("tenant_x").initialized).toBe(true);
  });

  it("never drops an initialised database whose admin credentials are refused", async () => {
    const sim = await emptySimulator();
    const client = new OdooClient({ baseUrl: sim.url });
    await createTenantDatabase(client, input);
    const error = await createTenantDatabase(client, { ...input, adminPassword: "other" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "create_database", retryable: false });
    expect(sim.state.countCalls({ method: "drop" })).toBe(0);
  });

  it("reports a wrong master password as not retryable", async () => {
    const sim = await emptySimulator();
    const error = await createTenantDatabase(new OdooClient({ baseUrl: sim.url }), { ...input, master: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OdooProvisioningError);
    expect(error).toMatchObject({ retryable: false });
    expect(sim.state.databases.size).toBe(0);
  });

  it("marks transport failures as retryable", async () => {
    const sim = await emptySimulator();
    sim.faults.failNext({ method: "db_exist", error: "network", times: 5 });
    const error = await createTenantDatabase(fastClient(sim), input).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).cause).toBeInstanceOf(OdooTransportError);
  });
});

describe("groups and users", () => {
  it("maps roles to groups, unknown roles to viewer", () => {
    expect(groupsForRoles(["admin"])).toEqual(["base.group_user", "sales_team.group_sale_manager", "base.group_system"]);
    expect(groupsForRoles(["admin"], { sharedDatabase: true })).toEqual(["base.group_user", "sales_team.group_sale_manager", "base.group_partner_manager"]);
    for (const role of ["admin", "ops", "viewer"]) {
      expect(groupsForRoles([role], { sharedDatabase: true }).filter((g) => GLOBAL_ADMIN_GROUPS.includes(g))).toEqual([]);
    }
    expect(groupsForRoles(["ops"])).toEqual(["base.group_user", "sales_team.group_sale_salesman_all_leads"]);
    expect(groupsForRoles(["viewer"])).toEqual(["base.group_user", "sales_team.group_sale_salesman"]);
    expect(groupsForRoles(["platform_owner"])).toEqual(groupsForRoles(["viewer"]));
  });

  it("sets exactly the groups of the role, not the template user's defaults", async () => {
    const sim = await sharedSimulator();
    const client = new OdooClient({ baseUrl: sim.url });
    const admin = await client.connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const db = sim.state.database(SHARED_DB);
    // Odoo's default user template carries Sales Manager: a user created without groups_id would inherit it.
    const [templateUser] = await admin.create("res.users", [{ name: "Implicit", login: "implicit" }]);
    expect(db.hasGroup(templateUser!, "sales_team.group_sale_manager")).toBe(true);

    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const { uid } = await ensureSsoUser(admin, { ...SIGNER, email: "viewer@acme.example", roles: ["viewer"], providerId, companyId: 1 });
    expect(db.get("res.users", uid)!.groups_id).toEqual(groupIds(db, ["base.group_user", "sales_team.group_sale_salesman"]).sort());
    const { uid: ops } = await ensureSsoUser(admin, { ...SIGNER, email: "ops@acme.example", sub: "sub-ops", roles: ["ops"], providerId, companyId: 1 });
    expect(db.hasGroup(ops, "sales_team.group_sale_salesman_all_leads")).toBe(true);
    expect(db.hasGroup(ops, "sales_team.group_sale_manager")).toBe(false);
  });

  it("adds a second tenant's company to a shared user without removing the first", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const a = await ensureCompany(admin, { name: "Tenant A" });
    const b = await ensureCompany(admin, { name: "Tenant B" });
    const first = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: a.companyId, roles: ["admin"], sharedDatabase: true });
    const second = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: b.companyId, roles: ["viewer"], sharedDatabase: true });
    expect(second).toEqual({ uid: first.uid, created: false });
    const user = sim.state.database(SHARED_DB).get("res.users", first.uid)!;
    expect(user.company_ids).toEqual([a.companyId, b.companyId]);
    expect(user.company_id).toBe(a.companyId);
    expect(heldGroups(sim.state.database(SHARED_DB), first.uid)).toEqual(SHARED_ADMIN_GROUPS);
  });

  it("gives each role of a shared database exactly its groups, implied ones included, and no database administration", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const db = sim.state.database(SHARED_DB);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const { companyId } = await ensureCompany(admin, { name: "Tenant A" });
    const user = (role: string) =>
      ensureSsoUser(admin, { ...SIGNER, email: `${role}@a.example`, sub: `sub-${role}`, roles: [role], providerId, companyId, sharedDatabase: true });
    expect(heldGroups(db, (await user("admin")).uid)).toEqual(SHARED_ADMIN_GROUPS);
    expect(heldGroups(db, (await user("ops")).uid)).toEqual(["base.group_user", "sales_team.group_sale_salesman", "sales_team.group_sale_salesman_all_leads"]);
    expect(heldGroups(db, (await user("viewer")).uid)).toEqual(["base.group_user", "sales_team.group_sale_salesman"]);
    // Updating a linked user (a second run) grants nothing more.
    expect(heldGroups(db, (await user("admin")).uid)).toEqual(SHARED_ADMIN_GROUPS);
  });

  it("refuses a shared-database role whose groups imply Settings", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const db = sim.state.database(SHARED_DB);
    const manager = db.get("res.groups", db.xmlId("sales_team.group_sale_manager")!)!;
    manager.implied_ids = [...(manager.implied_ids as number[]), db.xmlId("base.group_system")!];
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const error = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: 1, sharedDatabase: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "sso_user", retryable: false });
    expect(named(db, "res.users", "login", "owner@acme.example")).toEqual([]);
  });

  it("never takes over an Odoo user that has the member's email as login but is not linked to them", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const db = sim.state.database(SHARED_DB);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const { companyId } = await ensureCompany(admin, { name: "Tenant A" });
    const existing = await admin.create("res.users", { name: "Someone", login: "owner@acme.example", groups_id: [[6, 0, [db.xmlId("base.group_user")!]]] });
    const before = structuredClone(db.get("res.users", existing)!);
    for (const sharedDatabase of [true, false]) {
      const error = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId, sharedDatabase }).catch((e: unknown) => e);
      expect(error).toMatchObject({ step: "sso_user", retryable: false });
      expect((error as Error).message).toContain("platform operator");
    }
    expect(db.get("res.users", existing)).toEqual(before);
    expect(named(db, "res.users", "oauth_uid", SIGNER.sub)).toEqual([]);
  });

  it("creates or links no Odoo user for an email the IdP has not verified", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const db = sim.state.database(SHARED_DB);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const error = await ensureSsoUser(admin, { ...SIGNER, emailVerified: false, providerId, companyId: 1, sharedDatabase: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "sso_user", retryable: false });
    expect((error as Error).message).toMatch(/not verified/);
    expect(named(db, "res.users", "login", "owner@acme.example")).toEqual([]);
  });

  it("refuses to merge two Odoo users when the login and the IdP subject point at different ones", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: 1 });
    await admin.create("res.users", { name: "Other", login: "other@acme.example", groups_id: [[6, 0, []]] });
    const error = await ensureSsoUser(admin, { ...SIGNER, email: "other@acme.example", providerId, companyId: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "sso_user", retryable: false });
  });

  it("refuses to adopt a company of the same name that belongs to another tenant", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    await ensureCompany(admin, { name: "Acme", tenantKey: "tenant:one" });
    await expect(ensureCompany(admin, { name: "Acme", tenantKey: "tenant:two" })).rejects.toMatchObject({ step: "company", retryable: false });
  });

  it("gives the platform admin a company another admin created", async () => {
    const sim = await sharedSimulator();
    const client = new OdooClient({ baseUrl: sim.url });
    const admin = await client.connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const otherUid = await admin.create("res.users", {
      name: "Ops admin",
      login: "ops-admin",
      password: "ops-pw",
      groups_id: [[6, 0, [await admin.xmlIdToResId("base.group_system")]]],
    });
    const other = client.session({ db: SHARED_DB, uid: otherUid, secret: "ops-pw" });
    const companyId = await other.create("res.company", { name: "Made elsewhere" });
    const db = sim.state.database(SHARED_DB);
    expect(db.get("res.users", 2)!.company_ids).not.toContain(companyId);
    await ensureCompany(admin, { name: "Made elsewhere" });
    expect(db.get("res.users", 2)!.company_ids).toContain(companyId);
  });
});

describe("oauth provider", () => {
  it("updates only what changed and sets the bearer-header parameter once", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const created = await ensureOAuthProvider(admin, PROVIDER);
    expect(created).toMatchObject({ created: true, updatedFields: [] });
    sim.state.resetCalls();
    expect(await ensureOAuthProvider(admin, PROVIDER)).toMatchObject({ created: false, updatedFields: [] });
    expect(sim.state.countCalls({ method: "write" }) + sim.state.countCalls({ method: "set_param" })).toBe(0);
    const moved = await ensureOAuthProvider(admin, { ...PROVIDER, clientId: "odoo-2" });
    expect(moved).toEqual({ providerId: created.providerId, created: false, updatedFields: ["client_id"] });
    const row = sim.state.database(SHARED_DB).get("auth.oauth.provider", created.providerId)!;
    expect(row).toMatchObject({ enabled: true, validation_endpoint: PROVIDER.userinfoEndpoint, body: "Sign in with Nexius SSO" });
  });

  it("explains that auth_oauth is missing", async () => {
    const sim = await startOdooSimulator({ databases: [{ name: "bare", adminPassword: "pw" }] });
    simulators.push(sim);
    const admin = await new OdooClient({ baseUrl: sim.url }).connect("bare", "admin", "pw");
    await expect(ensureOAuthProvider(admin, PROVIDER)).rejects.toThrow(/auth_oauth is not installed/);
  });
});

describe("modules", () => {
  it("installs only what is missing, and polls when the install call times out", async () => {
    const sim = await startOdooSimulator({ databases: [{ name: "t", adminPassword: "pw" }] });
    simulators.push(sim);
    const admin = await new OdooClient({ baseUrl: sim.url }).connect("t", "admin", "pw");
    sim.faults.failNext({ method: "button_immediate_install", error: "timeout", applied: true });
    expect(await installModules(admin, ["crm", "base"], { pollIntervalMs: 5, installCallTimeoutMs: 100 })).toEqual({
      installed: ["crm"],
      alreadyInstalled: ["base"],
    });
    expect(sim.state.database("t").isInstalled("sales_team")).toBe(true);
    sim.state.resetCalls();
    expect(await installModules(admin, ["crm"])).toEqual({ installed: [], alreadyInstalled: ["crm"] });
    expect(sim.state.countCalls({ method: "button_immediate_install" })).toBe(0);
    await expect(installModules(admin, ["no_such_module"])).rejects.toMatchObject({ step: "install_modules", retryable: false });
  });

  it("needs an admin: a non-admin install is AccessDenied", async () => {
    const sim = await sharedSimulator();
    const client = new OdooClient({ baseUrl: sim.url });
    const admin = await client.connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const { uid } = await ensureIntegrationUser(admin, { login: "svc", name: "svc", companyId: 1, password: "svc-pw" });
    const service = client.session({ db: SHARED_DB, uid, secret: "svc-pw" });
    await expect(installModules(service, ["crm"])).rejects.toMatchObject({ cause: { odooName: "odoo.exceptions.AccessDenied" } });
  });
});

describe("smoke test and rotation", () => {
  it("reuses its archived partner and reports timings per step", async () => {
    const sim = await sharedSimulator();
    const admin = await new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const first = await smokeTest(admin, { tenantSlug: "t1" });
    expect(first.created).toBe(true);
    expect(first.steps.map((s) => s.step)).toEqual(["lookup", "create", "write", "read"]);
    const second = await smokeTest(admin, { tenantSlug: "t1" });
    expect(second).toMatchObject({ partnerId: first.partnerId, created: false });
    expect(second.steps.map((s) => s.step)).toEqual(["lookup", "write", "read"]);
    expect(sim.state.database(SHARED_DB).get("res.partner", first.partnerId)!.active).toBe(false);
  });

  it("rotates the integration password and proves the new one works", async () => {
    const sim = await sharedSimulator();
    const client = new OdooClient({ baseUrl: sim.url });
    const admin = await client.connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const { uid } = await ensureIntegrationUser(admin, { login: "svc", name: "svc", companyId: 1, password: "old-pw" });
    expect(await rotateIntegrationPassword(admin, { userId: uid, login: "svc", newPassword: "new-pw" })).toEqual({ uid });
    expect(await client.authenticate(SHARED_DB, "svc", "old-pw")).toBe(false);
    expect(await client.authenticate(SHARED_DB, "svc", "new-pw")).toBe(uid);
    sim.faults.failNext({ method: "write", model: "res.users", error: "network", applied: false });
    await expect(rotateIntegrationPassword(admin, { userId: uid, login: "svc", newPassword: "newer-pw" })).rejects.toMatchObject({ retryable: true });
    expect(await client.authenticate(SHARED_DB, "svc", "new-pw")).toBe(uid);
  });
});
