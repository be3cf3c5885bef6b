import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOdooSimulator, type OdooSimulator } from "./index";

/**
 * The db service's dump and restore over raw JSON-RPC, as Odoo's
 * odoo/service/db.py answers them: dump returns base64 of a zip (dump.sql,
 * manifest.json), restore takes base64 data and refuses a database that exists.
 */
let sim: OdooSimulator;
let nextId = 1;

beforeAll(async () => {
  sim = await startOdooSimulator({ masterPassword: "master", databases: [{ name: "db1", adminPassword: "pw", modules: ["sales_team"] }] });
});
afterAll(() => sim.stop());

async function rpc(service: string, method: string, args: unknown[]) {
  const response = await fetch(`${sim.url}/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id: nextId++ }),
  });
  return (await response.json()) as { result?: unknown; error?: { data: { name: string; message: string } } };
}

/** The zip's entries and manifest, read by Python's zipfile rather than by the code that wrote it. */
function readZip(base64: string): { names: string[]; manifest: { db_name: string; odoo_dump: string; modules: Record<string, string> } } {
  const script =
    "import base64,json,sys,zipfile,io; z=zipfile.ZipFile(io.BytesIO(base64.b64decode(sys.stdin.read()))); print(json.dumps({'names': z.namelist(), 'manifest': json.loads(z.read('manifest.json'))}))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: base64 }).toString()) as ReturnType<typeof readZip>;
}

describe("db.dump and db.restore", () => {
  it("dumps a database as a base64 zip with its manifest, and restores it under another name", async () => {
    const dump = await rpc("db", "dump", ["master", "db1", "zip"]);
    const zip = readZip(dump.result as string);
    expect(zip.names).toEqual(["dump.sql", "manifest.json"]);
    expect(zip.manifest).toMatchObject({ odoo_dump: "1", db_name: "db1", modules: { base: "17.0", sales_team: "17.0" } });

    expect(await rpc("db", "restore", ["master", "db2", dump.result, false])).toEqual(expect.objectContaining({ result: true }));
    expect((await rpc("db", "list", [])).result).toEqual(["db1", "db2"]);
    expect((await rpc("common", "authenticate", ["db2", "admin", "pw", {}])).result).toBe(2);
  });

  it("refuses a restore over an existing database, a wrong master password, and a dump of a missing database", async () => {
    const dump = (await rpc("db", "dump", ["master", "db1", "zip"])).result;
    expect((await rpc("db", "restore", ["master", "db1", dump, false])).error?.data).toMatchObject({
      name: "builtins.Exception",
      message: "Database already exists",
    });
    expect((await rpc("db", "dump", ["wrong", "db1", "zip"])).error?.data.name).toBe("odoo.exceptions.AccessDenied");
    expect((await rpc("db", "restore", ["wrong", "db3", dump, false])).error?.data.name).toBe("odoo.exceptions.AccessDenied");
    expect((await rpc("db", "dump", ["master", "nope", "zip"])).error?.data.name).toBe("psycopg2.OperationalError");
  });
});
