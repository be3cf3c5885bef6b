import { afterEach } from "vitest";
import { OdooClient, type OdooSession } from "~/odoo/client.server";
import { REQUIRED_MODULES } from "~/odoo/module-install.server";
import { startOdooSimulator, type OdooSimulator, type OdooSimulatorOptions, type SimDatabase } from "../sims/odoo";

/**
 * What the tests of the Odoo provisioning steps share: the platform's
 * credentials and IdP, simulators that stop after each test, and readers of
 * what a simulated database holds.
 */

export const MASTER = "master-secret";
export const SHARED_DB = "platform";
export const ADMIN = { login: "admin", password: "admin-secret" };
export const PROVIDER = {
  name: "Nexius SSO",
  clientId: "odoo",
  authEndpoint: "https://sso.example.test/auth",
  userinfoEndpoint: "https://sso.example.test/userinfo",
  scope: "openid profile email",
};
export const SIGNER = { email: "Owner@Acme.example", emailVerified: true, name: "Ada Owner", sub: "sub-123", roles: ["admin"] };

/** The groups a workspace admin holds in a shared database (implied ones included): sales administration in its own company only. */
export const SHARED_ADMIN_GROUPS = [
  "base.group_partner_manager",
  "base.group_user",
  "sales_team.group_sale_manager",
  "sales_team.group_sale_salesman",
  "sales_team.group_sale_salesman_all_leads",
];

/** Simulators started through these are stopped after each test of the calling file. */
export function provisioningSimulators() {
  const running: OdooSimulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  const start = async (options: OdooSimulatorOptions) => {
    const sim = await startOdooSimulator(options);
    running.push(sim);
    return sim;
  };
  return {
    start,
    /** company_per_tenant: one database with the required modules, administered by ADMIN. */
    shared: () =>
      start({
        masterPassword: MASTER,
        databases: [{ name: SHARED_DB, adminLogin: ADMIN.login, adminPassword: ADMIN.password, modules: REQUIRED_MODULES }],
      }),
    /** db_per_tenant: no database yet, only the master password. */
    empty: () => start({ masterPassword: MASTER }),
  };
}

/** The platform admin's session in the shared database. */
export function sharedAdmin(sim: OdooSimulator): Promise<OdooSession> {
  return new OdooClient({ baseUrl: sim.url }).connect(SHARED_DB, ADMIN.login, ADMIN.password);
}

/** A client that gives up quickly, for injected timeouts and network failures. */
export function fastClient(sim: OdooSimulator): OdooClient {
  return new OdooClient({ baseUrl: sim.url, timeoutMs: 200, slowCallTimeoutMs: 200, maxRetries: 1, retryBaseDelayMs: 1 });
}

export const named = (db: SimDatabase, model: string, field: string, value: unknown) => db.records(model).filter((r) => r[field] === value);

/** The groups a user holds as Odoo stores them (implied groups included), by XML id. */
export const heldGroups = (db: SimDatabase, uid: number) =>
  ((db.get("res.users", uid)!.groups_id as number[]) ?? [])
    .map((id) => db.records("ir.model.data").find((x) => x.model === "res.groups" && x.res_id === id))
    .map((x) => `${String(x!.module)}.${String(x!.name)}`)
    .sort();
