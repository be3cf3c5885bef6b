import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../dev/embedded-postgres.server";

/**
 * Runs the embedded Postgres as its own process group, so a Ctrl-C in the dev
 * terminal reaches the web server and worker first; the dev runner stops this
 * process last (SIGTERM, or when its stdin closes because the runner died).
 * Prints one JSON line `{"ready": "<owner url>"}` once it accepts connections.
 */
const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    port: { type: "string" },
    database: { type: "string", default: "nexius" },
  },
});

const handle = await startEmbeddedPostgres({
  dataDir: values["data-dir"]!,
  port: Number(values.port),
  database: values.database!,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ ready: handle.url })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await handle.stop().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
