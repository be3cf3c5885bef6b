import { describe, expect, it } from "vitest";
import { ADMIN, provisioningSimulators, SHARED_DB } from "../../tests/support/odoo-provisioning-fixtures";
import { OdooClient } from "./client.server";
import { ensureIntegrationUser } from "./integration-user.server";
import { installModules } from "./module-install.server";

const sims = provisioningSimulators();

describe("modules", () => {
  it("installs only what is missing, and polls when the install call times out", async () => {
    const sim = await sims.start({ databases: [{ name: "t", adminPassword: "pw" }] });
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
    const sim = await sims.shared();
    const client = new OdooClient({ baseUrl: sim.url });
    const admin = await client.connect(SHARED_DB, ADMIN.login, ADMIN.password);
    const { uid } = await ensureIntegrationUser(admin, { login: "svc", name: "svc", companyId: 1, password: "svc-pw" });
    const service = client.session({ db: SHARED_DB, uid, secret: "svc-pw" });
    await expect(installModules(service, ["sale"])).rejects.toMatchObject({ cause: { odooName: "odoo.exceptions.AccessDenied" } });
  });
});
