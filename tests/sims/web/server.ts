import http from "node:http";
import { type AddressInfo } from "node:net";
import { seededRandom } from "../../../app/utils/seeded-random";
import { drawLatency, type Latency } from "../vendors/latency";
import { type World } from "../world/index";
import { type Site } from "../world/model";
import { hash32 } from "../world/random";
import { renderHtml, renderPdf, renderRobots } from "../world/render";

export type FixtureWebOptions = {
  world: World;
  port?: number;
  /** Added to every response, on top of each site's own latency: fixed, or drawn (seeded per request) from [min, max] or a skewed tail. */
  latencyMs?: Latency;
  /** Told of every request as it is answered, with the delay it was given (the site's own plus the added one). */
  onServed?: (served: { host: string; path: string; status: number; ms: number }) => void;
  /** Share of requests (0–1) answered 503 regardless of site, to exercise retries. */
  faultRate?: number;
};

export type FixtureRequest = { host: string; path: string; status: number; userAgent: string; at: number };

export type FixtureStats = {
  requests: number;
  faults: number;
  byHost: Map<string, number>;
  byStatus: Map<number, number>;
  /** The most recent requests (up to 5,000), oldest first. */
  recent: FixtureRequest[];
  reset(): void;
};

export type FixtureWeb = {
  url: string;
  port: number;
  hosts(): string[];
  /** The crawler resolver's override map: every fixture host → this server. */
  overrides(): Record<string, string>;
  stats: FixtureStats;
  stop(): Promise<void>;
};

type Reply = { status: number; headers: Record<string, string>; body: Buffer | string };

const html = (status: number, text: string): Reply => ({
  status,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${text}</h1></body></html>`,
});

/** What a site answers for a path, before latency and faults. */
export function respond(site: Site, host: string, rawPath: string): Reply {
  const path = rawPath.split("?")[0] || "/";
  if (path === "/robots.txt") {
    const robots = renderRobots(site);
    return robots.status === 200
      ? { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: robots.body }
      : html(robots.status, robots.body.replace(/<[^>]+>/g, ""));
  }
  if (site.kind === "error") return html(site.errorStatus, site.errorStatus === 503 ? "Service Temporarily Unavailable" : "Internal Server Error");
  if (site.redirect === "www" && host !== site.contentHost) {
    return { status: 301, headers: { location: `http://${site.contentHost}${rawPath}`, "content-type": "text/html" }, body: "" };
  }
  if (site.redirect === "path" && path === "/") {
    return { status: 302, headers: { location: site.homePath, "content-type": "text/html" }, body: "" };
  }
  if (path === "/sitemap.xml") {
    const urls = [...site.pages().keys()].map((p) => `<url><loc>http://${site.contentHost}${p}</loc></url>`).join("");
    return {
      status: 200,
      headers: { "content-type": "application/xml" },
      body: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`,
    };
  }
  const pages = site.pages();
  const page = pages.get(path) ?? pages.get(path.replace(/\/$/, "")) ?? pages.get(`${path}/`);
  if (!page) return html(404, "Page not found");
  if (page.contentType === "application/pdf") {
    return {
      status: 200,
      headers: { "content-type": "application/pdf", "content-disposition": 'inline; filename="company-profile.pdf"' },
      body: renderPdf(page),
    };
  }
  if (page.contentType === "application/json") {
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "ok", title: page.title }) };
  }
  return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: renderHtml(site, page) };
}

/**
 * One HTTP server on 127.0.0.1 serving every site of the world, chosen by the
 * Host header. The crawler reaches it only through its resolver's override
 * map (see overrides()); any other Host gets 421.
 */
export async function startFixtureWeb(options: FixtureWebOptions): Promise<FixtureWeb> {
  const { world } = options;
  const latency = options.latencyMs ?? 0;
  const extraLatency = (sequence: number) =>
    typeof latency === "number"
      ? latency
      : Array.isArray(latency)
        ? latency[0] + (hash32(world.seed, "latency", sequence) % (Math.max(0, latency[1] - latency[0]) + 1))
        : drawLatency(latency, seededRandom(hash32(world.seed, "latency", sequence)));
  const faultRate = options.faultRate ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  const stats: FixtureStats = {
    requests: 0,
    faults: 0,
    byHost: new Map(),
    byStatus: new Map(),
    recent: [],
    reset() {
      stats.requests = 0;
      stats.faults = 0;
      stats.byHost.clear();
      stats.byStatus.clear();
      stats.recent.length = 0;
    },
  };

  const server = http.createServer((req, res) => {
    const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
    const path = req.url ?? "/";
    const site = world.siteForHost(host);
    const sequence = stats.requests;
    stats.requests += 1;
    let reply: Reply;
    if (!site) reply = html(421, "Misdirected Request");
    else if (req.method !== "GET" && req.method !== "HEAD")
      reply = { ...html(405, "Method Not Allowed"), headers: { "content-type": "text/html", allow: "GET, HEAD" } };
    else if (faultRate > 0 && (hash32(world.seed, "fault", sequence) % 10_000) / 10_000 < faultRate) {
      stats.faults += 1;
      reply = { ...html(503, "Service Temporarily Unavailable"), headers: { "content-type": "text/html", "retry-after": "1" } };
    } else reply = respond(site, host, path);

    stats.byHost.set(host, (stats.byHost.get(host) ?? 0) + 1);
    stats.byStatus.set(reply.status, (stats.byStatus.get(reply.status) ?? 0) + 1);
    stats.recent.push({ host, path, status: reply.status, userAgent: String(req.headers["user-agent"] ?? ""), at: Date.now() });
    if (stats.recent.length > 5_000) stats.recent.shift();

    const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
    const delay = (site?.latencyMs ?? 0) + extraLatency(sequence);
    const send = () => {
      options.onServed?.({ host, path, status: reply.status, ms: Math.max(0, delay) });
      if (res.destroyed) return;
      res.writeHead(reply.status, { server: "nginx", "cache-control": "max-age=600", ...reply.headers, "content-length": String(body.byteLength) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (delay <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, delay);
    timers.add(timer);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hosts: () => world.hosts(),
    overrides: () => Object.fromEntries(world.hosts().map((h) => [h, `127.0.0.1:${port}`])),
    stats,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
