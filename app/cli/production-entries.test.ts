import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_ONLY_FILES, DEV_ONLY_PACKAGES, importGraph } from "../../tests/support/import-graph";

/**
 * Development-only code (the dev IdP, the stand-ins, the demo registry
 * generator, the simulators) is loaded only by the dev entry points
 * (`npm run dev`, `npm run nightly`, `npm run acra:sample`, the dev IdP and
 * embedded Postgres processes) and by tests. The production commands and the
 * Remix server build must not reach it, and must need only `dependencies`, so
 * `npm start` and `npm run worker` run from a production install.
 */
const routeModules = readdirSync("app/routes", { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.includes(".test."))
  .map((e) => path.join(e.parentPath, e.name));

const PRODUCTION_ENTRIES: Record<string, string[]> = {
  "npm start": ["app/cli/serve.ts"],
  "the Remix server build": ["app/entry.server.tsx", "app/root.tsx", ...routeModules],
  "npm run worker": ["app/cli/worker.ts"],
  "npm run db:migrate": ["app/cli/migrate.ts"],
  "npm run secrets:reseal": ["app/cli/reseal-secrets.ts"],
  "npm run acra:ingest": ["app/cli/acra-ingest.ts"],
};

const { dependencies } = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };

describe.each(Object.entries(PRODUCTION_ENTRIES))("%s", (_name, entries) => {
  const graph = importGraph(process.cwd(), entries);

  it("loads no development-only module", () => {
    expect(graph.files.size).toBeGreaterThan(5);
    const devModules = [...graph.files].filter(([file]) => DEV_ONLY_FILES.test(file)).map(([, chain]) => chain.join(" → "));
    expect(devModules).toEqual([]);
  });

  it("needs only production dependencies", () => {
    const packages = [...graph.packages];
    expect(packages.filter((p) => DEV_ONLY_PACKAGES.includes(p))).toEqual([]);
    expect(packages.filter((p) => !(p in dependencies))).toEqual([]);
  });
});
