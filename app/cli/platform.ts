import "./load-dotenv";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "../db/migrator.server";
import { deriveAppDatabaseUrl } from "../env.server";
import { prefixedWriter } from "../dev/log-prefix.server";

/**
 * `npm run dev` (and the e2e tests' server): the whole platform on one
 * machine. Starts what is not configured — Postgres — then the web server and
 * the worker, with prefixed logs; one Ctrl-C stops everything.
 *
 *   --mode dev     remix dev with rebuilds on change (default)
 *   --mode built   the production build (`npm run build` first) on embedded services
 *   --fresh        drop and recreate the database first
 */
const { values: args } = parseArgs({
  options: {
    mode: { type: "string", default: "dev" },
    port: { type: "string" },
    "pg-port": { type: "string" },
    "data-dir": { type: "string" },
    database: { type: "string", default: "nexius" },
    fresh: { type: "boolean", default: false },
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
const write = prefixedWriter();
const out = (name: string, message: string) => write(name, message.endsWith("\n") ? message : `${message}\n`);
const children: ChildProcess[] = [];
let database: ChildProcess | undefined;
let shuttingDown = false;

async function main() {
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    const pgPort = Number(args["pg-port"] ?? process.env.EMBEDDED_PG_PORT ?? 54329);
    out("db", `starting embedded Postgres on port ${pgPort} (data in ${path.relative(process.cwd(), dataDir)}/pg)`);
    ownerUrl = await startDatabase(pgPort);
  }
  if (args.fresh) await recreateDatabase(ownerUrl);
  const appUrl = process.env.APP_DATABASE_URL ?? deriveAppDatabaseUrl(ownerUrl);
  const app = new URL(appUrl);
  const result = await migrate({
    ownerUrl,
    appLogin: { user: decodeURIComponent(app.username), password: decodeURIComponent(app.password) },
    log: (m) => out("migrate", m),
  });
  out("migrate", `${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: ownerUrl,
    APP_DATABASE_URL: appUrl,
    PORT: webPort,
    DATA_DIR: dataDir,
  };
  const tsx = path.resolve("node_modules/.bin/tsx");
  if (args.mode === "dev") {
    start("web", path.resolve("node_modules/.bin/remix"), ["dev", "-c", `${tsx} app/cli/serve.ts`], {
      ...childEnv,
      NODE_ENV: "development",
    });
  } else {
    start("web", tsx, ["app/cli/serve.ts"], { ...childEnv, NODE_ENV: "production", SERVICE_NAME: "web" });
  }
  start("worker", tsx, ["app/cli/worker.ts"], {
    ...childEnv,
    NODE_ENV: args.mode === "dev" ? "development" : "production",
    SERVICE_NAME: "worker",
  });
  out("platform", `http://localhost:${webPort} — press Ctrl-C to stop everything`);
}

/** Embedded Postgres in its own process group: see app/cli/embedded-postgres.ts. */
function startDatabase(pgPort: number): Promise<string> {
  const child = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["app/cli/embedded-postgres.ts", "--data-dir", path.join(dataDir, "pg"), "--port", String(pgPort), "--database", args.database!],
    { detached: true, stdio: ["pipe", "pipe", "pipe"] },
  );
  database = child;
  child.stderr!.on("data", (chunk: Buffer) => write("db", chunk.toString()));
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.match(/\{"ready":"([^"]+)"\}/);
      if (match) resolve(match[1]!);
    });
    child.on("exit", (code) => {
      database = undefined;
      reject(new Error(`embedded Postgres exited with code ${code}; see the [db] lines above`));
    });
  });
}

async function recreateDatabase(ownerUrl: string) {
  const url = new URL(ownerUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  out("db", `database ${name} recreated`);
}

function start(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.stdout!.on("data", (chunk: Buffer) => write(name, chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => write(name, chunk.toString()));
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    out(name, `exited (${signal ?? code}); stopping the platform`);
    void shutdown(code || 1);
  });
}

async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  out("platform", "stopping…");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        }),
    ),
  );
  if (database) {
    const child = database;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
    });
    out("db", "stopped");
  }
  process.exit(exitCode);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

main().catch(async (error) => {
  out("platform", `failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
