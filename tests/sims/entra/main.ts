import { parseArgs } from "node:util";
import { demoDirectoryId } from "../graph/directory";
import { stopOnExit } from "../stop-on-exit";
import { startEntraSimulator } from "./server";

/**
 * Standalone Microsoft Entra sign-in simulator for trying a tenant's own
 * Entra provider in development:
 *   npx tsx tests/sims/entra/main.ts --port 4820 --tenants acme,globex \
 *     [--client-id nexius-entra-dev --client-secret dev-entra-secret --app-url http://localhost:3000]
 * One directory per tenant slug (the same directory id as the Graph
 * simulator's, `demoDirectoryId(slug)`; users `admin@`, `ops@` and
 * `viewer@<slug>.entra.test` holding the app roles `Sales.Admin`,
 * `Sales.Ops`, `Sales.Viewer`), all consenting to one app registration whose
 * redirect URI is `<app-url>/auth/sso/callback`. ENTRA_SIM_BASE_URL sets the
 * public base URL the issuers name (the listening address otherwise). On a
 * tenant's SSO tab: the login host is that URL, the directory id is printed.
 * Prints `{"ready":"<url>","directories":{...}}`; stops on SIGINT/SIGTERM or
 * when stdin closes.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4820" },
    host: { type: "string", default: "127.0.0.1" },
    tenants: { type: "string", default: "acme,globex" },
    "client-id": { type: "string", default: "nexius-entra-dev" },
    "client-secret": { type: "string", default: "dev-entra-secret" },
    "app-url": { type: "string", default: process.env.APP_URL ?? "http://localhost:3000" },
  },
});

const slugs = values.tenants
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const ROLES = { admin: "Sales.Admin", ops: "Sales.Ops", viewer: "Sales.Viewer" } as const;
const simulator = await startEntraSimulator({
  port: Number(values.port),
  host: values.host,
  baseUrl: process.env.ENTRA_SIM_BASE_URL || undefined,
  apps: [
    { clientId: values["client-id"], clientSecret: values["client-secret"], redirectUris: [`${values["app-url"].replace(/\/+$/, "")}/auth/sso/callback`] },
  ],
  directories: slugs.map((slug) => ({
    tid: demoDirectoryId(slug),
    domains: [`${slug}.entra.test`],
    users: Object.entries(ROLES).map(([who, role]) => ({ username: `${who}@${slug}.entra.test`, name: `${slug} ${who}`, roles: [role] })),
  })),
});
process.stdout.write(`${JSON.stringify({ ready: simulator.url, directories: Object.fromEntries(slugs.map((slug) => [slug, demoDirectoryId(slug)])) })}\n`);

stopOnExit(() => simulator.close());
