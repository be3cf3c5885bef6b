import { parseArgs } from "node:util";
import { z } from "zod";
import { stopOnExit } from "../stop-on-exit";
import { demoDirectoryId } from "./directory";
import { startGraphSimulator } from "./server";

/**
 * Standalone Microsoft Graph simulator for the dev runner:
 *   npx tsx tests/sims/graph/main.ts --port 4810 --tenants acme,globex=<directory id> \
 *     [--client-id nexius-lake-dev --client-secret dev-secret] [--seed 42] [--crm-accounts '{"acme":"Acme"}']
 * Serves one demo directory per tenant slug (id as given after "=", else
 * `demoDirectoryId(slug)`; domain `<slug>.onmicrosoft.com`), all consenting to the same app
 * registration, as real customer directories consent to ours. `--crm-accounts`
 * gives, per slug, the seed of the tenant's demo CRM customers in the Odoo
 * simulator (the company's name), whose people the demo meetings invite. The simulator is
 * both hosts: point MS_GRAPH_BASE_URL and MS_LOGIN_BASE_URL at it. Prints
 * `{"ready":"<url>"}` and then `{"directories": {"<slug>": "<directory id>"}}`; stops on
 * SIGINT/SIGTERM or when stdin closes (the runner died).
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4810" },
    host: { type: "string", default: "127.0.0.1" },
    tenants: { type: "string", default: "acme,globex" },
    "client-id": { type: "string", default: "nexius-lake-dev" },
    "client-secret": { type: "string", default: "dev-secret" },
    seed: { type: "string", default: "42" },
    "crm-accounts": { type: "string", default: "{}" },
  },
});

const tenants = values.tenants
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean)
  .map((entry) => {
    const [slug, directoryId] = entry.split("=");
    return { slug: slug!, directoryId: directoryId || demoDirectoryId(slug!) };
  });
const crmAccounts = z.record(z.string(), z.string().min(1)).parse(JSON.parse(values["crm-accounts"]));
const simulator = await startGraphSimulator({
  port: Number(values.port),
  host: values.host,
  demo: {
    seed: values.seed,
    crmAccounts: Object.fromEntries(tenants.flatMap(({ slug, directoryId }) => (crmAccounts[slug] ? [[directoryId, crmAccounts[slug]]] : []))),
  },
  directories: tenants.map(({ slug, directoryId }) => ({
    directoryId,
    domain: `${slug}.onmicrosoft.com`,
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
  })),
});
process.stdout.write(`${JSON.stringify({ ready: simulator.url })}\n`);
process.stdout.write(`${JSON.stringify({ directories: Object.fromEntries(tenants.map((t) => [t.slug, t.directoryId])) })}\n`);

stopOnExit(() => simulator.close());
