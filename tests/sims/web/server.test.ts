import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorld, type World } from "../world/index";
import { DEMO_COMPANIES, syntheticCompanies } from "../world/names";
import { startFixtureWeb, type FixtureWeb } from "./server";

let world: World;
let web: FixtureWeb;

function get(host: string, path: string, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: web.port, path, method, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  world = buildWorld([...DEMO_COMPANIES, ...syntheticCompanies(200, "web-test")], { seed: "web-test", slowMs: 50 });
  web = await startFixtureWeb({ world });
});

afterAll(() => web.stop());

describe("fixture web", () => {
  it("serves every site by Host header, and 421 for unknown hosts", async () => {
    const home = await get("codigo.com.sg", "/");
    expect(home.status).toBe(200);
    expect(home.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(home.body).toContain("<title>Codigo |");
    expect((await get("www.codigo.com.sg", "/")).status).toBe(200);
    expect((await get("elsewhere.example", "/")).status).toBe(421);
    expect(web.hosts()).toContain("codigo.com.sg");
    expect(web.overrides()["codigo.com.sg"]).toBe(`127.0.0.1:${web.port}`);
  });

  it("links pages to each other, careers included", async () => {
    const home = await get("codigo.com.sg", "/");
    const paths = [...home.body.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!);
    const careers = world.siteForHost("codigo.com.sg")!.pages();
    for (const page of careers.values()) if (page.kind !== "news") expect(paths).toContain(page.path);
    const careersPage = [...careers.values()].find((p) => p.kind === "careers")!;
    expect((await get("codigo.com.sg", careersPage.path)).body).toMatch(/Open positions/);
  });

  it("answers robots.txt per site: allow, disallow, crawl-delay, 404, 500", async () => {
    const bodies = await Promise.all(
      world
        .sites()
        .slice(0, 150)
        .map(async (s) => ({ site: s, robots: await get(s.domain, "/robots.txt") })),
    );
    const seen = new Set(bodies.map((b) => `${b.robots.status}:${b.robots.body.includes("Disallow: /\n")}:${b.robots.body.includes("Crawl-delay")}`));
    expect(seen).toContain("200:false:false");
    expect(seen).toContain("200:true:false");
    expect(seen).toContain("404:false:false");
    expect(seen).toContain("500:false:false");
    expect([...seen].some((s) => s.endsWith(":true"))).toBe(true);
    expect(bodies.find((b) => b.robots.status === 200)!.robots.headers["content-type"]).toMatch(/^text\/plain/);
  });

  it("redirects, errors, and serves non-HTML as such", async () => {
    const www = world.sites().find((s) => s.redirect === "www")!;
    expect(await get(www.domain, "/about?x=1")).toMatchObject({ status: 301, headers: { location: `http://www.${www.domain}/about?x=1` } });
    const path = world.sites().find((s) => s.redirect === "path")!;
    expect(await get(path.domain, "/")).toMatchObject({ status: 302, headers: { location: "/en/" } });
    const broken = world.sites().find((s) => s.kind === "error")!;
    expect((await get(broken.domain, "/")).status).toBe(broken.errorStatus);
    const pdf = world.sites().find((s) => s.kind === "non_html")!;
    const brochure = await get(pdf.domain, "/");
    expect(brochure.headers["content-type"]).toBe("application/pdf");
    expect(brochure.body.startsWith("%PDF-1.4")).toBe(true);
    expect((await get("codigo.com.sg", "/no-such-page")).status).toBe(404);
    expect((await get("codigo.com.sg", "/", "POST")).status).toBe(405);
    expect((await get("codigo.com.sg", "/sitemap.xml")).body).toContain("<loc>http://codigo.com.sg/</loc>");
  });

  it("serves big pages and counts requests", async () => {
    const big = world.sites().find((s) => s.bigPage)!;
    const news = await get(big.contentHost, "/news");
    expect(Number(news.headers["content-length"])).toBeGreaterThan(2_000_000);
    expect(web.stats.byHost.get(big.contentHost)).toBeGreaterThanOrEqual(1);
    expect(web.stats.byStatus.get(200)).toBeGreaterThan(0);
  });

  it("injects 503 faults at the configured rate", async () => {
    const faulty = await startFixtureWeb({ world, faultRate: 0.5 });
    try {
      const statuses = await Promise.all(
        Array.from(
          { length: 40 },
          () =>
            new Promise<number>((resolve, reject) => {
              http
                .get({ host: "127.0.0.1", port: faulty.port, path: "/", headers: { host: "codigo.com.sg" } }, (res) => {
                  res.resume();
                  resolve(res.statusCode ?? 0);
                })
                .on("error", reject);
            }),
        ),
      );
      expect(statuses.filter((s) => s === 503)).toHaveLength(faulty.stats.faults);
      expect(faulty.stats.faults).toBeGreaterThan(5);
      expect(faulty.stats.faults).toBeLessThan(35);
    } finally {
      await faulty.stop();
    }
  });
});
