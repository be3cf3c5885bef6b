import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { DEV_APP_ROLE } from "../../app/dev/dev-logins.server";

/**
 * Before each test file: a private database cloned from the migrated
 * template, and DATABASE_URL / APP_DATABASE_URL pointing at it, so modules
 * imported by the test connect there. Dropped when the file finishes.
 */
const serverUrl = inject("testServerUrl");
const name = `nexius_test_${randomBytes(6).toString("hex")}`;

function withDatabase(url: string, database: string, credentials?: { user: string; password: string }) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (credentials) {
    u.username = credentials.user;
    u.password = credentials.password;
  }
  return u.toString();
}

const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
await admin.connect();
await admin.query(`CREATE DATABASE ${name} TEMPLATE nexius_test_template`);
await admin.end();

process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
process.env.DATABASE_URL = withDatabase(serverUrl, name);
process.env.APP_DATABASE_URL = withDatabase(serverUrl, name, DEV_APP_ROLE);
process.env.SECRET_KEYS ??= `test:${randomBytes(32).toString("base64")}`;
process.env.OIDC_NONCE_KEY ??= randomBytes(32).toString("base64");

afterAll(async () => {
  const globals = globalThis as unknown as { __nexiusSingletons?: Map<string, unknown> };
  for (const [key, value] of globals.__nexiusSingletons ?? []) {
    if (key.startsWith("db:")) await (value as { $disconnect(): Promise<void> }).$disconnect();
  }
  const cleanup = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await cleanup.end();
});
