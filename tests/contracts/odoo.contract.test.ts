import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooAccessDenied, OdooClient } from "~/odoo/client.server";
import { startOdooSimulator, type OdooSimulator } from "../sims/odoo/index";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, sendDocumented, type DocumentedExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer, type RecordingServer } from "./support/recording-server";

/*
 * Odoo's JSON-RPC, as documented and as its source answers:
 * - the request envelope `{"jsonrpc":"2.0","method":"call","params":{service,method,args},"id"}` posted to /jsonrpc,
 *   and the `common.login` / `object.execute_kw` calls: the "JSON-RPC Library" example of
 *   https://www.odoo.com/documentation/17.0/developer/howtos/web_services.html and
 *   https://www.odoo.com/documentation/17.0/developer/reference/external_api.html (search_read with fields and limit)
 * - the answer `{"jsonrpc","id","result"}` and, for an exception, HTTP 200 with
 *   `{"error":{"code":200,"message":"Odoo Server Error","data":serialize_exception(e)}}`:
 *   https://github.com/odoo/odoo/blob/17.0/odoo/http.py (JsonRPCDispatcher, serialize_exception)
 * - `common.version`'s fields: https://github.com/odoo/odoo/blob/17.0/odoo/service/common.py (exp_version)
 */
const login = loadExchange("odoo", "login");
const version = loadExchange("odoo", "version");
const searchRead = loadExchange("odoo", "search-read");
const accessDenied = loadExchange("odoo", "error-access-denied");

const closeAfterTest = closedAfterEach();

async function clientAgainstDocs(exchange: DocumentedExchange) {
  const server = closeAfterTest(await startRecordingServer(() => exchange.response));
  return { server, client: new OdooClient({ baseUrl: server.url, maxRetries: 0 }) };
}

function expectDocumentedRequest(server: RecordingServer, exchange: DocumentedExchange) {
  const [sent] = server.requests;
  expect(sent).toMatchObject({ method: exchange.request.method, path: exchange.request.path, query: {} });
  expect(sent!.headers["content-type"]).toBe("application/json");
  expect(sent!.body).toEqual(exchange.request.body);
}

describe("Odoo client against Odoo's documented JSON-RPC", () => {
  it("logs in with the documented call and reads the uid", async () => {
    const { server, client } = await clientAgainstDocs(login);
    expect(await client.login("openacademy", "admin", "admin")).toBe(2);
    expectDocumentedRequest(server, login);
  });

  it("asks for the version with the documented call and reads its fields", async () => {
    const { server, client } = await clientAgainstDocs(version);
    expect(await client.version()).toEqual((version.response.body as { result: unknown }).result);
    expectDocumentedRequest(server, version);
  });

  it("runs search_read through execute_kw with the documented arguments and reads the records", async () => {
    const { server, client } = await clientAgainstDocs(searchRead);
    const session = client.session({ db: "openacademy", uid: 2, secret: "admin" });
    const rows = await session.searchRead("res.partner", [["is_company", "=", true]], { fields: ["name"], limit: 5 });
    expect(rows).toEqual([{ id: 1, name: "YourCompany" }]);
    expectDocumentedRequest(server, searchRead);
  });

  it("raises the documented AccessDenied error as OdooAccessDenied", async () => {
    const { client } = await clientAgainstDocs(accessDenied);
    const session = client.session({ db: "openacademy", uid: 2, secret: "wrong" });
    await expect(session.searchRead("res.partner", [], { fields: ["name"], limit: 1 })).rejects.toSatisfy(
      (e) => e instanceof OdooAccessDenied && e.odooName === "odoo.exceptions.AccessDenied" && e.code === 200,
    );
  });
});

describe("Odoo simulator against Odoo's documented JSON-RPC", () => {
  let sim: OdooSimulator;
  beforeAll(async () => {
    sim = await startOdooSimulator({ databases: [{ name: "openacademy", adminLogin: "admin", adminPassword: "admin" }] });
  });
  afterAll(() => sim.stop());

  const send = (exchange: DocumentedExchange) => sendDocumented(sim.url, exchange);

  it("answers the documented login, version and search_read calls in the documented envelope", async () => {
    for (const exchange of [login, version, searchRead]) {
      const res = await send(exchange);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty("error");
      expect(shapeMismatches(res.body, exchange.response.body)).toEqual([]);
    }
    // The administrator is user 2 in every Odoo database (user 1 is OdooBot/__system__).
    expect((await send(login)).body.result).toBe(2);
  });

  it("answers a wrong password with the documented AccessDenied error, on HTTP 200", async () => {
    const res = await send(accessDenied);
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, accessDenied.response.body)).toEqual([]);
    expect(res.body.error).toMatchObject({ code: 200, message: "Odoo Server Error", data: { name: "odoo.exceptions.AccessDenied" } });
  });
});
