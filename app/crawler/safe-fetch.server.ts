import { type Readable } from "node:stream";
import zlib from "node:zlib";
import { Agent, buildConnector, errors as undiciErrors, request } from "undici";
import {
  BlockedAddressError,
  CrawlFetchError,
  DnsError,
  HttpError,
  InvalidUrlError,
  NetworkError,
  NotHtmlError,
  RedirectRefusedError,
  SchemeNotAllowedError,
  TimeoutError,
  TooLargeError,
  TooManyRedirectsError,
} from "./errors.server";
import { addressVerdict, isIpLiteral, literalVerdict } from "./ip-policy.server";
import { normalizeHostname, type HostResolver, type ResolvedHost } from "./resolver.server";

export type SafeFetchConfig = {
  resolver: HostResolver;
  userAgent: string;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
};

export const HTML_CONTENT_TYPES = ["text/html", "application/xhtml+xml"];

export type FetchOptions = {
  /** Media types accepted on the final response; "" accepts a missing Content-Type, the wildcard type any. */
  contentTypes?: string[];
  /** GET unless set; a POST (a webhook) sends `body` with `headers` added to the fetcher's own. */
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  maxBytes?: number;
  /** Return the first maxBytes instead of failing (robots.txt: RFC 9309 §2.5). */
  truncate?: boolean;
  maxRedirects?: number;
  /** Return a 4xx/5xx answer of an accepted type instead of throwing HttpError (an OAuth error's body says what went wrong). */
  errorAnswers?: boolean;
  /** Called before following each redirect hop; throw to refuse it. */
  onRedirect?: (to: URL, from: URL) => Promise<void> | void;
  signal?: AbortSignal;
};

export type SafeFetchResult = {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: string;
  bytes: number;
  truncated: boolean;
  redirects: string[];
  ms: number;
};

export interface SafeFetcher {
  fetch(url: string, options?: FetchOptions): Promise<SafeFetchResult>;
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * GET over undici with SSRF protection where it cannot be raced: the agent's
 * connector resolves the host itself, checks every address of the answer,
 * and connects to the checked IP literal (so the OS does no second lookup a
 * rebinding DNS server could answer differently). After connecting it checks
 * the socket's actual peer address once more. Redirects are followed by hand,
 * each hop going through the same connector.
 */
export function createSafeFetcher(config: SafeFetchConfig): SafeFetcher {
  const baseConnect = buildConnector({ timeout: config.connectTimeoutMs });

  const connect: buildConnector.connector = (options, callback) => {
    const hostname = normalizeHostname(options.hostname);
    const origin = `${options.protocol}//${options.host ?? hostname}`;
    connectTarget(config.resolver, hostname, origin).then(
      ({ target, address }) => {
        baseConnect(
          {
            ...options,
            hostname: address,
            port: target?.port ? String(target.port) : options.port,
            servername: isIpLiteral(hostname) ? undefined : (options.servername ?? hostname),
          },
          (error, socket) => {
            if (error || !socket) return callback(error ?? new NetworkError(origin, "ECONNECT"), null);
            const peer = socket.remoteAddress ?? "";
            if (!target?.fixture && !addressVerdict(peer).allowed) {
              socket.destroy();
              return callback(new BlockedAddressError(origin, peer, "connected peer is not public"), null);
            }
            callback(null, socket);
          },
        );
      },
      (error: Error) => callback(error, null),
    );
  };

  const agent = new Agent({
    connect,
    headersTimeout: config.headersTimeoutMs,
    bodyTimeout: config.headersTimeoutMs,
    connections: 4,
    keepAliveTimeout: 4_000,
  });

  async function fetchOnce(url: URL, options: FetchOptions, signal: AbortSignal) {
    try {
      return await request(url, {
        method: options.method ?? "GET",
        body: options.body,
        dispatcher: agent,
        signal,
        headersTimeout: config.headersTimeoutMs,
        bodyTimeout: config.headersTimeoutMs,
        headers: {
          "user-agent": config.userAgent,
          accept: acceptHeader(options.contentTypes ?? HTML_CONTENT_TYPES),
          "accept-encoding": "gzip, deflate, br",
          "accept-language": "en-SG,en;q=0.9",
          ...options.headers,
        },
      });
    } catch (error) {
      throw toFetchError(error, url.href, signal);
    }
  }

  return {
    async fetch(rawUrl, options = {}) {
      const started = performance.now();
      const maxRedirects = options.maxRedirects ?? config.maxRedirects;
      const maxBytes = options.maxBytes ?? config.maxBytes;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TimeoutError(rawUrl, "total")), config.totalTimeoutMs);
      const onOuterAbort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener("abort", onOuterAbort, { once: true });
      const redirects: string[] = [];
      try {
        let current = checkUrl(rawUrl);
        for (;;) {
          const response = await fetchOnce(current, options, controller.signal);
          const location = headerValue(response.headers.location);
          if (REDIRECT_STATUSES.has(response.statusCode) && location) {
            await response.body.dump().catch(() => undefined);
            if (redirects.length >= maxRedirects) throw new TooManyRedirectsError(rawUrl, maxRedirects);
            const next = checkUrl(resolveLocation(location, current));
            try {
              await options.onRedirect?.(next, current);
            } catch (error) {
              throw new RedirectRefusedError(next.href, error instanceof Error ? error.message : String(error), error);
            }
            redirects.push(next.href);
            current = next;
            continue;
          }
          const headers = flattenHeaders(response.headers);
          const contentType = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
          const accepted = options.contentTypes ?? HTML_CONTENT_TYPES;
          const acceptable = accepted.includes("*/*") || accepted.includes(contentType);
          if (response.statusCode >= 400 && !(options.errorAnswers && acceptable)) {
            await response.body.dump().catch(() => undefined);
            throw new HttpError(current.href, response.statusCode);
          }
          if (!acceptable) {
            discard(response.body);
            throw new NotHtmlError(current.href, contentType);
          }
          const declared = Number(headers["content-length"]);
          if (!options.truncate && !headers["content-encoding"] && declared > maxBytes) {
            discard(response.body);
            throw new TooLargeError(current.href, maxBytes);
          }
          const { buffer, truncated } = await readCapped(
            decoded(response.body, headers["content-encoding"]),
            maxBytes,
            options.truncate ?? false,
            current.href,
            controller.signal,
          );
          return {
            url: rawUrl,
            finalUrl: current.href,
            status: response.statusCode,
            headers,
            contentType,
            body: decodeText(buffer, headers["content-type"] ?? ""),
            bytes: buffer.byteLength,
            truncated,
            redirects,
            ms: Math.round(performance.now() - started),
          };
        }
      } catch (error) {
        throw toFetchError(error, rawUrl, controller.signal);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onOuterAbort);
      }
    },
    close: () => agent.close(),
  };
}

/** Scheme and IP-literal checks before any socket exists. */
export function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidUrlError(raw);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SchemeNotAllowedError(raw, url.protocol);
  const host = normalizeHostname(url.hostname);
  if (!host) throw new InvalidUrlError(raw);
  if (isIpLiteral(host)) {
    const verdict = literalVerdict(host);
    if (!verdict.allowed) throw new BlockedAddressError(raw, verdict.address, verdict.reason);
  }
  url.hash = "";
  return url;
}

async function connectTarget(resolver: HostResolver, hostname: string, origin: string): Promise<{ target?: ResolvedHost; address: string }> {
  if (isIpLiteral(hostname)) {
    const verdict = literalVerdict(hostname);
    if (!verdict.allowed) throw new BlockedAddressError(origin, verdict.address, verdict.reason);
    return { address: verdict.address };
  }
  let target: ResolvedHost;
  try {
    target = await resolver.resolve(hostname);
  } catch (error) {
    if (error instanceof DnsError) throw new DnsError(origin, hostname, error.code);
    throw error;
  }
  if (target.fixture) return { target, address: target.addresses[0]!.address };
  // One private address in the answer is enough to refuse: which one the OS
  // would pick is not ours to predict.
  for (const { address } of target.addresses) {
    const verdict = addressVerdict(address);
    if (!verdict.allowed) throw new BlockedAddressError(origin, verdict.address, `${hostname} resolves to ${verdict.reason}`);
  }
  return { target, address: target.addresses[0]!.address };
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new InvalidUrlError(location);
  }
}

function acceptHeader(types: string[]): string {
  const listed = types.filter(Boolean);
  return listed.length ? `${listed.join(",")};q=1.0,*/*;q=0.1` : "*/*";
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function discard(body: Readable): void {
  body.on("error", () => undefined).destroy();
}

function decoded(body: Readable, encoding: string | undefined): Readable {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return body.pipe(zlib.createGunzip());
    case "deflate":
      return body.pipe(zlib.createInflate());
    case "br":
      return body.pipe(zlib.createBrotliDecompress());
    default:
      return body;
  }
}

/** Reads at most maxBytes of (decompressed) body, so a zip bomb costs no more than a big page. */
async function readCapped(stream: Readable, maxBytes: number, truncate: boolean, url: string, signal: AbortSignal) {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      signal.throwIfAborted();
      const buf = chunk as Buffer;
      if (total + buf.byteLength > maxBytes) {
        if (!truncate) throw new TooLargeError(url, maxBytes);
        chunks.push(buf.subarray(0, maxBytes - total));
        total = maxBytes;
        return { buffer: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(buf);
      total += buf.byteLength;
    }
  } finally {
    discard(stream);
  }
  return { buffer: Buffer.concat(chunks), truncated: false };
}

function decodeText(buffer: Buffer, contentType: string): string {
  const declared = contentType.match(/charset=["']?([\w-]+)/i)?.[1];
  const sniffed =
    declared ??
    buffer
      .subarray(0, 2048)
      .toString("latin1")
      .match(/<meta[^>]+charset=["']?([\w-]+)/i)?.[1];
  try {
    return new TextDecoder(sniffed ?? "utf-8").decode(buffer);
  } catch {
    return new TextDecoder("utf-8").decode(buffer);
  }
}

function toFetchError(error: unknown, url: string, signal: AbortSignal): CrawlFetchError {
  if (error instanceof CrawlFetchError) return error;
  if (signal.aborted && signal.reason instanceof CrawlFetchError) return signal.reason;
  if (error instanceof undiciErrors.ConnectTimeoutError) return new TimeoutError(url, "connect");
  if (error instanceof undiciErrors.HeadersTimeoutError) return new TimeoutError(url, "headers");
  if (error instanceof undiciErrors.BodyTimeoutError) return new TimeoutError(url, "body");
  if (signal.aborted) return new TimeoutError(url, "total");
  const code = (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.name : "UNKNOWN");
  return new NetworkError(url, code);
}
