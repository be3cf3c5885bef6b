import path from "node:path";
import pg from "pg";
import { type TestProject } from "vitest/node";
import { migrate } from "../../app/db/migrator.server";
import { DEV_APP_ROLE } from "../../app/dev/dev-logins.server";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../../app/dev/embedded-postgres.server";

/**
 * Once per test run: a Postgres server (embedded unless TEST_DATABASE_URL
 * names one) and a template database with every migration applied. Each test
 * file then gets its own database cloned from the template (test-database.ts).
 */
export const TEMPLATE_DATABASE = "nexius_test_template";

let embedded: EmbeddedPostgresHandle | undefined;

export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data/test-pg"),
      port: Number(process.env.TEST_PG_PORT ?? 54339),
      database: "postgres",
      // A throwaway cluster: no test needs its writes to survive a power cut, and
      // skipping the flushes makes each file's database clone and every commit cheap.
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
    });
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  try {
    // Leftovers of interrupted runs.
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'nexius_test_%'");
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(serverUrl, TEMPLATE_DATABASE);
  await migrate({ ownerUrl: templateUrl, appLogin: DEV_APP_ROLE });

  project.provide("testServerUrl", serverUrl);
  return async () => {
    await embedded?.stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    testServerUrl: string;
  }
}
