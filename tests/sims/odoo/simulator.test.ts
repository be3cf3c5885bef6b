import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOdooSimulator, type OdooSimulator } from "./index";

/** The simulator's wire behaviour, checked with raw HTTP (no client in between). */

let sim: OdooSimulator;
let nextId = 1;

beforeAll(async () => {
  sim = await startOdooSimulator({ masterPassword: "master", databases: [{ name: "db1", adminPassword: "pw", modules: ["auth_oauth", "sales_team"] }] });
});
afterAll(() => sim.stop());

async function post(body: string, contentType = "application/json") {
  const res = await fetch(`${sim.url}/jsonrpc`, { method: "POST", headers: { "content-type": contentType }, body });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

async function rpc(service: string, method: string, args: unknown[]) {
  const id = nextId++;
  const res = await post(JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id }));
  expect(res.status).toBe(200);
  const json = JSON.parse(res.text) as {
    id: number;
    result?: unknown;
    error?: { code: number; message: string; data: { name: string; message: string; arguments: unknown[] } };
  };
  expect(json.id).toBe(id);
  return json;
}

const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, uid = 2, password = "pw") =>
  rpc("object", "execute_kw", ["db1", uid, password, model, method, args, kwargs]);

const ok = async (p: ReturnType<typeof rpc>) => {
  const json = await p;
  expect(json.error).toBeUndefined();
  return json.result;
};
const err = async (p: ReturnType<typeof rpc>) => {
  const json = await p;
  expect(json.error).toMatchObject({ code: 200, message: "Odoo Server Error" });
  return json.error!.data;
};

describe("transport", () => {
  it("answers 400 for bodies that are not JSON objects", async () => {
    expect(await post("{nope")).toMatchObject({ status: 400, text: expect.stringContaining("Invalid JSON data") });
    expect(await post("[1,2]")).toMatchObject({ status: 400, text: expect.stringContaining("Invalid JSON-RPC data") });
    expect((await post("{}", "text/plain")).status).toBe(400);
  });

  it("echoes any id, and null when there is none", async () => {
    const res = await post(JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service: "common", method: "version", args: [] }, id: "abc" }));
    expect(JSON.parse(res.text)).toMatchObject({ id: "abc", result: { server_serie: "17.0" } });
    const noId = await post(JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service: "common", method: "version", args: [] } }));
    expect(JSON.parse(noId.text).id).toBeNull();
  });

  it("omits `result` when the method returns None", async () => {
    const json = await kw("ir.config_parameter", "get_param", ["missing", null]);
    expect("result" in json).toBe(false);
    expect("error" in json).toBe(false);
  });

  it("names unknown services, common and object methods like Odoo", async () => {
    expect(await err(rpc("nope", "x", []))).toMatchObject({ name: "builtins.KeyError", message: "'nope'", arguments: ["nope"] });
    expect(await err(rpc("common", "nope", []))).toMatchObject({ name: "builtins.Exception", message: "Method not found: nope" });
    expect(await err(rpc("object", "nope", []))).toMatchObject({ name: "builtins.NameError", message: "Method not available nope" });
    expect(await err(rpc("db", "nope", []))).toMatchObject({ name: "builtins.KeyError", message: "'Method not found: nope'" });
  });
});

describe("common and db services", () => {
  it("authenticates to false on bad credentials and fails on an unknown database", async () => {
    expect(await ok(rpc("common", "authenticate", ["db1", "admin", "pw", {}]))).toBe(2);
    expect(await ok(rpc("common", "authenticate", ["db1", "admin", "bad", {}]))).toBe(false);
    expect(await ok(rpc("common", "login", ["db1", "nobody", "pw"]))).toBe(false);
    expect((await err(rpc("common", "authenticate", ["ghost", "admin", "pw", {}]))).name).toBe("psycopg2.OperationalError");
  });

  it("guards management calls with the master password", async () => {
    expect(await err(rpc("db", "create_database", ["wrong", "db2", false, "en_US", "pw"]))).toMatchObject({
      name: "odoo.exceptions.AccessDenied",
      arguments: ["Access Denied"],
    });
    expect(await ok(rpc("db", "create_database", ["master", "db2", false, "en_US", "pw2", "boss@db2.example", "SG"]))).toBe(true);
    expect(await err(rpc("db", "create_database", ["master", "db2", false, "en_US", "pw2"]))).toMatchObject({
      name: "odoo.service.db.DatabaseExists",
      message: "database 'db2' already exists!",
    });
    expect(await ok(rpc("db", "list", []))).toEqual(["db1", "db2"]);
    expect(await ok(rpc("db", "db_exist", ["db2"]))).toBe(true);
    expect(await ok(rpc("common", "authenticate", ["db2", "boss@db2.example", "pw2", {}]))).toBe(2);
    expect(sim.state.database("db2").get("res.company", 1)!.email).toBe("boss@db2.example");
    expect(await ok(rpc("db", "drop", ["master", "db2"]))).toBe(true);
    expect(await ok(rpc("db", "drop", ["master", "db2"]))).toBe(false);
    expect(await ok(rpc("db", "server_version", []))).toBe("17.0");
  });

  it("hides the database list when list_db is off", async () => {
    const locked = await startOdooSimulator({ listDb: false, masterPassword: "m" });
    try {
      const res = await fetch(`${locked.url}/jsonrpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service: "db", method: "list", args: [] }, id: 1 }),
      });
      expect(((await res.json()) as { error: { data: { name: string } } }).error.data.name).toBe("odoo.exceptions.AccessDenied");
    } finally {
      await locked.stop();
    }
  });
});

describe("object service", () => {
  it("checks credentials, private names, models and methods in Odoo's order", async () => {
    expect((await err(kw("res.partner", "search", [[]], {}, 2, "bad"))).name).toBe("odoo.exceptions.AccessDenied");
    expect((await err(kw("res.partner", "init", []))).message).toBe("Private methods (such as init) cannot be called remotely.");
    expect(await err(kw("x.y", "search", [[]]))).toMatchObject({ name: "odoo.exceptions.UserError", message: "Object x.y doesn't exist" });
    expect((await err(kw("res.partner", "nope", [[]]))).name).toBe("builtins.AttributeError");
    expect((await err(kw("res.partner", "search", [[]], { bogus: 1 }))).name).toBe("builtins.TypeError");
  });

  it("evaluates domains with prefix operators, like, in, comparisons and active_test", async () => {
    const ids = (await ok(
      kw("res.partner", "create", [
        [
          { name: "Dom Alpha", ref: "D-1", city: "Singapore", is_company: true },
          { name: "Dom Beta", ref: "D-2", city: "Johor", is_company: true },
          { name: "dom gamma", ref: "D_3", active: false },
        ],
      ]),
    )) as number[];
    const search = (domain: unknown[], kwargs: Record<string, unknown> = {}) => ok(kw("res.partner", "search", [domain], { order: "id asc", ...kwargs }));
    expect(await search([["ref", "=like", "D-%"]])).toEqual(ids.slice(0, 2));
    expect(await search([["name", "ilike", "dom"]], { context: { active_test: false } })).toEqual(ids);
    expect(await search([["ref", "=like", "D\\_3"]], { context: { active_test: false } })).toEqual([ids[2]]);
    // Odoo 17 (odoo/osv/expression.py, __leaf_to_sql) passes an `=ilike` value to ILIKE as it is, with no ESCAPE clause:
    // `_` and `%` are wildcards, case is ignored, and `\` (Postgres's default escape) makes either literal.
    expect(await search([["ref", "=ilike", "d_%"]], { context: { active_test: false } })).toEqual(ids);
    expect(await search([["ref", "=ilike", "d\\_%"]], { context: { active_test: false } })).toEqual([ids[2]]);
    expect(await search([["name", "=ilike", "DOM _AMMA"]], { context: { active_test: false } })).toEqual([ids[2]]);
    expect(await search(["|", ["city", "=", "Johor"], ["ref", "=", "D-1"]])).toEqual(ids.slice(0, 2));
    expect(await search(["!", ["city", "=", "Johor"], ["ref", "in", ["D-1", "D-2"]]])).toEqual([ids[0]]);
    expect(
      await search([
        ["ref", "in", ["D-1", "D-2", "D_3"]],
        ["active", "in", [true, false]],
      ]),
    ).toEqual(ids);
    expect(
      await search([
        ["id", ">=", ids[1]],
        ["ref", "like", "D"],
      ]),
    ).toEqual([ids[1]]);
    expect(await search([["ref", "like", "D"]], { order: "name desc", limit: 1, offset: 1 })).toEqual([ids[0]]);
    expect(await ok(kw("res.partner", "search_count", [[["ref", "like", "D"]]], { context: { active_test: false } }))).toBe(3);
    expect((await err(kw("res.partner", "search", [[["nope", "=", 1]]]))).name).toBe("builtins.ValueError");
  });

  it("stamps one create_date per call and formats many2one as [id, name]", async () => {
    const ids = (await ok(kw("res.partner", "create", [[{ name: "Stamp A" }, { name: "Stamp B", parent_id: 1 }]]))) as number[];
    const rows = (await ok(kw("res.partner", "read", [ids, ["create_date", "write_date", "parent_id", "display_name"]]))) as Array<Record<string, unknown>>;
    expect(rows[0]!.create_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rows[0]!.create_date).toBe(rows[1]!.create_date);
    expect(rows[1]).toMatchObject({ parent_id: [1, "My Company"], display_name: "My Company, Stamp B" });
    expect(rows[0]!.parent_id).toBe(false);
    expect(await ok(kw("res.partner", "write", [ids, { create_date: "2000-01-01 00:00:00", name: "Stamped" }]))).toBe(true);
    expect(sim.state.database("db1").get("res.partner", ids[0]!)!.create_date).toBe(rows[0]!.create_date);
  });

  it("keeps res.partner rules: website scheme, contact names, rollback of a failed batch", async () => {
    const id = await ok(kw("res.partner", "create", [{ name: "Web", website: "example.com" }]));
    expect(await ok(kw("res.partner", "read", [[id], ["website"]]))).toEqual([{ id, website: "http://example.com" }]);
    expect(await err(kw("res.partner", "create", [{ email: "x@y.z" }]))).toMatchObject({
      name: "odoo.exceptions.ValidationError",
      message: "The operation cannot be completed: Contacts require a name",
    });
    const before = sim.state.database("db1").records("res.partner").length;
    await err(kw("res.partner", "create", [[{ name: "ok" }, { type: "contact" }]]));
    expect(sim.state.database("db1").records("res.partner")).toHaveLength(before);
  });

  it("links a new company to its creator and the superuser only", async () => {
    const db = sim.state.database("db1");
    const other = (await ok(
      kw("res.users", "create", [{ name: "Other admin", login: "other", password: "o", groups_id: [[6, 0, [db.ref("base.group_erp_manager")]]] }]),
    )) as number;
    const company = (await ok(kw("res.company", "create", [{ name: "Sub Co" }], {}, other, "o"))) as number;
    expect(db.get("res.users", other)!.company_ids).toContain(company);
    expect(db.get("res.users", 1)!.company_ids).toContain(company);
    expect(db.get("res.users", 2)!.company_ids).not.toContain(company);
    const partnerId = db.get("res.company", company)!.partner_id as number;
    expect(db.get("res.partner", partnerId)).toMatchObject({ name: "Sub Co", is_company: true });
  });

  it("enforces res.users rules: unique login, allowed company, template groups, write-only password, oauth uniqueness", async () => {
    const db = sim.state.database("db1");
    const uid = (await ok(kw("res.users", "create", [{ name: "U", login: "u1", password: "secret" }]))) as number;
    expect(db.hasGroup(uid, "sales_team.group_sale_manager")).toBe(true);
    expect(await ok(kw("res.users", "read", [[uid], ["password"]]))).toEqual([{ id: uid, password: "" }]);
    expect(await ok(rpc("common", "authenticate", ["db1", "u1", "secret", {}]))).toBe(uid);
    expect((await err(kw("res.users", "create", [{ name: "Dup", login: "u1" }]))).message).toBe(
      "The operation cannot be completed: You can not have two users with the same login !",
    );
    const companyId = (await ok(kw("res.company", "create", [{ name: "Elsewhere" }]))) as number;
    expect((await err(kw("res.users", "create", [{ name: "Bad", login: "u2", company_id: companyId, company_ids: [[6, 0, [1]]] }]))).name).toBe(
      "odoo.exceptions.ValidationError",
    );
    const provider = db.xmlId("auth_oauth.provider_openerp");
    await ok(kw("res.users", "create", [{ name: "O1", login: "o1", oauth_provider_id: provider, oauth_uid: "s1", groups_id: [[6, 0, []]] }]));
    expect((await err(kw("res.users", "create", [{ name: "O2", login: "o2", oauth_provider_id: provider, oauth_uid: "s1" }]))).message).toContain(
      "OAuth UID must be unique per provider",
    );
  });

  it("applies access rights: a plain user cannot touch settings or companies", async () => {
    const db = sim.state.database("db1");
    const uid = (await ok(
      kw("res.users", "create", [{ name: "Plain", login: "plain", password: "p", groups_id: [[6, 0, [db.ref("base.group_user")]]] }]),
    )) as number;
    expect((await err(kw("res.company", "create", [{ name: "Nope" }], {}, uid, "p"))).name).toBe("odoo.exceptions.AccessError");
    expect((await err(kw("ir.config_parameter", "get_param", ["web.base.url"], {}, uid, "p"))).name).toBe("odoo.exceptions.AccessError");
    expect((await err(kw("res.partner", "create", [{ name: "Nope" }], {}, uid, "p"))).name).toBe("odoo.exceptions.AccessError");
    expect(await ok(kw("res.partner", "search_count", [[]], {}, uid, "p"))).toBeGreaterThan(0);
  });

  it("supports execute, fields_get, ir.model.data references and module installs", async () => {
    expect(await ok(rpc("object", "execute", ["db1", 2, "pw", "res.partner", "search_count", [["id", "=", 1]]]))).toBe(1);
    expect(await ok(kw("res.partner", "fields_get", [["ref", "parent_id"]], { attributes: ["type", "relation"] }))).toEqual({
      ref: { type: "char" },
      parent_id: { type: "many2one", relation: "res.partner" },
    });
    expect(await ok(kw("ir.model.data", "check_object_reference", ["base", "group_system"]))).toEqual([
      "res.groups",
      sim.state.database("db1").xmlId("base.group_system"),
    ]);
    expect((await err(kw("ir.model.data", "check_object_reference", ["base", "nope"]))).name).toBe("builtins.ValueError");
    const [mod] = (await ok(kw("ir.module.module", "search_read", [[["name", "=", "crm"]]], { fields: ["state"] }))) as Array<{ id: number; state: string }>;
    expect(mod!.state).toBe("uninstalled");
    expect(await ok(kw("ir.module.module", "button_immediate_install", [[mod!.id]]))).toEqual({ type: "ir.actions.act_url", target: "self", url: "/web" });
    expect(sim.state.database("db1").isInstalled("contacts")).toBe(true);
  });
});

describe("persistence", () => {
  it("restores databases from its state file after a restart", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = `${mkdtempSync(`${tmpdir()}/odoo-sim-`)}/state.json`;
    const first = await startOdooSimulator({ statePath: path, databases: [{ name: "keep", adminPassword: "pw" }] });
    const created = await fetch(`${first.url}/jsonrpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "call",
        params: {
          service: "object",
          method: "execute_kw",
          args: ["keep", 2, "pw", "res.users", "create", [{ name: "Kept", login: "kept", password: "kept-pw" }]],
        },
        id: 1,
      }),
    });
    const uid = ((await created.json()) as { result: number }).result;
    await first.stop();
    const second = await startOdooSimulator({ statePath: path, databases: [{ name: "keep", adminPassword: "other" }] });
    try {
      expect(second.state.database("keep").authenticate("kept", "kept-pw")).toBe(uid);
      expect(second.state.database("keep").authenticate("admin", "pw")).toBe(2);
    } finally {
      await second.stop();
    }
  });
});

describe("faults", () => {
  it("injects RPC errors and HTTP 500 for matching calls only, and counts calls", async () => {
    sim.state.resetCalls();
    sim.faults.failNext({ service: "object", method: "search_count", model: "res.company", error: "AccessDenied", times: 2 });
    expect((await err(kw("res.company", "search_count", [[]]))).name).toBe("odoo.exceptions.AccessDenied");
    expect(await ok(kw("res.partner", "search_count", [[]]))).toBeGreaterThan(0);
    expect((await err(kw("res.company", "search_count", [[]]))).name).toBe("odoo.exceptions.AccessDenied");
    expect(await ok(kw("res.company", "search_count", [[]]))).toBeGreaterThan(0);
    sim.faults.failNext({ method: "version", error: "http500" });
    const res = await post(JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service: "common", method: "version", args: [] }, id: 1 }));
    expect(res.status).toBe(500);
    expect(sim.state.countCalls({ model: "res.company", method: "search_count" })).toBe(3);
    expect(sim.faults.pending()).toEqual([]);
  });
});

describe("per-call latency", () => {
  it("asks callLatencyMs about every call, described like the call log", async () => {
    const asked: unknown[] = [];
    const slow = await startOdooSimulator({ masterPassword: "m", callLatencyMs: (call) => (asked.push(call), call.method === "create_database" ? 1 : 0) });
    try {
      const send = (service: string, method: string, args: unknown[]) =>
        fetch(`${slow.url}/jsonrpc`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id: 1 }),
        }).then((r) => r.json() as Promise<{ result?: unknown }>);
      expect((await send("db", "create_database", ["m", "t1", false, "en_US", "pw"])).result).toBe(true);
      expect((await send("common", "authenticate", ["t1", "admin", "pw", {}])).result).toBe(2);
      expect(asked).toEqual([
        { service: "db", method: "create_database" },
        { service: "common", method: "authenticate", db: "t1" },
      ]);
    } finally {
      await slow.stop();
    }
  });
});
