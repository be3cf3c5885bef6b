import { secondsSince, vendorCallDuration, vendorStaleSlots } from "~/metrics/registry.server";
import { BadResponse, Timeout, Unavailable, type VendorName } from "./errors.server";
import { type CallLimiter } from "./rate-limit.server";

export type FetchLike = typeof fetch;

export type VendorResponse = {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  text: string;
};

/**
 * One HTTP exchange with a vendor: a hard deadline, network failures as
 * Unavailable, and the body read as JSON when it is JSON. Status handling is
 * left to each client because every vendor means something different by it.
 * With a `limiter`, the request waits for a slot in the vendor's window and
 * is written right after the slot is checked to be still fresh.
 */
export async function vendorRequest(
  vendor: VendorName,
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; json?: unknown; timeoutMs: number; fetch?: FetchLike; limiter?: CallLimiter },
): Promise<VendorResponse> {
  const doFetch = init.fetch ?? fetch;
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const payload = init.json === undefined ? undefined : JSON.stringify(init.json);
  if (init.limiter) await takeFreshSlot(vendor, init.limiter);
  let response: Response;
  let text: string;
  const started = process.hrtime.bigint();
  const observe = (outcome: "ok" | "timeout" | "unavailable") => vendorCallDuration.observe({ vendor, outcome }, secondsSince(started));
  try {
    response = await doFetch(url, {
      method: init.method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    text = await response.text();
    observe("ok");
  } catch (error) {
    observe(isAbort(error) ? "timeout" : "unavailable");
    if (isAbort(error)) throw new Timeout(vendor, `no answer within ${init.timeoutMs} ms`, { cause: error });
    throw new Unavailable(vendor, `request failed: ${networkFailure(error)}`, { cause: error });
  }
  let body: unknown;
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: response.status, headers: response.headers, body, text };
}

/**
 * Waits for a slot that is still fresh now. A stale one is given back unused
 * and another is taken, so a slot a worker short of CPU got too late costs no
 * place in the window. Nothing asynchronous runs between this check and the
 * request.
 */
async function takeFreshSlot(vendor: VendorName, limiter: CallLimiter): Promise<void> {
  for (;;) {
    const slot = await limiter.take();
    if (slot.fresh()) return;
    vendorStaleSlots.inc({ vendor });
    await slot.unused();
  }
}

/**
 * fetch() says only "fetch failed"; what failed is in its cause (a refused or
 * reset connection, a socket the server closed, a headers timeout), which is
 * what an operator reading a run's events needs.
 */
export function networkFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = [cause?.code, cause?.message].filter((part): part is string => typeof part === "string" && part !== "").join(" ");
  return detail ? `${message} (${detail})` : message;
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Validates a vendor body; a mismatch is the vendor's fault, not ours. */
export function parseBody<T>(
  vendor: VendorName,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } },
  body: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadResponse(vendor, `unexpected ${what} body: ${parsed.error.message.slice(0, 300)}`);
  return parsed.data;
}

export function withQuery(base: string, path: string, query: Record<string, string | number | boolean | undefined>): string {
  const url = new URL(path.replace(/^\//, ""), base.endsWith("/") ? base : `${base}/`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}
