import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooLakeConnector } from "~/lake/odoo/connector.server";
import { type OdooLakeEntity } from "~/lake/odoo/entities";
import { OdooClient } from "~/odoo/client.server";
import { startOdooSimulator, type OdooSimulator } from "../sims/odoo/index";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, sendDocumented, type DocumentedExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer, type RecordedRequest } from "./support/recording-server";

/*
 * What the data lake's Odoo connector sends and reads, held against Odoo's documentation:
 * - `search_read` with `fields` and `limit`, and `fields_get` with `attributes`: the "Search and read" and
 *   "List record fields" examples of https://www.odoo.com/documentation/17.0/developer/reference/external_api.html
 *   (search-read.json, fields-get.json);
 * - the same search_read extended with `order` and `context`, as the connector pages: `search_read(domain, fields,
 *   offset, limit, order)` in https://www.odoo.com/documentation/17.0/developer/reference/backend/orm.html#odoo.models.Model.search_read,
 *   `active_test` in the context to see archived records (the `active` reserved field,
 *   https://www.odoo.com/documentation/17.0/developer/reference/backend/orm.html#reserved-field-names), `lang` as in the
 *   external API's context examples; each record then carries the `write_date` magic field (search-read-incremental.json).
 */
const searchRead = loadExchange("odoo", "search-read-incremental");
const fieldsGet = loadExchange("odoo", "fields-get");

const closeAfterTest = closedAfterEach();

/** The documented partner search, as a lake entity: companies, name/country/comment. */
const documentedPartners: OdooLakeEntity[] = [{ model: "res.partner", fields: ["name", "country_id", "comment"], domain: () => [["is_company", "=", true]] }];

type Rpc = { params: { args: unknown[] } };
const argsOf = (exchange: DocumentedExchange) => (exchange.request.body as Rpc).params.args;

describe("Odoo lake connector against Odoo's documented JSON-RPC", () => {
  it("asks fields_get for the field types and pages search_read with fields, limit, order and context", async () => {
    const server = closeAfterTest(
      await startRecordingServer((request: RecordedRequest) => {
        const { id, params } = request.body as { id: number } & Rpc;
        const exchange = params.args[4] === "fields_get" ? fieldsGet : searchRead;
        const fields = { name: { type: "char" }, country_id: { type: "many2one" }, comment: { type: "html" }, write_date: { type: "datetime" } };
        const result = exchange === fieldsGet ? fields : (searchRead.response.body as { result: unknown }).result;
        return { status: 200, body: { jsonrpc: "2.0", id, result } };
      }),
    );
    const session = new OdooClient({ baseUrl: server.url, maxRetries: 0 }).session({ db: "openacademy", uid: 2, secret: "admin" });
    const connector = new OdooLakeConnector(session, { scope: { companyId: null }, pageSize: 5, entities: documentedPartners });

    const pages = [];
    for await (const page of connector.pages("res.partner", { mode: "full", cursor: null })) pages.push(page);

    const [fieldsCall, searchCall] = server.requests.map((r) => (r.body as Rpc).params.args);
    // the documented fields_get, asking for the type only, in the connector's context
    expect(fieldsCall).toEqual([...argsOf(fieldsGet).slice(0, 6), { attributes: ["type"], context: { lang: "en_US", active_test: false } }]);
    expect(searchCall).toEqual(argsOf(searchRead));
    expect(server.requests).toHaveLength(2);
    expect(pages).toEqual([
      {
        records: [
          {
            entity: "res.partner",
            sourceId: "7",
            version: "2024-01-15 10:42:03",
            payload: expect.objectContaining({ name: "Agrolait", country_id: [21, "Belgium"] }),
          },
          { entity: "res.partner", sourceId: "18", version: "2024-01-15 10:42:03", payload: expect.objectContaining({ name: "Axelor" }) },
        ],
        cursor: "2024-01-15 10:42:03,18",
      },
    ]);
  });
});

describe("Odoo simulator against the lake's documented calls", () => {
  let sim: OdooSimulator;
  beforeAll(async () => {
    sim = await startOdooSimulator({ databases: [{ name: "openacademy", adminLogin: "admin", adminPassword: "admin", countryCode: "SG" }] });
  });
  afterAll(() => sim.stop());

  const send = (exchange: DocumentedExchange) => sendDocumented(sim.url, exchange);

  it("answers the documented fields_get and the paged search_read in the documented shapes", async () => {
    for (const exchange of [fieldsGet, searchRead]) {
      const res = await send(exchange);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty("error");
      expect(shapeMismatches(res.body, exchange.response.body)).toEqual([]);
    }
    const rows = (await send(searchRead)).body.result as Array<{ write_date: string }>;
    expect(rows.map((r) => r.write_date)).toEqual([...rows.map((r) => r.write_date)].sort());
  });
});
