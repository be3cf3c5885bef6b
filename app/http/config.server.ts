import { z } from "zod";

/**
 * Limits on what one request, user or address may cost the web server. The
 * defaults are far above what a person clicking through the app does; tests
 * of the limits set low ones explicitly.
 */
const perMinute = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

export const httpLimitsEnv = z.object({
  /** Sign-in starts and callbacks per client address per minute (no user is known yet). */
  RATE_LIMIT_SIGN_IN_PER_MINUTE: perMinute(60),
  /** Chat messages per user per minute; a client address may send five times as many (shared offices). */
  RATE_LIMIT_CHAT_PER_MINUTE: perMinute(30),
  /** /api requests per user per minute (five times as many per client address). */
  RATE_LIMIT_API_PER_MINUTE: perMinute(600),
  /** Export downloads started per user per minute (five times as many per client address). */
  RATE_LIMIT_EXPORTS_PER_MINUTE: perMinute(20),
  /** Largest request body, chunked or not; larger ones get 413 before they are read. */
  MAX_REQUEST_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Longest SQL statement of a web request (0: none). Exports and the worker are not bound by it. */
  WEB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  /** Connections of the export pool per web process, and the most downloads it serves at once: exports never take the app's connections. */
  EXPORT_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(6),
  /** Exports one user may stream at once (per web process). */
  EXPORTS_PER_USER: z.coerce.number().int().min(1).max(50).default(2),
  /** Exports one tenant's users may stream at once (per web process), so one team never holds the whole export pool. */
  EXPORTS_PER_TENANT: z.coerce.number().int().min(1).max(50).default(4),
  /** Live-progress streams one user may hold open at once (per web process). */
  EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(10),
});

/** A client address may make this many times a user's requests: an office shares one address. */
export const PER_ADDRESS_FACTOR = 5;
