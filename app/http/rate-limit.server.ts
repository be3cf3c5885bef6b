import { type RequestHandler } from "express";
import { platformDb, platformSql } from "~/db.server";
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { apiError, isApiRequest } from "~/http.server";
import { log } from "~/logger.server";
import { PER_ADDRESS_FACTOR } from "./config.server";

/**
 * Request rate limits that hold across every web instance: the counters are
 * rows in Postgres (rate_limit_counters, one per key and fixed one-minute
 * window), counted up by a single upsert, so two instances never lose a
 * count. Addresses are limited in express before any work; users in the
 * routes, once the credential says who they are. The counters name users and
 * addresses of every workspace, so only the platform client reads and writes
 * them (the application role has no rights on them).
 */
export type RateLimitScope = "sign_in" | "chat" | "api" | "export";

export type RateLimit = { bucket: string; limit: number; windowSeconds?: number };

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_SECONDS = 60;

/** Counts one request against the bucket's current window and says whether it is within the limit. */
export async function takeRateLimit({ bucket, limit, windowSeconds = WINDOW_SECONDS }: RateLimit): Promise<RateLimitVerdict> {
  const [row] = await platformSql<{ hits: number; retry_after: number }>(Prisma.sql`
    INSERT INTO rate_limit_counters AS c (bucket, window_start, hits)
    VALUES (${bucket}, to_timestamp(floor(extract(epoch FROM clock_timestamp()) / ${windowSeconds}::int) * ${windowSeconds}::int), 1)
    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = c.hits + 1
    RETURNING c.hits, ceil(extract(epoch FROM c.window_start + make_interval(secs => ${windowSeconds}::int) - clock_timestamp()))::int AS retry_after`);
  if (row!.hits <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, row!.retry_after) };
}

/** Windows that ended are only rows; the hourly prune removes them. */
export async function pruneRateLimitCounters(olderThanMinutes: number): Promise<number> {
  return platformDb.$executeRaw`DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(mins => ${olderThanMinutes}::int)`;
}

/** What one user may do per minute in a scope; an address may do PER_ADDRESS_FACTOR times as much. */
export function perUserLimit(scope: RateLimitScope): number {
  const config = env();
  switch (scope) {
    case "sign_in":
      return config.RATE_LIMIT_SIGN_IN_PER_MINUTE;
    case "chat":
      return config.RATE_LIMIT_CHAT_PER_MINUTE;
    case "api":
      return config.RATE_LIMIT_API_PER_MINUTE;
    case "export":
      return config.RATE_LIMIT_EXPORTS_PER_MINUTE;
  }
}

/** The scopes a request counts against by its address: its path and method decide. */
export function addressScopes(method: string, path: string): RateLimitScope[] {
  if (path === "/auth/login" || path === "/auth/callback" || path === "/auth/sso" || path === "/auth/sso/callback") return ["sign_in"];
  if (path.startsWith("/api/export/")) return ["api", "export"];
  if (path.startsWith("/api/")) return ["api"];
  if (method === "POST" && (path === "/app/chat" || path.startsWith("/app/chat/"))) return ["chat"];
  return [];
}

export function addressLimit(scope: RateLimitScope): number {
  // Sign-in has no user yet: its limit is the address's own.
  return scope === "sign_in" ? perUserLimit(scope) : perUserLimit(scope) * PER_ADDRESS_FACTOR;
}

function tooManyMessage(scope: RateLimitScope): string {
  const what = { sign_in: "sign-in attempts", chat: "chat messages", api: "API requests", export: "exports" }[scope];
  return `Too many ${what}; try again shortly`;
}

/**
 * Express: per client address (req.ip, as `trust proxy` allows) on sign-in,
 * chat, the API and exports. 429 with Retry-After; the request is not read.
 */
export function rateLimitByAddress(): RequestHandler {
  return (req, res, next) => {
    const scopes = addressScopes(req.method, req.path);
    if (!scopes.length) return next();
    const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
    void (async () => {
      for (const scope of scopes) {
        const verdict = await takeRateLimit({ bucket: `${scope}:ip:${address}`, limit: addressLimit(scope) });
        if (!verdict.allowed) {
          log().warn({ scope, path: req.path }, "rate limit reached by a client address");
          res.setHeader("Retry-After", String(verdict.retryAfterSeconds));
          res.setHeader("Cache-Control", "no-store");
          if (req.path.startsWith("/api/")) res.status(429).json({ error: "rate_limited", message: tooManyMessage(scope), scope });
          else res.status(429).type("text/plain").send(tooManyMessage(scope));
          return;
        }
      }
      next();
    })().catch(next);
  };
}

/**
 * In a route, once the user is known: throws a 429 Response (JSON for /api)
 * with Retry-After when the user is over the scope's limit.
 */
export async function limitUser(request: Request, scope: RateLimitScope, sub: string): Promise<void> {
  const verdict = await takeRateLimit({ bucket: `${scope}:user:${sub}`, limit: perUserLimit(scope) });
  if (verdict.allowed) return;
  log().warn({ scope }, "rate limit reached by a user");
  const headers = { "Retry-After": String(verdict.retryAfterSeconds), "Cache-Control": "no-store" };
  if (isApiRequest(request)) throw apiError(429, "rate_limited", tooManyMessage(scope), { scope }, headers);
  throw new Response(tooManyMessage(scope), { status: 429, headers });
}
