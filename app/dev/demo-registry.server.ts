import pg from "pg";
import { ingestAcraFiles, type IngestSummary } from "../registry/ingest.server";
import { acraSampleStream, SAMPLE_DEFAULT_SEED } from "../registry/sample-generator";
import { type SourceFile } from "../registry/sources.server";

/**
 * The demo registry of development worlds (`npm run dev`, tests, benchmarks):
 * generated rows loaded through the same ingestion as a real ACRA file.
 * Production loads the registry only from ACRA_SOURCES.
 */
export const DEMO_REGISTRY_SOURCE = "demo-sample";

async function registryCompanyCount(connectionString: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM staging_acra_companies");
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/**
 * When the registry is empty, generate the demo sample (a few thousand
 * realistic companies, CODIGO PTE. LTD. among them) and load it like any other
 * file. Does nothing when the registry has rows.
 */
export async function ensureDemoRegistry(options: {
  connectionString: string;
  rows?: number;
  seed?: number;
}): Promise<{ loaded: false; companies: number } | { loaded: true; summary: IngestSummary }> {
  const existing = await registryCompanyCount(options.connectionString);
  if (existing > 0) return { loaded: false, companies: existing };
  const rows = options.rows ?? 3000;
  const seed = options.seed ?? SAMPLE_DEFAULT_SEED;
  const file: SourceFile = {
    name: `${DEMO_REGISTRY_SOURCE}-${rows}-seed-${seed}.csv`,
    open: async () => ({ stream: acraSampleStream({ rows, seed }) }),
  };
  const summary = await ingestAcraFiles({
    connectionString: options.connectionString,
    source: `${DEMO_REGISTRY_SOURCE}:rows=${rows}:seed=${seed}`,
    files: [file],
    waitForLock: true,
  });
  return { loaded: true, summary };
}
