import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { exponentialDelayMs, withRetries } from "~/vendors/retry.server";
import { type datagovEnv } from "./config";

/**
 * data.gov.sg as ACRA publishes through it: dataset and collection metadata
 * (api-production…/v2/public/api), and bulk CSV downloads (api-open…/v1/public/api:
 * initiate-download, then poll-download until it hands out a short-lived
 * file URL). Rate limits are per 10 seconds and answered with HTTP 429, which
 * we wait out with backoff.
 */

export type DatagovConfig = {
  downloadApiUrl: string;
  metadataApiUrl: string;
  apiKey?: string;
  pollIntervalMs: number;
  maxPolls: number;
  maxRetries: number;
  backoffMs: number;
};

export function datagovConfigFrom(env: z.output<typeof datagovEnv>): DatagovConfig {
  return {
    downloadApiUrl: env.DATAGOV_DOWNLOAD_API_URL,
    metadataApiUrl: env.DATAGOV_METADATA_API_URL,
    apiKey: env.DATAGOV_API_KEY,
    pollIntervalMs: env.DATAGOV_POLL_INTERVAL_MS,
    maxPolls: env.DATAGOV_MAX_POLLS,
    maxRetries: env.DATAGOV_MAX_RETRIES,
    backoffMs: env.DATAGOV_BACKOFF_MS,
  };
}

export class DatagovError extends Error {
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = "DatagovError";
  }
}

/** A failure worth another try (unreachable, 429, 5xx), with how long data.gov.sg asked us to wait. */
class TransientDatagovError extends DatagovError {
  constructor(
    message: string,
    status: number | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(message, status);
  }
}

const Envelope = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.number(), data: data.nullable().optional(), errorMsg: z.string().nullable().optional(), errMsg: z.string().nullable().optional() });

const DatasetMetadata = z.object({
  datasetId: z.string(),
  name: z.string(),
  format: z.string().optional(),
  lastUpdatedAt: z.string(),
  collectionIds: z.array(z.string()).optional(),
});
export type DatasetMetadata = z.infer<typeof DatasetMetadata>;

const CollectionMetadata = z.object({
  collectionMetadata: z.object({
    collectionId: z.string(),
    name: z.string(),
    lastUpdatedAt: z.string(),
    frequency: z.string().optional(),
    childDatasets: z.array(z.string()),
  }),
});
export type CollectionMetadata = z.infer<typeof CollectionMetadata>["collectionMetadata"];

const InitiateDownload = z.object({ message: z.string().optional() }).passthrough();
const PollDownload = z.object({ status: z.string().optional(), url: z.string().url().optional() }).passthrough();

export type DatasetDownload = { stream: Readable; size?: number; etag?: string; url: string };

const DATASET_ID = /^d_[0-9a-f]{32}$/;

/**
 * The API key belongs to data.gov.sg's API hosts only: the file URL that
 * poll-download hands out is presigned for another host (S3), which must not
 * learn the key.
 */
export function apiKeyHeaderFor(url: string, config: Pick<DatagovConfig, "apiKey" | "downloadApiUrl" | "metadataApiUrl">): Record<string, string> {
  if (!config.apiKey) return {};
  const apiOrigins = [config.downloadApiUrl, config.metadataApiUrl].map((api) => new URL(api).origin);
  return apiOrigins.includes(new URL(url).origin) ? { "x-api-key": config.apiKey } : {};
}

export function createDatagovClient(config: DatagovConfig) {
  /** GET with retries on 429 and 5xx: Retry-After when given, else doubling from backoffMs. */
  async function get(url: string, accept = "application/json"): Promise<Response> {
    return withRetries(
      async (attempt) => {
        let response: Response;
        try {
          response = await fetch(url, { headers: { ...apiKeyHeaderFor(url, config), accept } });
        } catch (error) {
          throw new TransientDatagovError(`data.gov.sg unreachable at ${new URL(url).origin}: ${(error as Error).message}`, undefined);
        }
        if (response.status !== 429 && response.status < 500) return response;
        await response.body?.cancel();
        const retryAfter = Number(response.headers.get("retry-after"));
        throw new TransientDatagovError(
          response.status === 429
            ? `data.gov.sg kept answering 429 (rate limited) after ${attempt + 1} attempts`
            : `data.gov.sg answered ${response.status} after ${attempt + 1} attempts`,
          response.status,
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
        );
      },
      {
        retries: config.maxRetries,
        shouldRetry: (error) => error instanceof TransientDatagovError,
        delayMs: (error, attempt) => {
          const backoff = exponentialDelayMs(config.backoffMs, attempt);
          // An unreachable host gets plain doubling; an answer is waited out as asked, at most a minute.
          if ((error as TransientDatagovError).status === undefined) return backoff;
          return Math.min((error as TransientDatagovError).retryAfterMs ?? backoff, 60_000);
        },
        sleep: (ms) => sleep(ms),
      },
    );
  }

  async function getJson<T extends z.ZodType>(url: string, data: T, what: string): Promise<z.output<T>> {
    const response = await get(url);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new DatagovError(`${what}: HTTP ${response.status}, not JSON`, response.status);
    }
    const parsed = Envelope(data).safeParse(body);
    if (!parsed.success) throw new DatagovError(`${what}: unexpected response (${parsed.error.issues[0]?.message})`, response.status);
    const envelope = parsed.data;
    if (!response.ok || envelope.code !== 0 || envelope.data == null) {
      const message = envelope.errorMsg || envelope.errMsg || `code ${envelope.code}`;
      throw new DatagovError(`${what}: HTTP ${response.status}, ${message}`, response.status);
    }
    return envelope.data;
  }

  function checkId(id: string) {
    if (!DATASET_ID.test(id)) throw new DatagovError(`Not a data.gov.sg dataset id: ${JSON.stringify(id)} (expected d_ and 32 hex digits)`);
  }

  return {
    async datasetMetadata(datasetId: string): Promise<DatasetMetadata> {
      checkId(datasetId);
      return getJson(`${config.metadataApiUrl}/v2/public/api/datasets/${datasetId}/metadata`, DatasetMetadata, `metadata of ${datasetId}`);
    },

    async collectionMetadata(collectionId: string): Promise<CollectionMetadata> {
      if (!/^\d+$/.test(collectionId)) throw new DatagovError(`Not a data.gov.sg collection id: ${JSON.stringify(collectionId)}`);
      const data = await getJson(
        `${config.metadataApiUrl}/v2/public/api/collections/${collectionId}/metadata`,
        CollectionMetadata,
        `collection ${collectionId}`,
      );
      return data.collectionMetadata;
    },

    /** Initiate, then poll until the export is ready; returns the (short-lived) file URL. */
    async downloadUrl(datasetId: string): Promise<string> {
      checkId(datasetId);
      const base = `${config.downloadApiUrl}/v1/public/api/datasets/${datasetId}`;
      await getJson(`${base}/initiate-download`, InitiateDownload, `initiate-download of ${datasetId}`);
      for (let poll = 0; poll < config.maxPolls; poll++) {
        const data = await getJson(`${base}/poll-download`, PollDownload, `poll-download of ${datasetId}`);
        if (data.url) return data.url;
        if (data.status && /FAIL|ERROR/i.test(data.status)) throw new DatagovError(`poll-download of ${datasetId}: ${data.status}`);
        await sleep(config.pollIntervalMs);
      }
      throw new DatagovError(`poll-download of ${datasetId}: no file after ${config.maxPolls} polls`);
    },

    async openDataset(datasetId: string): Promise<DatasetDownload> {
      const url = await this.downloadUrl(datasetId);
      return openUrl(url, get);
    },
  };
}

export type DatagovClient = ReturnType<typeof createDatagovClient>;

/** Streams a URL's body; non-2xx is an error naming the status. */
export async function openUrl(url: string, get: (url: string, accept?: string) => Promise<Response> = (u) => fetch(u)): Promise<DatasetDownload> {
  const response = await get(url, "text/csv, */*");
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DatagovError(`GET ${redactQuery(url)} answered ${response.status}`, response.status);
  }
  const length = Number(response.headers.get("content-length"));
  return {
    stream: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
    size: Number.isFinite(length) && length > 0 ? length : undefined,
    etag: response.headers.get("etag") ?? undefined,
    url,
  };
}

/** Presigned URLs carry credentials in their query string. */
export function redactQuery(url: string): string {
  const u = new URL(url);
  return u.search ? `${u.origin}${u.pathname}?…` : u.toString();
}
