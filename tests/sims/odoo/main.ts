import { parseArgs } from "node:util";
import { z } from "zod";
import { companiesWithoutCrm, linkDemoSalespeople, seedDemoCrm } from "./demo-crm";
import { startOdooSimulator } from "./server";

/**
 * Standalone Odoo simulator for the dev runner:
 *   npx tsx tests/sims/odoo/main.ts --port 8069 --master-password admin \
 *     [--version 17.0] [--db odoo --admin-login admin --admin-password admin] [--latency-ms 20] \
 *     [--state-file .data/odoo-sim.json] [--demo-crm [--demo-salespeople '{"Acme":[{"seat":0,"name":…,"email":…,"oauthUid":…}]}']]
 * With --db, that database exists at start (auth_oauth, sales_team and contacts
 * installed), ready for company_per_tenant mode. With --state-file, databases
 * survive restarts. With --demo-crm, crm is installed too and every company
 * created later (a tenant's, at its provisioning) is filled with demo CRM data
 * (a few hundred partners, 1,000 leads, two sales teams, activities); with
 * --demo-salespeople, the named company's seats are those people, linked to
 * the identity provider once its OAuth provider exists. Prints `{"ready": "<url>"}` for the dev runner; stops on
 * SIGINT/SIGTERM or when stdin closes (the runner died).
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8069" },
    host: { type: "string", default: "127.0.0.1" },
    "master-password": { type: "string", default: "admin" },
    version: { type: "string", default: "17.0" },
    db: { type: "string" },
    "admin-login": { type: "string", default: "admin" },
    "admin-password": { type: "string", default: "admin" },
    "latency-ms": { type: "string", default: "0" },
    "state-file": { type: "string" },
    "demo-crm": { type: "boolean", default: false },
    "demo-salespeople": { type: "string", default: "{}" },
  },
});

const salespeopleByCompany = z
  .record(z.string(), z.array(z.object({ seat: z.number().int().min(0), name: z.string().min(1), email: z.email(), oauthUid: z.string().min(1) })))
  .parse(JSON.parse(values["demo-salespeople"]));

if (values.version !== "17.0" && values.version !== "18.0") {
  console.error("--version must be 17.0 or 18.0");
  process.exit(1);
}

const demoCrm = values["demo-crm"];
const modules = ["auth_oauth", "sales_team", "contacts", ...(demoCrm ? ["crm"] : [])];

const simulator = await startOdooSimulator({
  port: Number(values.port),
  host: values.host,
  masterPassword: values["master-password"],
  version: values.version,
  latencyMs: Number(values["latency-ms"]),
  statePath: values["state-file"],
  databases: values.db ? [{ name: values.db, adminLogin: values["admin-login"], adminPassword: values["admin-password"], modules }] : [],
  afterWrite: demoCrm
    ? (db) => {
        for (const companyId of companiesWithoutCrm(db)) {
          const company = db.get("res.company", companyId)?.name;
          // The company's name seeds its customers, so the Graph simulator's demo meetings can invite their people.
          seedDemoCrm(db, {
            companyId,
            accountsSeed: typeof company === "string" ? company : undefined,
            salespeople: typeof company === "string" ? salespeopleByCompany[company] : undefined,
          });
        }
        linkDemoSalespeople(db);
      }
    : undefined,
});
process.stdout.write(`${JSON.stringify({ ready: simulator.url })}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  void simulator.stop().then(() => process.exit(0));
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
