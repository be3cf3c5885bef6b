import "./load-dotenv";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { prefixedWriter } from "../dev/log-prefix.server";
import { startStandIns, stopProcess, type StandIns } from "../dev/stand-ins.server";

/**
 * `npm run dev` (and the e2e tests' server): the whole platform on one
 * machine — a stand-in for every outside system that is not configured (see
 * app/dev/stand-ins.server.ts), then the web server and the worker, with
 * prefixed logs; one Ctrl-C stops everything.
 *
 *   --mode dev     remix dev with rebuilds on change (default)
 *   --mode built   the production build (`npm run build` first) on the stand-ins
 *   --fresh        start from an empty database (and fresh stand-in state)
 *   --demo-crm     fill each workspace's Odoo company with demo CRM data in built mode too (dev mode always does)
 */
const { values: args } = parseArgs({
  options: {
    mode: { type: "string", default: "dev" },
    port: { type: "string" },
    "pg-port": { type: "string" },
    "idp-port": { type: "string" },
    "odoo-port": { type: "string" },
    "graph-port": { type: "string" },
    "world-port": { type: "string" },
    "mail-port": { type: "string" },
    "mail-smtp-port": { type: "string" },
    "data-dir": { type: "string" },
    database: { type: "string", default: "nexius" },
    fresh: { type: "boolean", default: false },
    "demo-crm": { type: "boolean", default: false },
  },
});

if (process.env.NODE_ENV === "production") {
  console.error("npm run dev starts embedded stand-ins and is not for production; use `npm start` and `npm run worker`.");
  process.exit(1);
}
if (args.mode !== "dev" && args.mode !== "built") {
  console.error(`--mode must be dev or built, not ${args.mode}`);
  process.exit(1);
}

const dataDir = path.resolve(args["data-dir"] ?? process.env.DATA_DIR ?? ".data");
const webPort = args.port ?? process.env.PORT ?? "3000";
const appUrl = process.env.APP_URL ?? `http://localhost:${webPort}`;
const tsx = path.resolve("node_modules/.bin/tsx");
const write = prefixedWriter();
const out = (name: string, message: string) => write(name, message.endsWith("\n") ? message : `${message}\n`);
// Failures and the services' own stderr go to stderr, so a runner that keeps only stderr (the e2e web server) still says why it stopped.
const writeError = prefixedWriter(process.stderr);
const fail = (name: string, message: string) => writeError(name, `${message}\n`);
const children: ChildProcess[] = [];
let standIns: StandIns | undefined;
let shuttingDown = false;

async function main() {
  standIns = await startStandIns({
    dataDir,
    database: args.database!,
    appUrl,
    ports: {
      pg: Number(args["pg-port"] ?? process.env.EMBEDDED_PG_PORT ?? 54329),
      idp: Number(args["idp-port"] ?? process.env.DEV_IDP_PORT ?? 4800),
      odoo: Number(args["odoo-port"] ?? 8069),
      world: Number(args["world-port"] ?? 4100),
      graph: Number(args["graph-port"] ?? 4810),
      mail: Number(args["mail-port"] ?? process.env.MAIL_CATCHER_PORT ?? 1080),
      mailSmtp: Number(args["mail-smtp-port"] ?? process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
    },
    fresh: args.fresh,
    odooLatencyMs: Number(process.env.ODOO_SIM_LATENCY_MS ?? 5),
    // A newcomer's workspaces start with a populated CRM; the e2e server asks for it to check the dashboards' figures against it.
    odooDemoCrm: args.mode === "dev" || args["demo-crm"],
    out: write,
    onServiceExit: (name) => {
      if (shuttingDown) return;
      fail(name, "stopped unexpectedly; stopping the platform");
      void shutdown(1);
    },
  });
  // Other commands (npm run nightly) reuse the running stand-ins instead of starting their own.
  await writeFile(path.join(dataDir, "stand-ins.json"), JSON.stringify({ pid: process.pid, env: standIns.env }), { mode: 0o600 });

  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...standIns.env, PORT: webPort };
  if (args.mode === "dev") {
    start("web", path.resolve("node_modules/.bin/remix"), ["dev", "-c", `${tsx} app/cli/serve.ts`], { ...childEnv, NODE_ENV: "development" });
  } else {
    start("web", tsx, ["app/cli/serve.ts"], { ...childEnv, NODE_ENV: "production", SERVICE_NAME: "web" });
  }
  // The worker reaches the dev world's websites through the crawler's host
  // overrides, which production refuses by design; it needs no build, so it
  // runs in development mode even when the web server runs the production build.
  // Its young generation is sized for registry loads, as in `npm run worker`.
  start("worker", tsx, ["--max-semi-space-size=64", "app/cli/worker.ts"], { ...childEnv, NODE_ENV: "development", SERVICE_NAME: "worker" });
  out("platform", `${appUrl} — press Ctrl-C to stop everything`);
}

function start(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.stdout!.on("data", (chunk: Buffer) => write(name, chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => writeError(name, chunk.toString()));
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    fail(name, `exited (${signal ?? code}); stopping the platform`);
    void shutdown(code || 1);
  });
}

async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  out("platform", "stopping…");
  await Promise.all(children.map((child) => stopProcess(child, 10_000)));
  await standIns?.stop();
  out("platform", "stopped");
  process.exit(exitCode);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

main().catch(async (error) => {
  fail("platform", `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await shutdown(1);
});
