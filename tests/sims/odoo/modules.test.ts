import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODULE_FAULTS_PATH, startOdooSimulator, type OdooSimulator } from "./index";

/** The simulated module registry over raw JSON-RPC: Odoo's install/uninstall semantics and the install-failure hook. */

let sim: OdooSimulator;
let nextId = 1;

beforeAll(async () => {
  sim = await startOdooSimulator({ databases: [{ name: "mods", adminPassword: "pw", modules: ["sales_team"] }] });
});
afterAll(() => sim.stop());

type RpcAnswer = { result?: unknown; error?: { data: { name: string; message: string } } };

async function kw(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<RpcAnswer> {
  const body = {
    jsonrpc: "2.0",
    method: "call",
    id: nextId++,
    params: { service: "object", method: "execute_kw", args: ["mods", 2, "pw", model, method, args, kwargs] },
  };
  const res = await fetch(`${sim.url}/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await res.json()) as RpcAnswer;
}

async function states(...names: string[]): Promise<Record<string, string>> {
  const { result } = await kw("ir.module.module", "search_read", [[["name", "in", names]]], { fields: ["name", "state"] });
  return Object.fromEntries((result as Array<{ name: string; state: string }>).map((r) => [r.name, r.state]));
}

async function idOf(name: string): Promise<number> {
  const { result } = await kw("ir.module.module", "search", [[["name", "=", name]]]);
  return (result as number[])[0]!;
}

describe("ir.module.module", () => {
  it("installs a module with its uninstalled dependencies in one call", async () => {
    expect(await states("crm", "contacts", "crm_lead_code")).toEqual({ crm: "uninstalled", contacts: "uninstalled", crm_lead_code: "uninstalled" });
    expect((await kw("ir.module.module", "button_immediate_install", [[await idOf("crm_lead_code")]])).result).toEqual({
      type: "ir.actions.act_url",
      target: "self",
      url: "/web",
    });
    expect(await states("crm", "contacts", "crm_lead_code")).toEqual({ crm: "installed", contacts: "installed", crm_lead_code: "installed" });
  });

  it("names each module's dependencies in ir.module.module.dependency", async () => {
    const { result } = await kw("ir.module.module", "search_read", [[["name", "=", "crm_lead_code"]]], { fields: ["author", "dependencies_id"] });
    const [row] = result as Array<{ author: string; dependencies_id: number[] }>;
    expect(row!.author).toContain("Odoo Community Association (OCA)");
    const deps = await kw("ir.module.module.dependency", "read", [row!.dependencies_id], { fields: ["name", "state", "depend_id"] });
    expect(deps.result).toEqual([{ id: row!.dependencies_id[0], name: "crm", state: "installed", depend_id: [await idOf("crm"), "crm"] }]);
  });

  it("uninstalls a module with the installed modules that depend on it, and refuses one already uninstalled", async () => {
    await kw("ir.module.module", "button_immediate_uninstall", [[await idOf("crm")]]);
    expect(await states("crm", "crm_lead_code", "contacts")).toEqual({ crm: "uninstalled", crm_lead_code: "uninstalled", contacts: "installed" });
    const again = await kw("ir.module.module", "button_immediate_uninstall", [[await idOf("crm")]]);
    expect(again.error?.data).toMatchObject({ name: "odoo.exceptions.UserError", message: expect.stringContaining("already been uninstalled") });
    const base = await kw("ir.module.module", "button_immediate_uninstall", [[await idOf("base")]]);
    expect(base.error?.data.message).toBe("Those modules cannot be uninstalled: base");
  });

  it("refuses to install an uninstallable module with a UserError", async () => {
    const answer = await kw("ir.module.module", "button_immediate_install", [[await idOf("crm_phonecall")]]);
    expect(answer.error?.data).toMatchObject({
      name: "odoo.exceptions.UserError",
      message: 'You try to install module "crm_phonecall" that is not installable.',
    });
    expect(await states("crm_phonecall")).toEqual({ crm_phonecall: "uninstallable" });
  });

  it("fails an install for the company a fault names, rolling the whole install back, and lets other companies install", async () => {
    const company = (await kw("res.company", "create", [{ name: "Second" }])).result as number;
    await kw("res.users", "write", [[2], { company_ids: [[4, company]] }]);
    const control = (method: string, body: unknown) =>
      fetch(`${sim.url}${MODULE_FAULTS_PATH}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await control("POST", { db: "mods", module: "crm_lead_code", companyId: company })).status).toBe(200);

    const failed = await kw("ir.module.module", "button_immediate_install", [[await idOf("crm_lead_code")]], { context: { allowed_company_ids: [company] } });
    expect(failed.error?.data).toMatchObject({ name: "odoo.exceptions.UserError", message: expect.stringContaining('"crm_lead_code" could not be installed') });
    expect(await states("crm", "crm_lead_code")).toEqual({ crm: "uninstalled", crm_lead_code: "uninstalled" });

    expect(
      (await kw("ir.module.module", "button_immediate_install", [[await idOf("crm_lead_code")]], { context: { allowed_company_ids: [1] } })).error,
    ).toBeUndefined();
    expect(await states("crm", "crm_lead_code")).toEqual({ crm: "installed", crm_lead_code: "installed" });
    await control("DELETE", { db: "mods" });
  });
});
