import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooClient, OdooUserError } from "~/odoo/client.server";
import { changeModule, readModules } from "~/odoo/modules.server";
import { startOdooSimulator, type OdooSimulator } from "../sims/odoo/index";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, sendDocumented, type DocumentedExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * Odoo's module registry over JSON-RPC, as odoo/addons/base/models/ir_module.py (17.0) answers it:
 * - `ir.module.module` rows with `name`, `shortdesc` (the module's title), `author`, `state` (uninstallable,
 *   uninstalled, installed, to upgrade, to remove, to install) and `dependencies_id`, the ids of its
 *   `ir.module.module.dependency` rows, each naming (`name`) a module it depends on (`module_id` is the dependent);
 * - `button_immediate_install` / `button_immediate_uninstall` on a list of ids: Odoo resolves dependencies itself
 *   (`_state_update`, `downstream_dependencies`), reloads its registry and answers `next()`, which is
 *   `{"type":"ir.actions.act_url","target":"self","url":"/web"}` when no configuration wizard waits;
 * - uninstalling a module that is not installed raises a UserError (HTTP 200 with the error envelope).
 */
const searchRead = loadExchange("odoo", "module-search-read");
const dependencyRead = loadExchange("odoo", "module-dependency-read");
const install = loadExchange("odoo", "module-immediate-install");
const uninstallError = loadExchange("odoo", "module-uninstall-error");

const closeAfterTest = closedAfterEach();

const params = (body: unknown) => (body as { params: unknown }).params;

async function clientAgainstDocs(...exchanges: DocumentedExchange[]) {
  // Each documented answer goes to the request that asks what its example asks (same params), under that request's id as JSON-RPC wants.
  const server = closeAfterTest(
    await startRecordingServer((request) => {
      const exchange = exchanges.find((e) => isDeepStrictEqual(params(e.request.body), params(request.body)));
      if (!exchange) return { status: 404 };
      return { status: exchange.response.status, body: { ...(exchange.response.body as object), id: (request.body as { id: unknown }).id } };
    }),
  );
  const client = new OdooClient({ baseUrl: server.url, maxRetries: 0 });
  return { server, session: client.session({ db: "openacademy", uid: 2, secret: "admin" }) };
}

describe("Odoo module client against Odoo's documented JSON-RPC", () => {
  it("reads a module with its dependencies' names and tells an OCA module by its author", async () => {
    const { server, session } = await clientAgainstDocs(searchRead, dependencyRead);
    expect(await readModules(session, { names: ["crm_lead_code"] })).toEqual([
      {
        id: 412,
        name: "crm_lead_code",
        summary: "Sequential Code for Leads / Opportunities",
        author: "Tecnativa, Odoo Community Association (OCA)",
        source: "oca",
        state: "uninstalled",
        dependencies: ["crm"],
      },
    ]);
    expect(server.requests.map((r) => params(r.body))).toEqual([params(searchRead.request.body), params(dependencyRead.request.body)]);
  });

  it("installs through button_immediate_install with the module's id, and raises Odoo's UserError of an uninstall", async () => {
    const module = { id: 412, name: "crm_lead_code", summary: "", author: "", source: "oca" as const, state: "uninstalled", dependencies: [] };
    const { server, session } = await clientAgainstDocs(install, uninstallError);
    await changeModule(session, module, "install");
    await expect(changeModule(session, module, "uninstall")).rejects.toBeInstanceOf(OdooUserError);
    expect(server.requests.map((r) => params(r.body))).toEqual([params(install.request.body), params(uninstallError.request.body)]);
  });
});

describe("Odoo simulator's module registry against Odoo's documented JSON-RPC", () => {
  let sim: OdooSimulator;
  beforeAll(async () => {
    sim = await startOdooSimulator({ databases: [{ name: "openacademy", adminLogin: "admin", adminPassword: "admin", modules: ["crm"] }] });
  });
  afterAll(() => sim.stop());

  const execute = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const body = {
      jsonrpc: "2.0",
      method: "call",
      params: { service: "object", method: "execute_kw", args: ["openacademy", 2, "admin", model, method, args, kwargs] },
      id: 9,
    };
    return sendDocumented(sim.url, { request: { method: "POST", path: "/jsonrpc", body }, response: { status: 200, body: null } });
  };

  it("answers the documented module and dependency reads in the documented shapes", async () => {
    const modules = await sendDocumented(sim.url, searchRead);
    expect(shapeMismatches(modules.body, searchRead.response.body)).toEqual([]);
    const [row] = modules.body.result as Array<{ id: number; dependencies_id: number[] }>;
    const deps = await execute("ir.module.module.dependency", "read", [row!.dependencies_id], { fields: ["name", "module_id"] });
    expect(shapeMismatches(deps.body, dependencyRead.response.body)).toEqual([]);
    expect((deps.body.result as Array<{ name: string }>).map((d) => d.name)).toEqual(["crm"]);
  });

  it("installs with the documented call and answers the documented action, then refuses a second uninstall with the documented UserError", async () => {
    const [row] = (await sendDocumented(sim.url, searchRead)).body.result as Array<{ id: number }>;
    const installed = await execute("ir.module.module", "button_immediate_install", [[row!.id]]);
    expect(installed.body.result).toEqual((install.response.body as { result: unknown }).result);
    expect((await execute("ir.module.module", "button_immediate_uninstall", [[row!.id]])).body).not.toHaveProperty("error");
    const again = await execute("ir.module.module", "button_immediate_uninstall", [[row!.id]]);
    expect(shapeMismatches(again.body, uninstallError.response.body)).toEqual([]);
    expect(again.body.error).toMatchObject({
      data: { name: "odoo.exceptions.UserError", message: (uninstallError.response.body as { error: { data: { message: string } } }).error.data.message },
    });
  });
});
