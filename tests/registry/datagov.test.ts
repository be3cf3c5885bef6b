import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDatagovClient, type DatagovConfig } from "../../app/registry/datagov.server";
import { ingestAcraSource, sweepAcraSources } from "../../app/registry/registry.server";
import { generateAcraSampleLines } from "../../app/registry/sample-generator";
import { startDatagovSim, type DatagovSim } from "../sims/datagov/server";
import { expectErrorLogs } from "../support/error-logs";

const A = "d_8575e84912df3c28995b8e6e0e05205a";
const Z = "d_4e3db8955fdcda6f9944097bef3d2724";
const sample = (rows: number, seed: number) =>
  [...generateAcraSampleLines({ rows, seed, malformedRate: 0, duplicateRate: 0, includeDemoCompanies: seed === 1 })].join("");

let sim: DatagovSim;
let client: pg.Client;
let config: DatagovConfig;
const owner = () => process.env.DATABASE_URL!;

beforeAll(async () => {
  sim = await startDatagovSim({
    datasets: {
      [A]: { name: "ACRA Information on Corporate Entities ('A')", csv: sample(300, 1), lastUpdatedAt: "2026-09-16T10:00:50+08:00" },
      [Z]: { name: "ACRA Information on Corporate Entities ('Z')", csv: sample(200, 2), lastUpdatedAt: "2026-09-16T10:01:02+08:00" },
    },
    collections: { "2": { name: "ACRA Information on Corporate Entities", lastUpdatedAt: "2026-09-16T10:04:13+08:00", childDatasets: [A, Z] } },
    rateLimit: { downloads: 2, metadata: 3, windowMs: 400 },
    pollsUntilReady: 2,
  });
  config = { downloadApiUrl: sim.url, metadataApiUrl: sim.url, pollIntervalMs: 5, maxPolls: 10, maxRetries: 8, backoffMs: 60 };
  client = new pg.Client({ connectionString: owner() });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await sim.stop();
});
beforeEach(async () => {
  await client.query("TRUNCATE staging_acra_companies, acra_ingestion_runs, acra_ingestion_rejects");
  sim.requests.length = 0;
});

describe("data.gov.sg sources", () => {
  it("loads a dataset through initiate → poll → file, waiting out 429s", async () => {
    const summary = await ingestAcraSource(`dataset:${A}`, { connectionString: owner(), datagov: config });
    expect(summary).toMatchObject({ read: 300, inserted: 300, rejected: 0 });
    const paths = sim.requests.map((r) => `${r.status} ${r.path.replace(/^\/v\d\/public\/api\/datasets\/[^/]+\//, "")}`);
    expect(paths).toContain("201 initiate-download");
    expect(paths.filter((p) => p === "201 poll-download")).toHaveLength(3);
    expect(sim.requests.some((r) => r.status === 429)).toBe(true);
    expect(paths.at(-1)).toBe(`200 /files/${A}.csv`);
    const { rows } = await client.query("SELECT source, source_version, status FROM acra_ingestion_runs");
    expect(rows).toEqual([{ source: `dataset:${A}`, source_version: "lastUpdatedAt:2026-09-16T10:00:50+08:00", status: "succeeded" }]);
  });

  it("sends the API key to the API host only, never to the presigned file host", async () => {
    const summary = await ingestAcraSource(`dataset:${A}`, { connectionString: owner(), datagov: { ...config, apiKey: "datagov-secret-key" } });
    expect(summary).toMatchObject({ read: 300, inserted: 300 });
    const api = sim.requests.filter((r) => !r.path.startsWith("/files/"));
    const file = sim.requests.filter((r) => r.path.startsWith("/files/"));
    expect(api.length).toBeGreaterThan(2);
    expect(api.every((r) => r.apiKey === "datagov-secret-key")).toBe(true);
    expect(file).toEqual([{ method: "GET", path: `/files/${A}.csv`, status: 200, apiKey: undefined }]);
  });

  it("loads every dataset of a collection", async () => {
    const summary = await ingestAcraSource("collection:2", { connectionString: owner(), datagov: config });
    expect(summary.files.map((f) => f.name)).toEqual([A, Z]);
    expect(summary).toMatchObject({ read: 500, inserted: 500 });
  });

  it("sweeps: loads a changed source, skips an unchanged one without downloading it", async () => {
    const sources = [`dataset:${A}`];
    const first = await sweepAcraSources({ connectionString: owner(), sources, datagov: config });
    expect(first).toMatchObject([{ outcome: "ingested", version: "lastUpdatedAt:2026-09-16T10:00:50+08:00" }]);
    sim.requests.length = 0;
    const second = await sweepAcraSources({ connectionString: owner(), sources, datagov: config });
    expect(second).toMatchObject([{ outcome: "unchanged" }]);
    expect(sim.requests.some((r) => r.path.includes("download") || r.path.startsWith("/files"))).toBe(false);
    sim.setDataset(A, { name: "A", csv: sample(310, 1), lastUpdatedAt: "2026-10-16T10:00:00+08:00" });
    const third = await sweepAcraSources({ connectionString: owner(), sources, datagov: config });
    const outcome = third[0]!;
    expect(outcome.outcome).toBe("ingested");
    expect(outcome.outcome === "ingested" && outcome.summary).toMatchObject({ inserted: 10, unchanged: 300 });
  });

  it("sweeps a URL by ETag, and reports a failing source without stopping the others", async () => {
    expectErrorLogs(/registry sweep: source failed .*HTTP 404/);
    const url = `${sim.url}/files/${Z}.csv`;
    const outcomes = await sweepAcraSources({ connectionString: owner(), sources: [`dataset:d_${"0".repeat(32)}`, url], datagov: config });
    expect(outcomes[0]).toMatchObject({ outcome: "failed", error: expect.stringContaining("not found") });
    expect(outcomes[1]).toMatchObject({ outcome: "ingested", version: expect.stringMatching(/^etag:"/) });
    const again = await sweepAcraSources({ connectionString: owner(), sources: [url], datagov: config });
    expect(again).toMatchObject([{ outcome: "unchanged" }]);
  });

  it("keeps the registry when the download drops halfway", async () => {
    sim.setDataset(A, { name: "A", csv: sample(300, 1), lastUpdatedAt: "2026-10-01T00:00:00+08:00" });
    await ingestAcraSource(`dataset:${A}`, { connectionString: owner(), datagov: config });
    sim.setDataset(A, { name: "A", csv: sample(300, 9), lastUpdatedAt: "2026-11-01T00:00:00+08:00" });
    sim.cutNextDownload(A, 40_000);
    await expect(ingestAcraSource(`dataset:${A}`, { connectionString: owner(), datagov: config })).rejects.toThrow();
    const { rows } = await client.query("SELECT count(*)::int AS n, max(last_run_id::text) = min(last_run_id::text) AS one_run FROM staging_acra_companies");
    expect(rows[0]).toEqual({ n: 300, one_run: true });
    const { rows: runs } = await client.query("SELECT status FROM acra_ingestion_runs ORDER BY started_at");
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "failed"]);
  });

  it("gives up with a clear error when rate limiting never ends", async () => {
    const strict = await startDatagovSim({
      datasets: { [A]: { name: "A", csv: "uen\n", lastUpdatedAt: "2026-01-01T00:00:00+08:00" } },
      rateLimit: { downloads: 0, metadata: 0, windowMs: 60_000 },
    });
    try {
      const datagov = createDatagovClient({ ...config, downloadApiUrl: strict.url, metadataApiUrl: strict.url, maxRetries: 2, backoffMs: 5 });
      await expect(datagov.downloadUrl(A)).rejects.toThrow(/kept answering 429 \(rate limited\) after 3 attempts/);
      await expect(datagov.datasetMetadata("not-an-id")).rejects.toThrow(/Not a data.gov.sg dataset id/);
    } finally {
      await strict.stop();
    }
  });
});
