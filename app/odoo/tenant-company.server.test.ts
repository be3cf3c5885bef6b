import { describe, expect, it } from "vitest";
import { ADMIN, provisioningSimulators, sharedAdmin, SHARED_DB } from "../../tests/support/odoo-provisioning-fixtures";
import { OdooClient } from "./client.server";
import { ensureCompany } from "./tenant-company.server";

const sims = provisioningSimulators();

describe("ensureCompany", () => {
  it("refuses to adopt a company of the same name that belongs to another tenant", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    await ensureCompany(admin, { name: "Acme", tenantKey: "tenant:one" });
    await expect(ensureCompany(admin, { name: "Acme", tenantKey: "tenant:two" })).rejects.toMatchObject({ step: "company", retryable: false });
  });

  it("gives the platform admin a company another admin created", async () => {
    const sim = await sims.shared();
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
