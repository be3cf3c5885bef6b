import { OdooClient, type OdooSession } from "~/odoo/client.server";
import { REQUIRED_MODULES } from "~/odoo/module-install.server";
import { startOdooSimulator, type OdooSimulator, type SimDatabase } from "../sims/odoo";
import { ODOO_DB } from "./lead-push-fixtures";

/** An Odoo simulator with the CRM installed, its administrator's session, and its database for seeding and checking. */
export async function startCrmOdoo(): Promise<{ sim: OdooSimulator; admin: OdooSession; odoo: SimDatabase }> {
  const sim = await startOdooSimulator({ databases: [{ name: ODOO_DB, adminPassword: "admin-pw", modules: [...REQUIRED_MODULES, "crm"] }] });
  const admin = await new OdooClient({ baseUrl: sim.url }).connect(ODOO_DB, "admin", "admin-pw");
  return { sim, admin, odoo: sim.state.database(ODOO_DB) };
}
