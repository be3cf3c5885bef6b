/**
 * What can go wrong talking to Microsoft Graph, typed so the connector and
 * the sync run can react: a dead delta link restarts that round from the
 * start, a refused app registration fails the run with its reason, and
 * throttling is waited out before it ever reaches them.
 */
export class GraphError extends Error {
  readonly status: number | undefined;
  /** Graph's `error.code` (or the identity platform's `error`), when the body carries one. */
  readonly code: string | undefined;

  constructor(message: string, opts: { status?: number; code?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.status = opts.status;
    this.code = opts.code;
  }
}

/** The identity platform refused our app's credentials for this directory (wrong secret, no consent, unknown tenant). */
export class GraphAuthError extends GraphError {}

/**
 * The delta link is no longer valid: Graph answered 410 Gone, or a 4xx with
 * `syncStateNotFound`/`resyncRequired`. The round must start again without a
 * token (https://learn.microsoft.com/en-us/graph/delta-query-overview#synchronization-reset).
 */
export class GraphSyncReset extends GraphError {}

/** Throttled (429) or briefly unavailable (503/504, no connection): worth repeating after `retryAfterMs`. */
export class GraphTransientError extends GraphError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, opts: { status?: number; code?: string; cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, opts);
    this.retryAfterMs = opts.retryAfterMs;
  }
}

const SYNC_RESET_CODES = new Set(["syncstatenotfound", "resyncrequired", "syncstateinvalid"]);

/** Graph's error codes from the outermost to the innermost `innerError` (https://learn.microsoft.com/en-us/graph/errors). */
export function graphErrorCodes(body: unknown): string[] {
  const codes: string[] = [];
  let error = (body as { error?: unknown } | null)?.error;
  while (error && typeof error === "object" && codes.length < 10) {
    const { code, innerError, innererror } = error as { code?: unknown; innerError?: unknown; innererror?: unknown };
    if (typeof code === "string") codes.push(code);
    error = innerError ?? innererror;
  }
  return codes;
}

/** The typed error for a Graph answer that is not a success. */
export function graphErrorFor(status: number, body: unknown, retryAfterMs: number | undefined, what: string): GraphError {
  const codes = graphErrorCodes(body);
  const code = codes[0];
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  const detail = `${what}: HTTP ${status}${code ? ` ${code}` : ""}${typeof message === "string" && message ? `: ${message.slice(0, 300)}` : ""}`;
  if (status === 410 || (status >= 400 && status < 500 && codes.some((c) => SYNC_RESET_CODES.has(c.toLowerCase())))) {
    return new GraphSyncReset(`delta link expired (${detail})`, { status, code });
  }
  if (status === 429 || status === 503 || status === 504) return new GraphTransientError(detail, { status, code, retryAfterMs });
  // Even a fresh token was refused: consent revoked or the app registration disabled.
  if (status === 401) return new GraphAuthError(detail, { status, code });
  return new GraphError(detail, { status, code });
}
