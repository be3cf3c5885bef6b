import { describe, expect, it } from "vitest";
import { type OdooSimulator, type RecordedCall } from "../../tests/sims/odoo";
import {
  ADMIN,
  fastClient,
  heldGroups,
  MASTER,
  named,
  PROVIDER,
  provisioningSimulators,
  SHARED_ADMIN_GROUPS,
  SHARED_DB,
  SIGNER,
} from "../../tests/support/odoo-provisioning-fixtures";
import { OdooClient } from "./client.server";
import { ensureIntegrationUser } from "./integration-user.server";
import { installModules, REQUIRED_MODULES } from "./module-install.server";
import { ensureOAuthProvider } from "./oauth-provider.server";
import { OdooProvisioningError } from "./provisioning-step.server";
import { smokeTest } from "./smoke-test.server";
import { ensureSsoUser } from "./sso-user.server";
import { ensureBaselineCompanyPartner, ensureCompany } from "./tenant-company.server";
import { createTenantDatabase } from "./tenant-database.server";

/**
 * The two flows the provisioning job runs, end to end against the simulator:
 * a second run changes nothing, and a failure injected at any call is
 * repaired by a re-run without duplicates.
 */

const sims = provisioningSimulators();

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
  { mode: "company_per_tenant", start: sims.shared, flow: companyFlow, check: expectCompanyTenant },
  { mode: "db_per_tenant", start: sims.empty, flow: databaseFlow, check: expectDatabaseTenant },
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
