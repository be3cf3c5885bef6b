import "./load-dotenv";
import "./quiet-logs";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { prefixedWriter } from "../dev/log-prefix.server";
import { startStandIns, type StandIns } from "../dev/stand-ins.server";

/**
 * `npm run nightly -- --tenant <slug> [--limit N] [--include-careers]
 *   [--force-recrawl] [--repeat] [--fresh-only] [--concurrency N]`
 *
 * Runs the lead engine for one tenant now and waits for it: a progress bar on
 * stderr, the run's figures as one JSON line at the end of stdout. Uses the
 * configured systems, or the stand-ins of a running `npm run dev`, or starts
 * its own stand-ins (so it works on a fresh clone). It also runs a worker in
 * this process, next to any other workers.
 *
 *   --repeat      the same companies as the tenant's previous run (a cache check)
 *   --fresh-only  skip companies enriched in the last days, like the nightly cron
 */
const { values: args } = parseArgs({
  options: {
    tenant: { type: "string" },
    limit: { type: "string" },
    "include-careers": { type: "boolean", default: false },
    "force-recrawl": { type: "boolean", default: false },
    repeat: { type: "boolean", default: false },
    "fresh-only": { type: "boolean", default: false },
    concurrency: { type: "string", default: "24" },
    "data-dir": { type: "string" },
    profile: { type: "string", default: "fast" },
  },
});

if (!args.tenant) {
  console.error("usage: npm run nightly -- --tenant <slug> [--limit N] [--include-careers] [--force-recrawl] [--repeat] [--fresh-only]");
  process.exit(2);
}
const limit = args.limit === undefined ? undefined : Number(args.limit);
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
  console.error("--limit must be a positive whole number");
  process.exit(2);
}

const dataDir = path.resolve(args["data-dir"] ?? process.env.DATA_DIR ?? ".data");
const write = prefixedWriter(process.stderr);
let standIns: StandIns | undefined;

/** The stand-ins of a running `npm run dev`, if there is one. */
function runningDevStandIns(): Record<string, string> | null {
  const file = path.join(dataDir, "stand-ins.json");
  if (process.env.DATABASE_URL || !existsSync(file)) return null;
  const saved = JSON.parse(readFileSync(file, "utf8")) as { pid: number; env: Record<string, string> };
  try {
    process.kill(saved.pid, 0);
    return saved.env;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const shared = runningDevStandIns();
  if (shared) {
    write("nightly", "using the stand-ins of the running `npm run dev`\n");
    Object.assign(process.env, shared);
  } else if (!process.env.DATABASE_URL) {
    standIns = await startStandIns({
      dataDir,
      database: "nexius",
      appUrl: process.env.APP_URL ?? "http://localhost:3000",
      ports: { pg: 54329, idp: 4800, odoo: 8069, world: 4100 },
      worldProfile: args.profile === "realistic" ? "realistic" : "fast",
      out: write,
    });
    Object.assign(process.env, standIns.env);
  }

  const { runNightlyCommand } = await import("../runs/nightly-command.server");
  const summary = await runNightlyCommand({
    tenantSlug: args.tenant!,
    limit,
    includeCareers: args["include-careers"],
    forceRecrawl: args["force-recrawl"],
    repeat: args.repeat,
    freshOnly: args["fresh-only"],
    concurrency: Number(args.concurrency),
    progress: (line: string) => process.stderr.write(`\r${line}\u001b[K`),
  });
  process.stderr.write("\n");
  console.log(JSON.stringify(summary));
  return summary.status === "succeeded" ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`nightly: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await standIns?.stop();
}
process.exit(code);
