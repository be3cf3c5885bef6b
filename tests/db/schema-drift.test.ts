import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrismaSchema } from "./prisma-schema";

/**
 * schema.prisma is hand-kept beside the SQL migrations; this fails when the
 * two disagree on tables, columns, types or nullability.
 */
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
beforeAll(() => client.connect());
afterAll(() => client.end());

type DbColumn = { table_name: string; column_name: string; udt_name: string; is_nullable: "YES" | "NO"; datetime_precision: number | null };

describe("schema.prisma matches the migrated database", () => {
  const expected = parsePrismaSchema(readFileSync("prisma/schema.prisma", "utf8"));

  it("has the same tables", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(expected.map((t) => t.table).sort());
  });

  it("has the same columns, types and nullability in every table", async () => {
    const { rows } = await client.query<DbColumn>(
      `SELECT table_name, column_name, udt_name, is_nullable, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    for (const table of expected) {
      const actual = rows
        .filter((r) => r.table_name === table.table)
        .map((r) => ({
          column: r.column_name,
          udtName: r.udt_name,
          precision: r.udt_name.startsWith("timestamp") ? (r.datetime_precision ?? undefined) : undefined,
          nullable: r.is_nullable === "YES",
        }))
        .sort((a, b) => a.column.localeCompare(b.column));
      const wanted = table.columns
        .map(({ column, udtName, precision, nullable }) => ({ column, udtName, precision, nullable }))
        .sort((a, b) => a.column.localeCompare(b.column));
      expect(actual, `table ${table.table} (model ${table.model})`).toEqual(wanted);
    }
  });
});
