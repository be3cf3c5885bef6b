import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooClient } from "~/odoo/client.server";
import { startOdooSimulator, type OdooSimulator } from "../sims/odoo/index";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, sendDocumented } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * The db service's duplicate_database, as odoo/service/db.py defines it:
 * `exp_duplicate_database(db_original_name, db_name, neutralize_database=False)`
 * behind the master password (dispatch pops it as the first argument, check_super),
 * returning True; https://github.com/odoo/odoo/blob/17.0/odoo/service/db.py
 */
const duplicate = loadExchange("odoo", "duplicate-database");
const closeAfterTest = closedAfterEach();

describe("Odoo client: db.duplicate_database", () => {
  it("sends the documented arguments, master password first, and reads True", async () => {
    const server = closeAfterTest(await startRecordingServer(() => duplicate.response));
    const client = new OdooClient({ baseUrl: server.url, maxRetries: 0 });
    expect(await client.db.duplicateDatabase("admin", "openacademy", "openacademy_copy")).toBe(true);
    expect(server.requests[0]!.body).toEqual(duplicate.request.body);
  });
});

describe("Odoo simulator: db.duplicate_database", () => {
  let sim: OdooSimulator;
  beforeAll(async () => {
    sim = await startOdooSimulator({ masterPassword: "admin", databases: [{ name: "openacademy", adminPassword: "pw" }] });
  });
  afterAll(() => sim.stop());

  it("answers the documented call in the documented envelope with a copy that keeps the template's users", async () => {
    const res = await sendDocumented(sim.url, duplicate);
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, duplicate.response.body)).toEqual([]);
    expect(res.body.result).toBe(true);
    const client = new OdooClient({ baseUrl: sim.url, maxRetries: 0 });
    expect(await client.authenticate("openacademy_copy", "admin", "pw")).toBe(2);
  });

  it("raises Odoo's errors: wrong master password, missing template, existing target", async () => {
    const client = new OdooClient({ baseUrl: sim.url, maxRetries: 0 });
    await expect(client.db.duplicateDatabase("wrong", "openacademy", "x1")).rejects.toMatchObject({ odooName: "odoo.exceptions.AccessDenied" });
    await expect(client.db.duplicateDatabase("admin", "missing", "x2")).rejects.toMatchObject({ odooName: "psycopg2.errors.InvalidCatalogName" });
    await expect(client.db.duplicateDatabase("admin", "openacademy", "openacademy")).rejects.toMatchObject({
      odooName: "psycopg2.errors.DuplicateDatabase",
    });
    expect(await client.db.list()).toEqual(["openacademy", "openacademy_copy"]);
  });
});
