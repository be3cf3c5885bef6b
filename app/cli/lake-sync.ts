import "./load-dotenv";
import "./quiet-logs";
import path from "node:path";
import { parseArgs } from "node:util";
import { standInsForCommand } from "../dev/command-stand-ins.server";
import { prefixedWriter } from "../dev/log-prefix.server";
import { type StandIns } from "../dev/stand-ins.server";

/**
 * `npm run sync -- --tenant <slug> --source odoo|m365 [--full]`
 *
 * Syncs one source of one tenant's data lake now and waits for it: progress
 * on stderr, then one JSON line on stdout:
 * `{ source, mode, fetched, raw_inserted, inserted, updated, deleted, unchanged, rejected, seconds }`.
 */
const { values: args } = parseArgs({
  options: {
    tenant: { type: "string" },
    source: { type: "string" },
    full: { type: "boolean", default: false },
    "data-dir": { type: "string" },
  },
});

if (!args.tenant || (args.source !== "odoo" && args.source !== "m365")) {
  console.error("usage: npm run sync -- --tenant <slug> --source odoo|m365 [--full]");
  process.exit(2);
}

const dataDir = path.resolve(args["data-dir"] ?? process.env.DATA_DIR ?? ".data");
const write = prefixedWriter(process.stderr);
let standIns: StandIns | undefined;

async function main(): Promise<number> {
  standIns = await standInsForCommand({ command: "sync", dataDir, write });
  const { runSyncCommand } = await import("../lake/sync-command.server");
  const result = await runSyncCommand({
    tenantSlug: args.tenant!,
    source: args.source as "odoo" | "m365",
    mode: args.full ? "full" : "incremental",
    progress: (line: string) => process.stderr.write(`\r${line}\u001b[K`),
  });
  process.stderr.write("\n");
  const { status, ...figures } = result;
  if (status !== "succeeded") process.stderr.write(`sync ended ${status}; see the Data page for its errors and rejects\n`);
  console.log(JSON.stringify(figures));
  return status === "failed" ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`sync: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await standIns?.stop();
}
process.exit(code);
