import { createHash } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";

/**
 * A data.gov.sg stand-in speaking the parts of its public API the registry
 * uses, with its envelope `{ code, data, errorMsg }`:
 *   GET /v2/public/api/datasets/{id}/metadata          (api-production host)
 *   GET /v2/public/api/collections/{id}/metadata
 *   GET /v1/public/api/datasets/{id}/initiate-download (api-open host; 201)
 *   GET /v1/public/api/datasets/{id}/poll-download     (201; `url` once ready)
 *   GET|HEAD /files/{id}.csv                           (the "S3" file, with ETag)
 * The file URLs poll-download hands out point at a second listener (`filesUrl`),
 * another origin as S3 is for data.gov.sg. Rate limits are counted per API key (or anonymous) over a sliding window and
 * answered with HTTP 429, as data.gov.sg does.
 */
export type SimDataset = { name: string; csv: string | Buffer; lastUpdatedAt: string; collectionId?: string };
export type SimCollection = { name: string; lastUpdatedAt: string; childDatasets: string[] };

export type DatagovSimOptions = {
  datasets?: Record<string, SimDataset>;
  collections?: Record<string, SimCollection>;
  /** Requests allowed per window and key, for download calls and for metadata calls. */
  rateLimit?: { downloads: number; metadata: number; windowMs: number };
  /** poll-download answers "in progress" this many times per initiated download. */
  pollsUntilReady?: number;
  port?: number;
};

/** `apiKey`: the x-api-key header the request carried, if any. */
export type SimRequest = { method: string; path: string; status: number; apiKey?: string };

export type DatagovSim = {
  url: string;
  /** The "S3" host of the presigned file URLs. */
  filesUrl: string;
  requests: SimRequest[];
  setDataset(id: string, dataset: SimDataset): void;
  /** The next download of this dataset's file stops after `bytes` bytes (a dropped connection). */
  cutNextDownload(id: string, bytes: number): void;
  stop(): Promise<void>;
};

const DEFAULT_LIMITS = { downloads: 2, metadata: 4, windowMs: 10_000 };

function etagOf(body: Buffer) {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

export async function startDatagovSim(options: DatagovSimOptions = {}): Promise<DatagovSim> {
  const datasets = new Map(Object.entries(options.datasets ?? {}));
  const collections = new Map(Object.entries(options.collections ?? {}));
  const limits = options.rateLimit ?? DEFAULT_LIMITS;
  const hits = new Map<string, number[]>();
  const pendingPolls = new Map<string, number>();
  const cuts = new Map<string, number>();
  const requests: SimRequest[] = [];
  let filesUrl = "";

  const limited = (bucket: string, key: string) => {
    const now = Date.now();
    const id = `${bucket}:${key}`;
    const recent = (hits.get(id) ?? []).filter((t) => now - t < limits.windowMs);
    const max = bucket === "downloads" ? limits.downloads : limits.metadata;
    if (recent.length >= max) {
      hits.set(id, recent);
      return true;
    }
    recent.push(now);
    hits.set(id, recent);
    return false;
  };

  const handle: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const apiKey = typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"] : undefined;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? "GET", path: url.pathname, status, apiKey });
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const ok = (data: unknown, status = 200) => send(status, { code: 0, data, errorMsg: "" });
    const notFound = (what: string) => send(404, { code: 404, data: null, errorMsg: `${what} not found` });
    const key = String(req.headers["x-api-key"] ?? "anonymous");

    let m = /^\/v2\/public\/api\/datasets\/([^/]+)\/metadata$/.exec(url.pathname);
    if (m) {
      if (limited("metadata", key))
        return send(429, { code: 429, name: "TOO_MANY_REQUESTS", data: null, errorMsg: "Too many requests, please try again later." });
      const d = datasets.get(m[1]!);
      if (!d) return notFound(`Dataset ${m[1]}`);
      return ok({
        datasetId: m[1],
        createdAt: "2024-01-01T00:00:00+08:00",
        name: d.name,
        status: "active",
        format: "CSV",
        lastUpdatedAt: d.lastUpdatedAt,
        managedByAgencyName: "Accounting and Corporate Regulatory Authority",
        collectionIds: [d.collectionId ?? "2"],
      });
    }
    m = /^\/v2\/public\/api\/collections\/([^/]+)\/metadata$/.exec(url.pathname);
    if (m) {
      if (limited("metadata", key))
        return send(429, { code: 429, name: "TOO_MANY_REQUESTS", data: null, errorMsg: "Too many requests, please try again later." });
      const c = collections.get(m[1]!);
      if (!c) return notFound(`Collection ${m[1]}`);
      return ok({
        collectionMetadata: {
          collectionId: m[1],
          name: c.name,
          description: "",
          lastUpdatedAt: c.lastUpdatedAt,
          frequency: "monthly",
          childDatasets: c.childDatasets,
          managedByAgencyName: "Accounting and Corporate Regulatory Authority",
        },
      });
    }
    m = /^\/v1\/public\/api\/datasets\/([^/]+)\/(initiate-download|poll-download)$/.exec(url.pathname);
    if (m) {
      if (limited("downloads", key))
        return send(429, { code: 429, name: "TOO_MANY_REQUESTS", data: null, errorMsg: "Too many requests, please try again later." });
      const id = m[1]!;
      if (!datasets.has(id)) return notFound(`Dataset ${id}`);
      if (m[2] === "initiate-download") {
        pendingPolls.set(id, options.pollsUntilReady ?? 1);
        return ok({ message: "Download successfully initiated. Proceed to poll download" }, 201);
      }
      const remaining = pendingPolls.get(id);
      if (remaining === undefined) return send(201, { code: 0, data: { status: "DOWNLOAD_NOT_INITIATED" }, errorMsg: "" });
      if (remaining > 0) {
        pendingPolls.set(id, remaining - 1);
        return ok({ status: "DOWNLOAD_IN_PROGRESS" }, 201);
      }
      return ok(
        { status: "DOWNLOAD_SUCCESS", url: `${filesUrl}/files/${id}.csv?X-Amz-Expires=60&X-Amz-Signature=${createHash("sha1").update(id).digest("hex")}` },
        201,
      );
    }
    m = /^\/files\/([^/]+)\.csv$/.exec(url.pathname);
    if (m && (req.method === "GET" || req.method === "HEAD")) {
      const d = datasets.get(m[1]!);
      if (!d) return notFound(`File ${m[1]}`);
      const body = Buffer.isBuffer(d.csv) ? d.csv : Buffer.from(d.csv, "utf8");
      requests.push({ method: req.method, path: url.pathname, status: 200, apiKey });
      res.writeHead(200, {
        "content-type": "text/csv",
        "content-length": String(body.length),
        etag: etagOf(body),
        "last-modified": new Date(d.lastUpdatedAt).toUTCString(),
      });
      if (req.method === "HEAD") return res.end();
      const cut = cuts.get(m[1]!);
      if (cut !== undefined) {
        cuts.delete(m[1]!);
        res.write(body.subarray(0, cut));
        // Let the bytes reach the client, then drop the connection mid-file.
        setTimeout(() => res.destroy(), 50);
        return;
      }
      return res.end(body);
    }
    notFound(`Route ${url.pathname}`);
  };

  const listen = async (port: number) => {
    const server = http.createServer(handle);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const api = await listen(options.port ?? 0);
  const files = await listen(0);
  filesUrl = files.url;
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: api.url,
    filesUrl,
    requests,
    setDataset: (id, dataset) => void datasets.set(id, dataset),
    cutNextDownload: (id, bytes) => void cuts.set(id, bytes),
    stop: async () => {
      await Promise.all([close(api.server), close(files.server)]);
    },
  };
}
