import path from "node:path";
import pg from "pg";
import { migrate } from "../../app/db/migrator.server";
import { DEV_APP_ROLE, devAppDatabaseUrl } from "../../app/dev/dev-logins.server";
import { startEmbeddedPostgres } from "../../app/dev/embedded-postgres.server";

/**
 * A Postgres of the benchmarks' own (embedded, port BENCH_PG_PORT or 54355),
 * with a freshly created and migrated database each run.
 */
export async function startBenchDatabase(name: string) {
  const port = Number(process.env.BENCH_PG_PORT ?? 54355);
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(".data/bench-pg"), port, database: "postgres" });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const ownerUrl = server.url.replace(/\/postgres$/, `/${name}`);
  await migrate({ ownerUrl, appLogin: DEV_APP_ROLE });
  return { ownerUrl, appUrl: devAppDatabaseUrl(ownerUrl), stop: () => server.stop() };
}

export function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}
