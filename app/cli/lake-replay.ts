import "./load-dotenv";
import "./quiet-logs";
import path from "node:path";
import { parseArgs } from "node:util";
import { standInsForCommand } from "../dev/command-stand-ins.server";
import { prefixedWriter } from "../dev/log-prefix.server";
import { type StandIns } from "../dev/stand-ins.server";

/**
 * `npm run lake:replay -- --tenant <slug> [--since <ISO date>]`
 *
 * Rebuilds the tenant's canonical and serving zones from the raw zone alone
 * (with --since: re-applies the versions fetched since then). Prints one JSON
 * line `{ records, seconds }`.
 */
const { values: args } = parseArgs({ options: { tenant: { type: "string" }, since: { type: "string" }, "data-dir": { type: "string" } } });

const since = args.since === undefined ? undefined : new Date(args.since);
if (!args.tenant || (since && Number.isNaN(since.getTime()))) {
  console.error("usage: npm run lake:replay -- --tenant <slug> [--since 2026-12-01T00:00:00Z]");
  process.exit(2);
}

const dataDir = path.resolve(args["data-dir"] ?? process.env.DATA_DIR ?? ".data");
const write = prefixedWriter(process.stderr);
let standIns: StandIns | undefined;

async function main(): Promise<number> {
  standIns = await standInsForCommand({ command: "replay", dataDir, write });
  const [{ waitForWorkspace }, { replayLake }, { sourceMappers }, { progressBar }] = await Promise.all([
    import("../tenants/workspace-ready.server"),
    import("../lake/replay.server"),
    import("../lake/sources.server"),
    import("../utils/progress-bar"),
  ]);
  const progress = (line: string) => process.stderr.write(`\r${line}\u001b[K`);
  const tenant = await waitForWorkspace(args.tenant!, progress);
  const result = await replayLake(tenant.id, sourceMappers(), {
    since,
    onProgress: (done, total) => progress(`${progressBar(done, total)} ${done}/${total} raw versions`),
  });
  process.stderr.write("\n");
  console.log(JSON.stringify(result));
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`lake:replay: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await standIns?.stop();
}
process.exit(code);
