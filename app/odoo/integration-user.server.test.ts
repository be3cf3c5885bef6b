import { describe, expect, it } from "vitest";
import { ADMIN, provisioningSimulators, SHARED_DB } from "../../tests/support/odoo-provisioning-fixtures";
import { OdooClient } from "./client.server";
import { ensureIntegrationUser, rotateIntegrationPassword } from "./integration-user.server";

const sims = provisioningSimulators();

describe("rotateIntegrationPassword", () => {
  it("rotates the integration password and proves the new one works", async () => {
    const sim = await sims.shared();
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
