import { describe, expect, it } from "vitest";
import { fastClient, MASTER, provisioningSimulators } from "../../tests/support/odoo-provisioning-fixtures";
import { OdooClient, OdooTransportError } from "./client.server";
import { OdooProvisioningError } from "./provisioning-step.server";
import { createTenantDatabase } from "./tenant-database.server";

const sims = provisioningSimulators();

describe("createTenantDatabase", () => {
  const input = { master: MASTER, name: "tenant_x", adminLogin: "platform-admin", adminPassword: "pw", lang: "en_US", countryCode: "SG" };

  it("creates the database, then accepts it as it is on the next run", async () => {
    const sim = await sims.empty();
    const client = new OdooClient({ baseUrl: sim.url });
    expect(await createTenantDatabase(client, input)).toEqual({ uid: 2, created: true, recreated: false });
    expect(await createTenantDatabase(client, input)).toEqual({ uid: 2, created: false, recreated: false });
    expect(sim.state.countCalls({ method: "create_database" })).toBe(1);
    const db = sim.state.database("tenant_x");
    expect(db.get("res.company", 1)!.country_id).toBe(db.xmlId("base.sg"));
  });

  it("drops and recreates a database whose initialisation failed although create_database returned true", async () => {
    const sim = await sims.empty();
    sim.faults.failNext({ method: "create_database", error: "initFailure" });
    const result = await createTenantDatabase(new OdooClient({ baseUrl: sim.url }), input);
    expect(result).toEqual({ uid: 2, created: true, recreated: true });
    expect(sim.state.countCalls({ method: "drop" })).toBe(1);
    expect(sim.state.database("tenant_x").initialized).toBe(true);
  });

  it("never drops an initialised database whose admin credentials are refused", async () => {
    const sim = await sims.empty();
    const client = new OdooClient({ baseUrl: sim.url });
    await createTenantDatabase(client, input);
    const error = await createTenantDatabase(client, { ...input, adminPassword: "other" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "create_database", retryable: false });
    expect(sim.state.countCalls({ method: "drop" })).toBe(0);
  });

  it("reports a wrong master password as not retryable", async () => {
    const sim = await sims.empty();
    const error = await createTenantDatabase(new OdooClient({ baseUrl: sim.url }), { ...input, master: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OdooProvisioningError);
    expect(error).toMatchObject({ retryable: false });
    expect(sim.state.databases.size).toBe(0);
  });

  it("marks transport failures as retryable", async () => {
    const sim = await sims.empty();
    sim.faults.failNext({ method: "db_exist", error: "network", times: 5 });
    const error = await createTenantDatabase(fastClient(sim), input).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).cause).toBeInstanceOf(OdooTransportError);
  });
});
