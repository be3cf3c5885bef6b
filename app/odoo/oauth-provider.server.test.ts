import { describe, expect, it } from "vitest";
import { PROVIDER, provisioningSimulators, sharedAdmin, SHARED_DB } from "../../tests/support/odoo-provisioning-fixtures";
import { OdooClient } from "./client.server";
import { ensureOAuthProvider } from "./oauth-provider.server";

const sims = provisioningSimulators();

describe("oauth provider", () => {
  it("updates only what changed and sets the bearer-header parameter once", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
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
    const sim = await sims.start({ databases: [{ name: "bare", adminPassword: "pw" }] });
    const admin = await new OdooClient({ baseUrl: sim.url }).connect("bare", "admin", "pw");
    await expect(ensureOAuthProvider(admin, PROVIDER)).rejects.toThrow(/auth_oauth is not installed/);
  });
});
