import "./load-dotenv";
import "./quiet-logs";
import path from "node:path";
import { parseArgs } from "node:util";
import { standInsForCommand } from "../dev/command-stand-ins.server";
import { prefixedWriter } from "../dev/log-prefix.server";
import { type StandIns } from "../dev/stand-ins.server";

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

async function main(): Promise<number> {
  standIns = await standInsForCommand({ command: "nightly", dataDir, profile: args.profile === "realistic" ? "realistic" : "fast", write });
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
