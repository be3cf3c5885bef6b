import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Reads the e2e platform's own database (owner connection, no RLS), so a
 * journey checks what the browser shows against what the app stored rather
 * than against the page itself. The platform writes its stand-ins' env to
 * the data folder named in playwright.config.ts.
 */
export async function queryE2eDatabase<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const { env } = JSON.parse(await readFile(path.resolve(".data/e2e/stand-ins.json"), "utf8")) as { env: { DATABASE_URL: string } };
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
