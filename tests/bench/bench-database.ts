import path from "node:path";
import pg from "pg";
import { migrate } from "../../app/db/migrator.server";
import { devAppDatabaseUrl } from "../../app/dev/dev-logins.server";
import { startEmbeddedPostgres } from "../../app/dev/embedded-postgres.server";

/**
 * A freshly migrated database for a benchmark: on BENCH_DATABASE_URL's server
 * when given, else on an embedded Postgres of the benchmarks' own (with
 * BENCH_SHARED_BUFFERS of shared buffers, default 2GB, and `settings`). With
 * `reuse`, a database of that name left by an earlier run is kept (only new
 * migrations are applied); `reused` says whether one was.
 */
export async function benchDatabase(name: string, options: { reuse?: boolean; settings?: Record<string, string> } = {}) {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.resolve(".data/bench-pg"),
      port: Number(process.env.BENCH_PG_PORT ?? 54359),
      database: "postgres",
      // A database server sized for the data, as one holding a million deals would be: the
      // indexes of the benchmark's tables fit in memory instead of going to disk on every write.
      settings: { shared_buffers: process.env.BENCH_SHARED_BUFFERS ?? "2GB", ...options.settings },
    });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  const reused = Boolean(options.reuse) && (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
  if (!reused) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  }
  await admin.end();

  const ownerUrl = withDatabase(serverUrl, name);
  const appUrl = devAppDatabaseUrl(ownerUrl);
  const app = new URL(appUrl);
  await migrate({ ownerUrl, appLogin: { user: app.username, password: app.password } });
  return { ownerUrl, appUrl, reused, stop: stopServer };
}

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));
