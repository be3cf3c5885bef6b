import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/** What the e2e platform's stand-ins are reached with, as the platform wrote it to the data folder named in playwright.config.ts. */
export type StandInsEnv = {
  DATABASE_URL: string;
  ODOO_URL: string;
  SECRET_KEYS: string;
  NEXIUS_ISSUER: string;
  MAIL_CATCHER_URL: string;
  MS_GRAPH_BASE_URL: string;
  MS_LOGIN_BASE_URL: string;
  MS_CLIENT_ID: string;
  MS_CLIENT_SECRET: string;
};

export async function standInsEnv(): Promise<StandInsEnv> {
  return (JSON.parse(await readFile(path.resolve(".data/e2e/stand-ins.json"), "utf8")) as { env: StandInsEnv }).env;
}

/**
 * Reads the e2e platform's own database (owner connection, no RLS), so a
 * journey checks what the browser shows against what the app stored rather
 * than against the page itself.
 */
export async function queryE2eDatabase<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: (await standInsEnv()).DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
