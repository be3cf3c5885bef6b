import "./load-dotenv";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { DEV_IDP_CLIENT, devIdpIssuer } from "../auth/config.server";
import { generateKeySpec } from "../crypto/secret-box.server";
import { migrate } from "../db/migrator.server";
import { prefixedWriter } from "../dev/log-prefix.server";
import { deriveAppDatabaseUrl } from "../env.server";

/**
 * `npm run dev` (and the e2e tests' server): the whole platform on one
 * machine. Starts a stand-in for everything that is not configured —
 * Postgres, the identity provider, Odoo — then the web server and the worker, with
 * prefixed logs; one Ctrl-C stops everything.
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
    "idp-port": { type: "string" },
    "odoo-port": { type: "string" },
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
const appUrl = process.env.APP_URL ?? `http://localhost:${webPort}`;
const tsx = path.resolve("node_modules/.bin/tsx");
const write = prefixedWriter();
const out = (name: string, message: string) => write(name, message.endsWith("\n") ? message : `${message}\n`);
const children: ChildProcess[] = [];
/** Stand-ins run in their own process groups and stop after the web server and worker. */
const services: ChildProcess[] = [];
let shuttingDown = false;

async function main() {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: webPort, DATA_DIR: dataDir, APP_URL: appUrl };

  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    const pgPort = args["pg-port"] ?? process.env.EMBEDDED_PG_PORT ?? "54329";
    out("db", `starting embedded Postgres on port ${pgPort} (data in ${path.relative(process.cwd(), dataDir)}/pg)`);
    ownerUrl = await startService("db", ["app/cli/embedded-postgres.ts", "--data-dir", path.join(dataDir, "pg"), "--port", pgPort, "--database", args.database!]);
  }
  if (args.fresh) {
    await recreateDatabase(ownerUrl);
    // The stand-ins' state belongs with the database: start them afresh too.
    await rm(path.join(dataDir, "odoo-sim.json"), { force: true });
    await rm(path.join(dataDir, "idp", "accounts.json"), { force: true });
  }
  const appDbUrl = process.env.APP_DATABASE_URL ?? deriveAppDatabaseUrl(ownerUrl);
  const appLogin = new URL(appDbUrl);
  const result = await migrate({
    ownerUrl,
    appLogin: { user: decodeURIComponent(appLogin.username), password: decodeURIComponent(appLogin.password) },
    log: (m) => out("migrate", m),
  });
  out("migrate", `${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
  Object.assign(childEnv, { DATABASE_URL: ownerUrl, APP_DATABASE_URL: appDbUrl });

  if (!process.env.SECRET_KEYS) childEnv.SECRET_KEYS = await devSecretKeys();

  if (!process.env.NEXIUS_ISSUER) {
    const idpPort = args["idp-port"] ?? process.env.DEV_IDP_PORT ?? "4800";
    out("idp", `starting the development identity provider on ${devIdpIssuer(Number(idpPort))}`);
    const issuer = await startService("idp", [
      "app/cli/dev-idp.ts",
      "--port", idpPort,
      "--client-id", DEV_IDP_CLIENT.client_id,
      "--client-secret", DEV_IDP_CLIENT.client_secret,
      "--redirect-uri", `${appUrl}/auth/callback`,
      "--post-logout-redirect-uri", `${appUrl}/`,
      "--key-file", path.join(dataDir, "idp", "signing-key.json"),
      "--accounts-file", path.join(dataDir, "idp", "accounts.json"),
    ]);
    Object.assign(childEnv, { NEXIUS_ISSUER: issuer, NEXIUS_CLIENT_ID: DEV_IDP_CLIENT.client_id, NEXIUS_CLIENT_SECRET: DEV_IDP_CLIENT.client_secret });
  }

  if (!process.env.ODOO_URL) {
    const odooPort = args["odoo-port"] ?? "8069";
    const simulated = { ODOO_DB: "odoo", ODOO_ADMIN_LOGIN: "admin", ODOO_ADMIN_PASSWORD: "admin", ODOO_MASTER_PASSWORD: "admin" };
    out("odoo", `starting the Odoo simulator on port ${odooPort} (state in ${path.relative(process.cwd(), dataDir)}/odoo-sim.json)`);
    const url = await startService("odoo", [
      "tests/sims/odoo/main.ts",
      "--port", odooPort,
      "--master-password", simulated.ODOO_MASTER_PASSWORD,
      "--db", simulated.ODOO_DB,
      "--admin-login", simulated.ODOO_ADMIN_LOGIN,
      "--admin-password", simulated.ODOO_ADMIN_PASSWORD,
      "--latency-ms", process.env.ODOO_SIM_LATENCY_MS ?? "5",
      "--state-file", path.join(dataDir, "odoo-sim.json"),
    ]);
    Object.assign(childEnv, { ODOO_URL: url, ...simulated });
  }

  if (args.mode === "dev") {
    start("web", path.resolve("node_modules/.bin/remix"), ["dev", "-c", `${tsx} app/cli/serve.ts`], { ...childEnv, NODE_ENV: "development" });
  } else {
    start("web", tsx, ["app/cli/serve.ts"], { ...childEnv, NODE_ENV: "production", SERVICE_NAME: "web" });
  }
  start("worker", tsx, ["app/cli/worker.ts"], {
    ...childEnv,
    NODE_ENV: args.mode === "dev" ? "development" : "production",
    SERVICE_NAME: "worker",
  });
  out("platform", `${appUrl} — press Ctrl-C to stop everything`);
}

/** Development keys for secrets at rest, kept with the rest of the local state. */
async function devSecretKeys(): Promise<string> {
  const file = path.join(dataDir, "secret-keys");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dataDir, { recursive: true });
  const spec = generateKeySpec("dev1");
  await writeFile(file, `${spec}\n`, { mode: 0o600 });
  return spec;
}

/**
 * Starts a stand-in (tsx script) in its own process group and resolves with
 * what it announces on stdout as `{"ready": …}`.
 */
function startService(name: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const child = spawn(tsx, argv, { detached: true, stdio: ["pipe", "pipe", "pipe"], env });
  services.push(child);
  child.stderr!.on("data", (chunk: Buffer) => write(name, chunk.toString()));
  return new Promise((resolve, reject) => {
    let buffered = "";
    let ready = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      if (ready) return write(name, chunk.toString());
      buffered += chunk.toString();
      const match = buffered.match(/\{"ready":"([^"]+)"\}/);
      if (match) {
        ready = true;
        resolve(match[1]!);
      }
    });
    child.on("exit", (code) => {
      services.splice(services.indexOf(child), 1);
      if (!ready) reject(new Error(`${name} exited with code ${code} before it was ready; see the [${name}] lines above`));
      else if (!shuttingDown) {
        out(name, `exited (${code}); stopping the platform`);
        void shutdown(1);
      }
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

function stop(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), graceMs).unref();
  });
}

async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  out("platform", "stopping…");
  await Promise.all(children.map((child) => stop(child, 10_000)));
  // Reverse start order: the database goes last.
  for (const service of [...services].reverse()) await stop(service, 15_000);
  out("platform", "stopped");
  process.exit(exitCode);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

main().catch(async (error) => {
  out("platform", `failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
