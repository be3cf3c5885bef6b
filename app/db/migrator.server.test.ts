import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksumOf, DEFAULT_MIGRATIONS_DIR, migrate, MigrationError } from "./migrator.server";

/** Each case migrates a fresh, empty database of its own. */
const created: string[] = [];
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL!, "postgres") });
  await admin.connect();
});
afterAll(async () => {
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function emptyDatabase(): Promise<string> {
  const name = `nexius_test_mig_${randomBytes(5).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  created.push(name);
  return withDatabase(process.env.DATABASE_URL!, name);
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("migrate", () => {
  it("records each migration the way Prisma does, and a second run is a no-op", async () => {
    const url = await emptyDatabase();
    const first = await migrate({ ownerUrl: url });
    expect(first.applied.length).toBeGreaterThan(0);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }

    const second = await migrate({ ownerUrl: url });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    const after = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(after[0]!.n).toBe(rows.length);
  });

  it("refuses to run when an applied migration file has changed", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate({ ownerUrl: url, dir });
    const file = path.join(dir, "20261122000000_foundation", "migration.sql");
    await writeFile(file, "-- edited after it was applied\n", { flag: "a" });
    await expect(migrate({ ownerUrl: url, dir })).rejects.toThrow(/was changed after it was applied/);
  });

  it("leaves nothing of a failing migration behind and applies nothing after it", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, "29990101000000_broken"));
    await writeFile(
      path.join(dir, "29990101000000_broken", "migration.sql"),
      "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT * FROM no_such_table;\n",
    );
    await mkdir(path.join(dir, "29990102000000_after"));
    await writeFile(path.join(dir, "29990102000000_after", "migration.sql"), "CREATE TABLE after_broken (id int);\n");

    const error = await migrate({ ownerUrl: url, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe("29990101000000_broken");
    expect((error as Error).message).toMatch(/no_such_table/);

    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_name IN ('half_done', 'after_broken')",
    );
    expect(tables).toEqual([]);
    const recorded = await query<{ migration_name: string }>(url, "SELECT migration_name FROM _prisma_migrations");
    expect(recorded.map((r) => r.migration_name)).not.toContain("29990101000000_broken");
    // The good migrations before it stay applied.
    expect(recorded.map((r) => r.migration_name)).toContain("20261122000000_foundation");
  });

  it("checksums the file's bytes with sha256, as Prisma does", () => {
    expect(checksumOf("SELECT 1;\n")).toBe("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd");
  });
});
