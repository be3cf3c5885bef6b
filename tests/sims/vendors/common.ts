import http from "node:http";
import { type AddressInfo } from "node:net";
import { seededRandom } from "../../../app/utils/seeded-random";
import { drawLatency, type Latency } from "./latency";

/** Knobs every vendor simulator takes. */
export type SimOptions = {
  port?: number;
  host?: string;
  /**
   * Added delay per request (ms): fixed, a [min, max] range, a skewed tail,
   * or a function of the request and its answer (an LLM's grows with tokens).
   * It is drawn after the answer is made and waited before it is sent, so a
   * rate window counts the request when it arrives, as the vendor does.
   */
  latencyMs?: Latency | ServiceTime;
  /** Told of every request answered, with the delay it was given: the benchmark's record of injected service times. */
  onServed?: (served: { req: SimRequest; reply: SimReply; ms: number }) => void;
  /** Share of requests (0..1) answered with a 5xx, drawn from a seeded generator. */
  faultRate?: number;
  /** Share (0..1) of those faults answered 429 with `Retry-After: 1` instead of a 5xx. */
  rateLimitShare?: number;
  seed?: number;
  /** Clock for rate windows; tests inject one to drive time. */
  now?: () => number;
};

export type SimStats = {
  calls: number;
  /** Items returned (results, dataset items, emails validated, contacts…). */
  items: number;
  byPath: Record<string, number>;
  faults: number;
  /** Requests refused for breaking the account's own rate limit (not injected faults): what a client's limiter must prevent. */
  limitBreaches: number;
};

export type SimRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
};

export type SimReply = { status: number; body?: unknown; headers?: Record<string, string>; items?: number };

/** A service time drawn per request from the request and the answer it gets. */
export type ServiceTime = (req: SimRequest, reply: SimReply, random: () => number) => number;

export type RunningSim = {
  url: string;
  port: number;
  stats: SimStats;
  close(): Promise<void>;
};

/** Counts requests per key in a rolling window. */
export function rollingWindow(limit: number, windowMs: number, now: () => number) {
  const hits = new Map<string, number[]>();
  return {
    /** Records a hit; false when it is over the limit. */
    hit(key: string): boolean {
      const t = now();
      const list = (hits.get(key) ?? []).filter((x) => x > t - windowMs);
      list.push(t);
      hits.set(key, list);
      return list.length <= limit;
    },
    /** Seconds until the oldest hit in the window leaves it. */
    retryAfterS(key: string): number {
      const list = hits.get(key) ?? [];
      const oldest = list[0] ?? now();
      return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
    },
  };
}

/**
 * A small HTTP server with the common knobs applied: latency, seeded 5xx
 * faults (body from `faultBody`), JSON bodies in and out, and stats.
 */
export async function startSim(
  options: SimOptions,
  handler: (req: SimRequest) => SimReply | Promise<SimReply>,
  faultReply: (status: number) => SimReply,
): Promise<RunningSim> {
  const random = seededRandom(options.seed ?? 42);
  const stats: SimStats = { calls: 0, items: 0, byPath: {}, faults: 0, limitBreaches: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://sim");
    stats.calls += 1;
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    let body: unknown;
    let malformed = false;
    if (rawBody.trim()) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        malformed = true;
      }
    }
    const request: SimRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody };
    let reply: SimReply;
    if (options.faultRate && random() < options.faultRate) {
      stats.faults += 1;
      const status = options.rateLimitShare && random() < options.rateLimitShare ? 429 : [500, 502, 503][Math.floor(random() * 3)]!;
      reply = faultReply(status);
      if (status === 429) reply = { ...reply, headers: { "retry-after": "1", ...reply.headers } };
    } else {
      try {
        reply = malformed ? { status: 400, body: { error: "malformed JSON body" } } : await handler(request);
      } catch (error) {
        reply = faultReply(500);
        stats.faults += 1;
        process.stderr.write(`simulator handler failed: ${(error as Error).stack}\n`);
      }
    }
    stats.items += reply.items ?? 0;
    const spec = options.latencyMs;
    const delay = typeof spec === "function" ? Math.round(spec(request, reply, random)) : drawLatency(spec, random);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    options.onServed?.({ req: request, reply, ms: delay });
    const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(payload);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function bearer(headers: http.IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  return value?.toLowerCase().startsWith("bearer ") ? value.slice(7).trim() : undefined;
}
