import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import pg from "pg";

/**
 * Applies prisma/migrations/<stamp>_<name>/migration.sql in order, each in its
 * own transaction, recording them in Prisma's `_prisma_migrations` table with
 * the same columns and sha256 checksums, so `prisma migrate deploy` would see
 * the same history. We cannot run Prisma's schema engine here (it is a native
 * download), and RLS policies live in SQL anyway.
 */

export type MigrationFile = { name: string; sql: string; checksum: string };

export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {
  constructor(
    message: string,
    public readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export const DEFAULT_MIGRATIONS_DIR = path.resolve("prisma/migrations");

// Any constant works; it keeps two migrators from interleaving.
const MIGRATION_LOCK_KEY = 727_001;

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

const PRISMA_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null };

export type MigrateOptions = {
  /** Owner connection string. */
  ownerUrl: string;
  dir?: string;
  /** Login role for the application (from APP_DATABASE_URL); made a member of nexius_app. */
  appLogin?: { user: string; password: string };
  log?: (message: string) => void;
};

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const files = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(PRISMA_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`);
    const applied = new Map(rows.map((r) => [r.migration_name, r]));

    for (const row of rows) {
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} started but never finished; inspect the database, then mark it rolled back.`,
          row.migration_name,
        );
      }
    }
    for (const file of files) {
      const row = applied.get(file.name);
      if (row && row.checksum !== file.checksum) {
        throw new MigrationError(
          `Migration ${file.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). Write a new migration instead of editing an applied one.`,
          file.name,
        );
      }
    }

    for (const file of files) {
      if (applied.has(file.name)) {
        result.alreadyApplied.push(file.name);
        continue;
      }
      log(`applying ${file.name}`);
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [
          id,
          file.checksum,
          file.name,
        ]);
        await client.query(file.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${reason}`, file.name);
      }
      result.applied.push(file.name);
    }

    await runWorkerMigrations({ connectionString: options.ownerUrl, logger: quietWorkerLogger });
    await client.query(GRANT_WORKER_SCHEMA);
    if (options.appLogin) await ensureAppLogin(client, options.appLogin);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return result;
}

// graphile-worker's schema stays owned by the migration role, and the job
// worker's queue connections log in as that role. The app role gets nothing
// here: it adds jobs only through app_enqueue_job() (a SECURITY DEFINER
// function that checks the job's tenant), so tenant code cannot read, change
// or delete other tenants' jobs. The revokes also clear the rights earlier
// versions granted. graphile-worker enables RLS on its tables (without
// policies); nexius_platform sees all of the queue, which is not tenant data.
const GRANT_WORKER_SCHEMA = `
REVOKE ALL ON ALL TABLES IN SCHEMA graphile_worker FROM nexius_app, PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA graphile_worker FROM nexius_app, PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA graphile_worker FROM nexius_app, PUBLIC;
REVOKE ALL ON SCHEMA graphile_worker FROM nexius_app, PUBLIC;
GRANT USAGE ON SCHEMA graphile_worker TO nexius_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO nexius_platform;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO nexius_platform;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO nexius_platform;
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT c.oid::regclass AS tbl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relrowsecurity LOOP
    EXECUTE format('DROP POLICY IF EXISTS job_queue_access ON %s', t.tbl);
    EXECUTE format('CREATE POLICY job_queue_access ON %s TO nexius_platform USING (true) WITH CHECK (true)', t.tbl);
  END LOOP;
END
$$;
`;

async function ensureAppLogin(client: pg.Client, login: { user: string; password: string }) {
  const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", [
    login.user,
  ]);
  const ident = client.escapeIdentifier(login.user);
  if (rows.length === 0) {
    await client.query(`CREATE ROLE ${ident} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${client.escapeLiteral(login.password)}`);
  } else if (rows[0]!.rolsuper || rows[0]!.rolbypassrls) {
    throw new MigrationError(`The application role ${login.user} is a superuser or has BYPASSRLS; row-level security would not apply to it.`);
  }
  await client.query(`GRANT nexius_app TO ${ident}`);
}

const quietWorkerLogger = new Logger(() => () => {});
