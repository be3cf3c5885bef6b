import { describe, expect, it } from "vitest";
import { createDatagovClient, DatagovError, type DatagovConfig } from "~/registry/datagov.server";
import { startDatagovSim, type DatagovSim } from "../sims/datagov/server";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, type DocumentedExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * data.gov.sg's documented exchanges:
 * - initiate-download then poll-download (GET, optional `x-api-key`, 201, the `{code, data, errorMsg}` envelope,
 *   code 0 = success): https://guide.data.gov.sg/developer-guide/dataset-apis/download-dataset
 * - dataset and collection metadata: https://guide.data.gov.sg/developer-guide/dataset-apis and
 *   https://guide.data.gov.sg/developer-guide/collection-apis
 * - 429 when a 10-second window's quota is spent: https://guide.data.gov.sg/developer-guide/api-overview/api-rate-limits
 * The guide shows the envelope but no filled-in poll answer; `data.status` DOWNLOAD_SUCCESS with the presigned
 * `url` is what the API answers its public callers (e.g. the ACRA collection 2 notes found by code search).
 */
const DATASET = "d_8b84c4ee58e3cfc0ece0d773c8ca6abc";
const initiate = loadExchange("datagov", "initiate-download");
const poll = loadExchange("datagov", "poll-download");
const datasetMetadata = loadExchange("datagov", "dataset-metadata");
const collectionMetadata = loadExchange("datagov", "collection-metadata");
const rateLimited = loadExchange("datagov", "rate-limited");

const closeAfterTest = closedAfterEach();

function configFor(url: string, over: Partial<DatagovConfig> = {}): DatagovConfig {
  return { downloadApiUrl: url, metadataApiUrl: url, apiKey: "YOUR_API_KEY", pollIntervalMs: 1, maxPolls: 3, maxRetries: 0, backoffMs: 1, ...over };
}

async function clientAgainstDocs(...exchanges: DocumentedExchange[]) {
  const byPath = new Map(exchanges.map((x) => [x.request.path, x.response]));
  const server = closeAfterTest(
    await startRecordingServer((req) => byPath.get(req.path) ?? { status: 404, body: { code: 404, data: null, errorMsg: "not found" } }),
  );
  return { server, client: createDatagovClient(configFor(server.url)) };
}

describe("data.gov.sg client against the documented exchanges", () => {
  it("initiates, then polls, with the documented GETs and key header, and returns the presigned url", async () => {
    const { server, client } = await clientAgainstDocs(initiate, poll);
    const url = await client.downloadUrl(DATASET);
    expect(url).toBe((poll.response.body as { data: { url: string } }).data.url);
    expect(server.requests.map((r) => [r.method, r.path, r.headers["x-api-key"], r.body])).toEqual([
      [initiate.request.method, initiate.request.path, "YOUR_API_KEY", undefined],
      [poll.request.method, poll.request.path, "YOUR_API_KEY", undefined],
    ]);
  });

  it("reads dataset and collection metadata from the documented envelope", async () => {
    const { server, client } = await clientAgainstDocs(datasetMetadata, collectionMetadata);
    expect(await client.datasetMetadata(DATASET)).toMatchObject({ datasetId: DATASET, lastUpdatedAt: "2024-05-02T10:05:52+08:00" });
    expect(await client.collectionMetadata("2")).toMatchObject({ collectionId: "2", childDatasets: [DATASET] });
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ["GET", datasetMetadata.request.path],
      ["GET", collectionMetadata.request.path],
    ]);
  });

  it("reports the documented 429 once its retries are spent", async () => {
    const { client } = await clientAgainstDocs(rateLimited);
    await expect(client.collectionMetadata("2")).rejects.toSatisfy((e) => e instanceof DatagovError && e.status === 429);
  });
});

describe("data.gov.sg simulator against the documented exchanges", () => {
  async function startSim(options: Parameters<typeof startDatagovSim>[0]) {
    const sim = await startDatagovSim(options);
    closeAfterTest({ close: sim.stop });
    return sim;
  }

  async function send(sim: DatagovSim, exchange: DocumentedExchange, headers: Record<string, string> = {}) {
    const res = await fetch(`${sim.url}${exchange.request.path}`, { method: exchange.request.method, headers });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it("answers initiate-download and poll-download with 201 and the documented envelope", async () => {
    const sim = await startSim({
      datasets: { [DATASET]: { name: "Sample", csv: "uen\n1\n", lastUpdatedAt: "2024-05-02T10:05:52+08:00" } },
      pollsUntilReady: 0,
    });
    const key = { "x-api-key": "YOUR_API_KEY" };
    const first = await send(sim, initiate, key);
    expect(first.status).toBe(initiate.response.status);
    expect(shapeMismatches(first.body, initiate.response.body)).toEqual([]);
    const second = await send(sim, poll, key);
    expect(second.status).toBe(poll.response.status);
    expect(shapeMismatches(second.body, poll.response.body)).toEqual([]);
  });

  it("answers metadata in the documented envelope, and a spent quota with 429", async () => {
    const sim = await startSim({
      datasets: { [DATASET]: { name: "Sample", csv: "uen\n", lastUpdatedAt: "2024-05-02T10:05:52+08:00", collectionId: "2" } },
      collections: { "2": { name: "ACRA Information on Corporate Entities", lastUpdatedAt: "2026-07-17T08:00:00+08:00", childDatasets: [DATASET] } },
      rateLimit: { downloads: 2, metadata: 2, windowMs: 10_000 },
    });
    expect(shapeMismatches((await send(sim, datasetMetadata)).body, datasetMetadata.response.body)).toEqual([]);
    expect(shapeMismatches((await send(sim, collectionMetadata)).body, collectionMetadata.response.body)).toEqual([]);
    const limited = await send(sim, rateLimited);
    expect(limited.status).toBe(429);
    expect(shapeMismatches(limited.body, rateLimited.response.body)).toEqual([]);
  });
});
