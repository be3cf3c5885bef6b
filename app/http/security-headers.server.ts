import { randomBytes } from "node:crypto";
import { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from "express";

/**
 * Response headers that tell the browser what our pages may do. The Content
 * Security Policy allows scripts only from our origin or carrying this
 * response's nonce (Remix's inline hydration scripts get it through the load
 * context), so an injected <script> does not run; pages cannot be framed;
 * forms may post only to us and to the IdP (logout continues there).
 */
export type SecurityHeaderOptions = {
  production: boolean;
  /** Origins forms may submit or redirect to besides our own: the IdP's. */
  formTargets: string[];
};

export function contentSecurityPolicy(nonce: string, options: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // <style> elements need the nonce; style attributes (React `style`, recharts' SVG) cannot carry one.
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${["'self'", ...options.formTargets].join(" ")}`,
    "frame-ancestors 'none'",
    ...(options.production ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions) {
  return (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, options));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // Only over HTTPS: a plain-HTTP development server must not pin browsers to HTTPS on localhost.
    if (options.production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/**
 * What Remix's loaders and entry.server receive per request: the CSP nonce,
 * and the client's address as express computed it from the configured number
 * of trusted proxies (`trust proxy`), never the first X-Forwarded-For entry,
 * which the client writes itself.
 */
export function requestLoadContext(req: ExpressRequest, res: ExpressResponse) {
  return { cspNonce: String(res.locals.cspNonce ?? ""), clientIp: req.ip ?? null };
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce?: string;
    clientIp?: string | null;
  }
}
