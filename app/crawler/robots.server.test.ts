import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHostResolver } from "./resolver.server";
import { createRobotsCache, parseRobots } from "./robots.server";
import { createSafeFetcher, type SafeFetcher } from "./safe-fetch.server";

const TOKEN = "NexiusLeadsBot";

describe("parseRobots (RFC 9309 matching)", () => {
  const rules = (body: string) => parseRobots("http://x.sg", body, TOKEN, 10, 0);

  it("uses the most specific rule, allow winning ties", () => {
    const r = rules("User-agent: *\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\nDisallow: /private\nAllow: /private\n");
    expect(r.isAllowed("http://x.sg/example/page/")).toBe(true);
    expect(r.isAllowed("http://x.sg/example/page/disallowed.gif")).toBe(false);
    expect(r.isAllowed("http://x.sg/private")).toBe(true);
  });

  it("supports * and $", () => {
    const r = rules("User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\n");
    expect(r.isAllowed("http://x.sg/files/profile.pdf")).toBe(false);
    expect(r.isAllowed("http://x.sg/files/profile.pdf?x=1")).toBe(true);
    expect(r.isAllowed("http://x.sg/search?page=2&q=tan")).toBe(false);
  });

  it("prefers the group naming our token, case-insensitively, over *", () => {
    const r = rules("User-agent: *\nDisallow: /\n\nUser-agent: nexiusleadsbot\nDisallow: /admin\n");
    expect(r.isAllowed("http://x.sg/about")).toBe(true);
    expect(r.isAllowed("http://x.sg/admin/x")).toBe(false);
    const blocked = rules("User-agent: NexiusLeadsBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n");
    expect(blocked.isAllowed("http://x.sg/")).toBe(false);
    const google = rules("User-agent: Googlebot\nAllow: /\n\nUser-agent: *\nDisallow: /\n");
    expect(google.isAllowed("http://x.sg/")).toBe(false);
  });

  it("always allows /robots.txt and caps Crawl-delay", () => {
    const r = rules("User-agent: *\nDisallow: /\nCrawl-delay: 45\n");
    expect(r.isAllowed("http://x.sg/robots.txt")).toBe(true);
    expect(r.crawlDelayS).toBe(10);
    expect(rules("User-agent: *\nCrawl-delay: 3\n").crawlDelayS).toBe(3);
  });
});

describe("fetching robots.txt", () => {
  let server: http.Server;
  let fetcher: SafeFetcher;
  const hits = new Map<string, number>();
  const bodies: Record<string, [number, string, string?]> = {
    "allow.test": [200, "User-agent: *\nDisallow:\n"],
    "partial.test": [200, "User-agent: *\nDisallow: /careers\n"],
    "deny.test": [200, "User-agent: *\nDisallow: /\n"],
    "delay.test": [200, "User-agent: *\nCrawl-delay: 4\nDisallow: /tmp\n"],
    "missing.test": [404, "not found"],
    "gone.test": [410, "gone"],
    "broken.test": [500, "oops"],
    "busy.test": [429, "slow down"],
    "html.test": [200, "User-agent: *\nDisallow: /x\n", "text/html"],
    "image.test": [200, "GIF89a", "image/gif"],
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const host = String(req.headers.host).replace(/:\d+$/, "");
      hits.set(host, (hits.get(host) ?? 0) + 1);
      if (host === "loop.test") return void res.writeHead(301, { location: "/robots.txt?again" }).end();
      if (host === "moved.test") return void res.writeHead(301, { location: "http://deny.test/robots.txt" }).end();
      const [status, body, type] = bodies[host] ?? [404, ""];
      res.writeHead(status, { "content-type": type ?? "text/plain" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const hosts = [...Object.keys(bodies), "loop.test", "moved.test"];
    fetcher = createSafeFetcher({
      resolver: createHostResolver({ production: false, offline: true, overrides: Object.fromEntries(hosts.map((h) => [h, `127.0.0.1:${port}`])) }),
      userAgent: "NexiusLeadsBot/1.0",
      connectTimeoutMs: 1000,
      headersTimeoutMs: 1000,
      totalTimeoutMs: 2000,
      maxBytes: 100_000,
      maxRedirects: 5,
    });
  });

  afterAll(async () => {
    await fetcher.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("obeys 2xx files, allows on 4xx, disallows on 5xx / 429 / no DNS", async () => {
    const robots = createRobotsCache({ fetcher, token: TOKEN, maxCrawlDelayS: 10 });
    const verdict = async (url: string) => (await robots.check(url)).allowed;
    expect(await verdict("http://allow.test/about")).toBe(true);
    expect(await verdict("http://partial.test/about")).toBe(true);
    expect(await verdict("http://partial.test/careers/jobs")).toBe(false);
    expect(await verdict("http://deny.test/")).toBe(false);
    expect(await verdict("http://missing.test/")).toBe(true);
    expect(await verdict("http://gone.test/")).toBe(true);
    expect(await verdict("http://broken.test/")).toBe(false);
    expect(await verdict("http://busy.test/")).toBe(false);
    expect(await verdict("http://unknown.test/")).toBe(false);
    expect(await verdict("http://html.test/x")).toBe(false);
    expect(await verdict("http://image.test/x")).toBe(true);
    expect((await robots.rulesFor("http://broken.test/")).state).toBe("unreachable");
    expect((await robots.rulesFor("http://missing.test/")).state).toBe("unavailable");
  });

  it("reports Crawl-delay", async () => {
    const robots = createRobotsCache({ fetcher, token: TOKEN, maxCrawlDelayS: 10 });
    expect(await robots.check("http://delay.test/")).toMatchObject({ allowed: true, crawlDelayS: 4 });
  });

  it("applies redirected rules to the initial host; a redirect loop means unavailable", async () => {
    const robots = createRobotsCache({ fetcher, token: TOKEN, maxCrawlDelayS: 10 });
    expect((await robots.check("http://moved.test/page")).allowed).toBe(false);
    expect(await robots.rulesFor("http://loop.test/")).toMatchObject({ state: "unavailable" });
  });

  it("caches per origin for 24 hours, unreachable answers only briefly", async () => {
    let now = 0;
    const robots = createRobotsCache({ fetcher, token: TOKEN, maxCrawlDelayS: 10, now: () => now });
    hits.clear();
    await Promise.all([robots.check("http://allow.test/a"), robots.check("http://allow.test/b")]);
    await robots.check("http://broken.test/a");
    now += 60 * 60 * 1000;
    await robots.check("http://allow.test/c");
    await robots.check("http://broken.test/b");
    expect(hits.get("allow.test")).toBe(1);
    expect(hits.get("broken.test")).toBe(2);
    now += 24 * 60 * 60 * 1000;
    await robots.check("http://allow.test/d");
    expect(hits.get("allow.test")).toBe(2);
  });
});
