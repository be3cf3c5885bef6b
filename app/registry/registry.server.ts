import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { log } from "../logger.server";
import { createDatagovClient, openUrl, redactQuery, type DatagovConfig } from "./datagov.server";
import { contentVersion, ingestAcraFiles, type IngestProgress, type IngestSummary } from "./ingest.server";
import { resolveSource, sourceKindOf } from "./sources.server";

/**
 * The registry's public surface: load a source and check sources for news
 * (the nightly sweep). The demo registry of development worlds lives in
 * app/dev/demo-registry.server.ts.
 */
export function parseAcraSources(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export type IngestSourceOptions = {
  connectionString: string;
  datagov?: DatagovConfig;
  onProgress?: (progress: IngestProgress) => void;
  waitForLock?: boolean;
  /** Known version of the source (the sweep has it already). */
  sourceVersion?: string | null;
  /** The run row's source, when the files come from somewhere other than `spec` (a temporary copy). */
  recordAs?: string;
};

export async function ingestAcraSource(spec: string, options: IngestSourceOptions): Promise<IngestSummary> {
  const resolved = await resolveSource(spec, options.datagov);
  let version = options.sourceVersion;
  if (version === undefined && (resolved.kind === "dataset" || resolved.kind === "collection")) {
    version = (await probeSourceVersion(spec, options.datagov)).version;
  }
  return ingestAcraFiles({
    connectionString: options.connectionString,
    source: options.recordAs ?? spec,
    files: resolved.files,
    sourceVersion: version,
    onProgress: options.onProgress,
    waitForLock: options.waitForLock,
  });
}

export type SourceVersion = { version: string | null; detail: string };

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * What the source says its version is, without loading it: the dataset's or
 * collection's lastUpdatedAt, a URL's ETag / Last-Modified, or a local file's
 * sha256. `null` when only downloading would tell (a URL without validators).
 */
export async function probeSourceVersion(spec: string, datagov?: DatagovConfig): Promise<SourceVersion> {
  const kind = sourceKindOf(spec);
  if (kind === "dataset" || kind === "collection") {
    if (!datagov) throw new Error(`${spec}: data.gov.sg is not configured`);
    const client = createDatagovClient(datagov);
    const id = spec.slice(spec.indexOf(":") + 1).trim();
    const lastUpdatedAt = kind === "dataset" ? (await client.datasetMetadata(id)).lastUpdatedAt : (await client.collectionMetadata(id)).lastUpdatedAt;
    return { version: `lastUpdatedAt:${lastUpdatedAt}`, detail: `last updated ${lastUpdatedAt}` };
  }
  if (kind === "url") {
    const response = await fetch(spec, { method: "HEAD" });
    const etag = response.headers.get("etag");
    const modified = response.headers.get("last-modified");
    if (!response.ok) throw new Error(`HEAD ${redactQuery(spec)} answered ${response.status}`);
    if (etag) return { version: `etag:${etag}`, detail: `ETag ${etag}` };
    if (modified) return { version: `last-modified:${modified}`, detail: `Last-Modified ${modified}` };
    return { version: null, detail: "no ETag or Last-Modified" };
  }
  const resolved = await resolveSource(spec);
  const shas: string[] = [];
  for (const file of resolved.files) shas.push(await sha256OfFile(file.path!));
  return { version: contentVersion(shas), detail: `${shas.length} file(s) by content` };
}

export async function lastSucceededVersion(connectionString: string, source: string): Promise<string | null> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ source_version: string | null }>(
      `SELECT source_version FROM acra_ingestion_runs WHERE source = $1 AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1`,
      [source],
    );
    return rows[0]?.source_version ?? null;
  } finally {
    await client.end();
  }
}

export type SweepOutcome =
  | { source: string; outcome: "unchanged"; version: string }
  | { source: string; outcome: "ingested"; version: string | null; summary: IngestSummary }
  | { source: string; outcome: "failed"; error: string };

/** Downloads a URL to a temporary file, hashing on the way. */
async function downloadWithHash(url: string): Promise<{ dir: string; file: string; version: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "acra-"));
  const file = path.join(dir, "download.csv");
  const hash = createHash("sha256");
  const { stream } = await openUrl(url);
  await pipeline(
    stream,
    new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    }),
    createWriteStream(file),
  );
  return { dir, file, version: contentVersion([hash.digest("hex")]) };
}

/**
 * The nightly sweep: each source is loaded only when its version differs from
 * the last successful load of that source. One failing source does not stop
 * the others.
 */
export async function sweepAcraSources(options: { connectionString: string; sources: string[]; datagov?: DatagovConfig }): Promise<SweepOutcome[]> {
  const outcomes: SweepOutcome[] = [];
  for (const source of options.sources) {
    try {
      const previous = await lastSucceededVersion(options.connectionString, source);
      const probe = await probeSourceVersion(source, options.datagov);
      if (probe.version && probe.version === previous) {
        outcomes.push({ source, outcome: "unchanged", version: probe.version });
        continue;
      }
      if (probe.version === null && sourceKindOf(source) === "url") {
        const download = await downloadWithHash(source);
        try {
          if (download.version === previous) {
            outcomes.push({ source, outcome: "unchanged", version: download.version });
            continue;
          }
          const summary = await ingestAcraSource(download.file, {
            connectionString: options.connectionString,
            sourceVersion: download.version,
            recordAs: source,
            waitForLock: true,
          });
          outcomes.push({ source, outcome: "ingested", version: download.version, summary });
        } finally {
          await rm(download.dir, { recursive: true, force: true });
        }
        continue;
      }
      const summary = await ingestAcraSource(source, {
        connectionString: options.connectionString,
        datagov: options.datagov,
        sourceVersion: probe.version,
        waitForLock: true,
      });
      outcomes.push({ source, outcome: "ingested", version: probe.version, summary });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log().error({ source: sourceKindOf(source) === "url" ? redactQuery(source) : source, reason: message }, "registry sweep: source failed");
      outcomes.push({ source, outcome: "failed", error: message });
    }
  }
  return outcomes;
}
