import { existsSync, readdirSync } from "node:fs";
import { matchRoutes } from "@remix-run/react";
import { type RequestHandler } from "express";
import { httpRequestDuration, httpRequests, secondsSince } from "./registry.server";

/** What the route manifest of a Remix build (build.routes) holds per route, as far as matching needs it. */
export type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };

type RouteObject = Parameters<typeof matchRoutes>[0][number];

/** The label of requests express.static answers from public/ (Remix's fingerprinted build and a few files). */
export const STATIC_ROUTE = "static";

/** The label of requests no route matches (none today: the splat route `routes/$` answers every other path). */
export const UNMATCHED_ROUTE = "unmatched";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Methods outside HTTP's usual few share one label, so a client cannot grow the series. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "other";
}

/**
 * The Remix route id that answers a path, as the route label: bounded by the
 * app's routes, where raw paths (ids, slugs) would grow without end. Single
 * fetch asks for a page's data at `<path>.data` (`/_root.data` for `/`).
 */
export function createRouteLabeller(manifest: Record<string, ManifestRoute | undefined>, staticPrefixes: string[] = []): (pathname: string) => string {
  const children = new Map<string | undefined, ManifestRoute[]>();
  for (const route of Object.values(manifest)) {
    if (!route) continue;
    children.set(route.parentId, [...(children.get(route.parentId) ?? []), route]);
  }
  const tree = (parentId: string | undefined): RouteObject[] =>
    (children.get(parentId) ?? []).map((route) =>
      route.index
        ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: tree(route.id) },
    );
  const routes = tree(undefined);
  return (pathname) => {
    if (staticPrefixes.some((prefix) => pathname.startsWith(prefix))) return STATIC_ROUTE;
    const page = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
    return matchRoutes(routes, page)?.at(-1)?.route.id ?? UNMATCHED_ROUTE;
  };
}

/** What express.static serves from `publicDir`: its top-level entries as path prefixes (`/build/` for the build folder). */
export function publicPrefixes(publicDir: string): string[] {
  if (!existsSync(publicDir)) return [];
  return readdirSync(publicDir, { withFileTypes: true }).map((entry) => `/${entry.name}${entry.isDirectory() ? "/" : ""}`);
}

/**
 * Counts and times every request this middleware sees, by Remix route id (or
 * `static` for the files under `publicDir`) and status.
 */
export function httpMetrics(manifest: Record<string, ManifestRoute | undefined>, options: { publicDir?: string } = {}): RequestHandler {
  const routeOf = createRouteLabeller(manifest, options.publicDir ? publicPrefixes(options.publicDir) : []);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // `close` also fires for a request whose client went away before the end (an event stream left open).
    res.once("close", () => {
      const method = methodLabel(req.method);
      const route = routeOf(req.path);
      httpRequests.inc({ method, route, status: String(res.statusCode) });
      httpRequestDuration.observe({ method, route }, secondsSince(started));
    });
    next();
  };
}
