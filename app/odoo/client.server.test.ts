import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startOdooSimulator, type OdooSimulator } from "../../tests/sims/odoo";
import {
  OdooAccessDenied,
  OdooAccessError,
  OdooClient,
  OdooDatabaseExists,
  OdooMissingError,
  OdooMissingXmlIdError,
  OdooServerError,
  OdooTransportError,
  OdooUserError,
  OdooValidationError,
  type OdooSession,
} from "./client.server";

let sim: OdooSimulator;
let client: OdooClient;
let admin: OdooSession;

beforeAll(async () => {
  sim = await startOdooSimulator({ masterPassword: "master-pw", databases: [{ name: "main", adminPassword: "admin-pw", modules: ["sales_team"] }] });
  client = new OdooClient({ baseUrl: sim.url, timeoutMs: 2_000, retryBaseDelayMs: 5 });
  admin = await client.connect("main", "admin", "admin-pw");
});

afterAll(() => sim.stop());

afterEach(() => {
  sim.faults.clear();
  sim.state.resetCalls();
});

describe("common service", () => {
  it("reads the version of a 17.0 and an 18.0 server", async () => {
    expect(await client.version()).toEqual({
      server_version: "17.0",
      server_version_info: [17, 0, 0, "final", 0, ""],
      server_serie: "17.0",
      protocol_version: 1,
    });
    const eighteen = await startOdooSimulator({ version: "18.0" });
    try {
      expect((await new OdooClient({ baseUrl: eighteen.url }).version()).server_serie).toBe("18.0");
    } finally {
      await eighteen.stop();
    }
  });

  it("authenticates to a uid, and to false on bad credentials", async () => {
    expect(await client.authenticate("main", "admin", "admin-pw")).toBe(2);
    expect(await client.login("main", "admin", "admin-pw")).toBe(2);
    expect(await client.authenticate("main", "admin", "wrong")).toBe(false);
    await expect(client.connect("main", "admin", "wrong")).rejects.toBeInstanceOf(OdooAccessDenied);
  });
});

describe("typed RPC errors", () => {
  it("reports a wrong password in execute_kw as OdooAccessDenied, a kind of UserError", async () => {
    const bad = client.session({ db: "main", uid: 2, secret: "nope" });
    const error = await bad.search("res.partner", []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OdooAccessDenied);
    expect(error).toBeInstanceOf(OdooUserError);
    expect(error).toMatchObject({ odooName: "odoo.exceptions.AccessDenied", odooMessage: "Access Denied", arguments: ["Access Denied"], code: 200 });
  });

  it("types unknown models, private and unknown methods", async () => {
    await expect(admin.search("no.such.model", [])).rejects.toMatchObject({
      constructor: OdooUserError,
      odooMessage: "Object no.such.model doesn't exist",
    });
    await expect(admin.call("res.partner", "_compute_display_name", [[1]])).rejects.toBeInstanceOf(OdooAccessError);
    const unknown = await admin.call("res.partner", "frobnicate", [[1]]).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OdooServerError);
    expect(unknown).not.toBeInstanceOf(OdooUserError);
    expect(unknown).toMatchObject({ odooName: "builtins.AttributeError", odooMessage: "The method 'frobnicate' does not exist on the model 'res.partner'" });
  });

  it("types validation and missing-record errors", async () => {
    await admin.create("res.company", { name: "Unique Co" });
    await expect(admin.create("res.company", { name: "Unique Co" })).rejects.toMatchObject({
      constructor: OdooValidationError,
      odooMessage: "The operation cannot be completed: The company name must be unique!",
    });
    await expect(admin.write("res.partner", [99_999], { name: "x" })).rejects.toBeInstanceOf(OdooMissingError);
  });

  it("types db service errors: wrong master password and existing database", async () => {
    await expect(client.db.createDatabase("wrong", { name: "x", adminPassword: "a" })).rejects.toBeInstanceOf(OdooAccessDenied);
    await expect(client.db.createDatabase("master-pw", { name: "main", adminPassword: "a" })).rejects.toMatchObject({
      constructor: OdooDatabaseExists,
      odooMessage: "database 'main' already exists!",
    });
  });
});

describe("results", () => {
  it("turns a response without `result` (Python None) into null", async () => {
    expect(await admin.call("ir.config_parameter", "get_param", ["no.such.key", null])).toBeNull();
    expect(await admin.call("ir.config_parameter", "get_param", ["no.such.key"])).toBe(false);
  });

  it("creates one record from a dict and several from a list", async () => {
    const one = await admin.create("res.partner", { name: "Solo" });
    const many = await admin.create("res.partner", [{ name: "A" }, { name: "B" }]);
    expect(typeof one).toBe("number");
    expect(many).toHaveLength(2);
    const rows = await admin.read("res.partner", [one, ...many], ["name"]);
    expect(rows.map((r) => r.name)).toEqual(["Solo", "A", "B"]);
  });

  it("searches with order, limit and active_test context, counts, writes and unlinks", async () => {
    const [a, b] = await admin.create("res.partner", [
      { name: "Zeta Ltd", ref: "ctx-1", is_company: true },
      { name: "Alpha Ltd", ref: "ctx-2", is_company: true, active: false },
    ]);
    expect(await admin.search("res.partner", [["ref", "=like", "ctx-%"]])).toEqual([a]);
    expect(await admin.search("res.partner", [["ref", "=like", "ctx-%"]], { context: { active_test: false }, order: "name asc" })).toEqual([b, a]);
    expect(await admin.searchCount("res.partner", [["ref", "in", ["ctx-1", "ctx-2"]]], { context: { active_test: false } })).toBe(2);
    await admin.write("res.partner", [a!], { phone: "+65 6000 0000" });
    expect((await admin.read("res.partner", [a!], ["phone"]))[0]?.phone).toBe("+65 6000 0000");
    await admin.unlink("res.partner", [a!, b!]);
    expect(await admin.searchCount("res.partner", [["ref", "like", "ctx-"]], { context: { active_test: false } })).toBe(0);
  });

  it("resolves XML ids through ir.model.data in one call", async () => {
    const ids = await admin.resolveXmlIds(["base.group_user", "sales_team.group_sale_manager"]);
    expect(sim.state.countCalls({ model: "ir.model.data", method: "search_read" })).toBe(1);
    expect(ids.get("base.group_user")).toBe(sim.state.database("main").xmlId("base.group_user"));
    expect(await admin.xmlIdToResId("base.main_company")).toBe(1);
    await expect(admin.xmlIdToResId("crm.nothing_here")).rejects.toBeInstanceOf(OdooMissingXmlIdError);
  });
});

describe("transport failures", () => {
  it("reports a non-200 answer as an http transport error", async () => {
    sim.faults.failNext({ service: "object", method: "search", error: "http500" });
    await expect(admin.search("res.partner", [])).rejects.toMatchObject({ constructor: OdooTransportError, kind: "http", status: 500 });
    const wrongPath = new OdooClient({ baseUrl: `${sim.url}/not-odoo`, maxRetries: 0 });
    await expect(wrongPath.version()).rejects.toMatchObject({ kind: "http", status: 404 });
  });

  it("reports invalid JSON as invalid_response", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>proxy error page</html>");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const broken = new OdooClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retryBaseDelayMs: 1 });
      await expect(broken.version()).rejects.toMatchObject({ kind: "invalid_response" });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("times out a slow server per attempt", async () => {
    const impatient = new OdooClient({ baseUrl: sim.url, timeoutMs: 50, maxRetries: 0 });
    sim.faults.setLatency(400);
    try {
      await expect(impatient.version()).rejects.toMatchObject({ kind: "timeout" });
    } finally {
      sim.faults.setLatency(0);
    }
  });

  it("times out through AbortSignal and honours the caller's signal", async () => {
    const impatient = new OdooClient({ baseUrl: sim.url, timeoutMs: 150, maxRetries: 0 });
    sim.faults.failNext({ method: "version", error: "timeout" });
    await expect(impatient.version()).rejects.toMatchObject({ kind: "timeout" });
    const controller = new AbortController();
    sim.faults.failNext({ method: "version", error: "timeout" });
    const pending = client.version({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: "aborted" });
  });
});

describe("retry policy", () => {
  it("retries a read after a dropped connection", async () => {
    sim.faults.failNext({ service: "object", method: "search_count", error: "network" });
    expect(await admin.searchCount("res.company", [])).toBeGreaterThan(0);
    expect(sim.state.countCalls({ method: "search_count" })).toBe(2);
  });

  it("never retries an RPC error", async () => {
    sim.faults.failNext({ service: "object", method: "search_count", error: "UserError" });
    await expect(admin.searchCount("res.company", [])).rejects.toBeInstanceOf(OdooUserError);
    expect(sim.state.countCalls({ method: "search_count" })).toBe(1);
  });

  it("does not retry a write whose connection dropped after it was sent", async () => {
    sim.faults.failNext({ service: "object", method: "create", model: "res.partner", error: "network", applied: true });
    await expect(admin.create("res.partner", { name: "Once", ref: "retry-once" })).rejects.toMatchObject({ kind: "network" });
    expect(sim.state.countCalls({ method: "create", model: "res.partner" })).toBe(1);
    expect(
      sim.state
        .database("main")
        .records("res.partner")
        .filter((p) => p.ref === "retry-once"),
    ).toHaveLength(1);
  });

  it("does not retry a write that timed out", async () => {
    const quick = new OdooClient({ baseUrl: sim.url, timeoutMs: 150, retryBaseDelayMs: 1 }).session({ db: "main", uid: 2, secret: "admin-pw" });
    sim.faults.failNext({ service: "object", method: "create", error: "timeout", applied: true });
    await expect(quick.create("res.partner", { name: "Slow", ref: "retry-slow" })).rejects.toMatchObject({ kind: "timeout" });
    expect(sim.state.countCalls({ method: "create" })).toBe(1);
    expect(
      sim.state
        .database("main")
        .records("res.partner")
        .filter((p) => p.ref === "retry-slow"),
    ).toHaveLength(1);
  });

  it("retries a write refused before connecting (ECONNREFUSED)", async () => {
    const patient = new OdooClient({ baseUrl: sim.url, maxRetries: 6, retryBaseDelayMs: 60 }).session({ db: "main", uid: 2, secret: "admin-pw" });
    await sim.faults.goOffline(100);
    const id = await patient.create("res.partner", { name: "Refused first", ref: "retry-refused" });
    expect(
      sim.state
        .database("main")
        .records("res.partner")
        .filter((p) => p.ref === "retry-refused")
        .map((p) => p.id),
    ).toEqual([id]);
    expect(sim.state.countCalls({ method: "create" })).toBe(1);
  });

  it("gives up after the retry budget", async () => {
    const twice = new OdooClient({ baseUrl: sim.url, maxRetries: 1, retryBaseDelayMs: 1 }).session({ db: "main", uid: 2, secret: "admin-pw" });
    sim.faults.failNext({ method: "search", error: "network", times: 3 });
    await expect(twice.search("res.partner", [])).rejects.toMatchObject({ kind: "network" });
    expect(sim.state.countCalls({ method: "search" })).toBe(2);
  });
});
