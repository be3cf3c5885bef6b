import { createHash, timingSafeEqual } from "node:crypto";

export type MetricsAccess = "allowed" | "unauthorized" | "not_found";

/**
 * Who may read /metrics. With METRICS_TOKEN set: only `Authorization: Bearer
 * <token>`, compared in constant time (both sides hashed first, so neither the
 * content nor the length of the token leaks through timing). Without it: open
 * in development and tests, where a local Prometheus needs no secret, and
 * absent (404) in production, where an unprotected endpoint would publish
 * the platform's figures.
 */
export function metricsAccess(authorization: string | null, config: { token: string | undefined; production: boolean }): MetricsAccess {
  if (!config.token) return config.production ? "not_found" : "allowed";
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (presented === undefined) return "unauthorized";
  return timingSafeEqual(digest(presented), digest(config.token)) ? "allowed" : "unauthorized";
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
