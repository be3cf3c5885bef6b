import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureWeb, type FixtureWeb } from "../../tests/sims/web/server";
import { buildWorld, type World } from "../../tests/sims/world/index";
import { type Site } from "../../tests/sims/world/model";
import { DEMO_COMPANIES, syntheticCompanies } from "../../tests/sims/world/names";
import { crawlerSettings, crawlerEnv } from "./config.server";
import { distinctWordCount, THIN_MIN_WORDS } from "./crawl-site.server";
import { createCrawler, type Crawler } from "./crawler.server";
import { type Clock, type SharedHostGate } from "./politeness.server";

let world: World;
let web: FixtureWeb;
let crawler: Crawler;
const sleeps: number[] = [];
let t = 0;
/** Politeness waits are recorded, not slept: spacing is asserted, never timed. */
const clock: Clock = {
  now: () => t,
  sleep: async (ms) => {
    sleeps.push(ms);
    t += ms;
  },
};

function newCrawler(overrides: Record<string, string> = {}, sharedHosts?: SharedHostGate) {
  return createCrawler(crawlerSettings(crawlerEnv.parse({ CRAWL_TIMEOUT_MS: "4000", ...overrides })), {
    production: false,
    offline: true,
    hostOverrides: web.overrides(),
    schemes: ["http"],
    clock,
    sharedHosts,
  });
}

/** A shared host gate that grants every lease at once and records each write it would make to the database. */
function recordingGate() {
  const writes: string[] = [];
  const gate: SharedHostGate = {
    acquire: async (host) => {
      writes.push(`acquire ${host}`);
      return { release: async () => void writes.push(`release ${host}`) };
    },
    touch: async (host) => void writes.push(`touch ${host}`),
  };
  return { gate, writes };
}

function site(predicate: (s: Site) => boolean): Site {
  const found = world.sites().find((s) => s.company && s.company.uen !== "201012345K" && predicate(s));
  if (!found) throw new Error("no such site in the test world");
  return found;
}

beforeAll(async () => {
  world = buildWorld([...DEMO_COMPANIES, ...syntheticCompanies(400, "crawl-test")], { seed: "crawl-test", slowMs: 300 });
  web = await startFixtureWeb({ world });
  crawler = newCrawler();
});

afterAll(async () => {
  await crawler.close();
  await web.stop();
});

describe("crawlSite over the fixture web", () => {
  it("reads a rich site: home, about and contact, with text, hashes and contacts", async () => {
    const rich = site((s) => s.kind === "rich" && s.robots.kind === "allow_all" && !s.robots.crawlDelayS && !s.bigPage);
    const result = await crawler.crawl(rich.domain);
    expect(result.status).toBe("ok");
    expect(result.pages.map((p) => p.kind)).toEqual(["home", "about", "contact"]);
    const about = result.pages.find((p) => p.kind === "about")!;
    expect(about.text).toContain(rich.company!.brand);
    expect(about.text).not.toContain("We use cookies");
    expect(about.sha256).toBe(createHash("sha256").update(about.text).digest("hex"));
    expect(about.status).toBe(200);
    expect(result.pages.find((p) => p.kind === "contact")!.phones).toContain(rich.company!.phone);
    expect(result.wordCount).toBeGreaterThanOrEqual(THIN_MIN_WORDS);
    const requests = web.stats.recent.filter((r) => r.host === rich.domain);
    expect(requests[0]?.path).toBe("/robots.txt");
    expect(requests.every((r) => r.userAgent.startsWith("NexiusLeadsBot/1.0"))).toBe(true);
  });

  it("reads the careers page only when asked (Codigo)", async () => {
    const plain = await crawler.crawl("codigo.com.sg");
    expect(plain.pages.map((p) => p.kind)).not.toContain("careers");
    const withCareers = await crawler.crawl("codigo.com.sg", { includeCareers: true });
    const careers = withCareers.pages.find((p) => p.kind === "careers");
    expect(careers?.text).toMatch(/open positions/i);
    expect(careers?.emails).toContain("careers@codigo.com.sg");
    expect(withCareers.pages.find((p) => p.kind === "home")?.organizations[0]?.name).toBe("CODIGO PTE. LTD.");
  });

  it("skips pages robots.txt disallows", async () => {
    const partial = site((s) => s.kind === "rich" && s.careers && s.robots.kind === "disallow_paths" && s.robots.paths.length === 4);
    const result = await crawler.crawl(partial.domain, { includeCareers: true });
    expect(result.skipped).toEqual([expect.objectContaining({ kind: "careers", reason: "robots_disallow" })]);
    expect(
      web.stats.recent.some((r) => r.host === partial.domain && r.path.startsWith(partial.robots.kind === "disallow_paths" ? partial.robots.paths[3]! : "-")),
    ).toBe(false);
  });

  it("is blocked by robots.txt Disallow: / (for us or for everyone) without fetching any page", async () => {
    for (const scope of ["all_agents", "our_bot", "all_but_google"] as const) {
      const denied = site((s) => s.kind === "robots_disallowed" && s.robots.kind === "disallow_all" && s.robots.scope === scope);
      const result = await crawler.crawl(denied.domain);
      expect(result, scope).toMatchObject({ status: "blocked", reason: "robots_disallow", pages: [] });
      expect(web.stats.recent.filter((r) => r.host === denied.domain).map((r) => r.path)).toEqual(["/robots.txt"]);
    }
  });

  it("treats a 5xx robots.txt as complete disallow and a 5xx homepage as an error", async () => {
    const robotsDown = site((s) => s.kind === "error" && s.robots.kind === "server_error");
    expect(await crawler.crawl(robotsDown.domain)).toMatchObject({ status: "blocked", reason: "robots_unreachable" });
    const pagesDown = site((s) => s.kind === "error" && s.robots.kind === "missing");
    expect(await crawler.crawl(pagesDown.domain)).toMatchObject({ status: "error", reason: `http_${pagesDown.errorStatus}` });
  });

  it("calls a coming-soon site thin", async () => {
    const thin = site((s) => s.kind === "thin");
    const result = await crawler.crawl(thin.domain);
    expect(result.status).toBe("thin");
    expect(result.pages).toHaveLength(1);
    expect(result.reason).toMatch(/words < 150/);
  });

  it("follows redirects to www. and to a language path", async () => {
    const www = site((s) => s.redirect === "www");
    const toWww = await crawler.crawl(www.domain);
    expect(toWww.status).toBe("ok");
    expect(toWww.homeUrl).toBe(`http://www.${www.domain}/`);
    expect(toWww.pages.every((p) => new URL(p.url).hostname === `www.${www.domain}`)).toBe(true);
    const path = site((s) => s.redirect === "path");
    const toPath = await crawler.crawl(path.domain);
    expect(toPath).toMatchObject({ status: "ok", homeUrl: `http://${path.domain}/en/` });
    expect(toPath.pages.find((p) => p.kind === "about")?.url).toMatch(new RegExp(`^http://${path.domain.replace(/\./g, "\\.")}/en/`));
  });

  it("waits before a redirect hop as before a request of its own, and counts it for the next page", async () => {
    const www = site((s) => s.redirect === "www" && s.robots.kind === "allow_all" && !s.robots.crawlDelayS);
    const fresh = newCrawler();
    sleeps.length = 0;
    const result = await fresh.crawl(www.domain);
    expect(result.status).toBe("ok");
    // robots.txt → homepage (wait) → 301 to www., whose robots.txt was just read (wait) → each further www. page (wait).
    expect(sleeps).toEqual(Array(result.pages.length + 1).fill(1000));
    await fresh.close();
  });

  it("records a page's request in the shared gate once: its lease's release, without a touch after it", async () => {
    const rich = site((s) => s.kind === "rich" && s.robots.kind === "allow_all" && !s.robots.crawlDelayS && !s.bigPage && !s.redirect);
    const { gate, writes } = recordingGate();
    const shared = newCrawler({}, gate);
    const result = await shared.crawl(rich.domain);
    expect(result.pages.map((p) => p.kind)).toEqual(["home", "about", "contact"]);
    // robots.txt is read outside the queue and touched; each page is a lease, released when it ends.
    expect(writes).toEqual([`touch ${rich.domain}`, ...result.pages.flatMap(() => [`acquire ${rich.domain}`, `release ${rich.domain}`])]);
    await shared.close();
  });

  it("reads slow sites within the timeout and gives up on them beyond it", async () => {
    const slow = site((s) => s.kind === "slow" && s.robots.kind !== "disallow_paths");
    expect((await crawler.crawl(slow.domain)).status).toBe("ok");
    const impatient = newCrawler({ CRAWL_TIMEOUT_MS: "150" });
    expect(await impatient.crawl(slow.domain)).toMatchObject({ status: "error", reason: "timeout" });
    await impatient.close();
  });

  it("refuses a non-HTML homepage, an oversized page, a parked domain and an unknown domain", async () => {
    const pdf = site((s) => s.kind === "non_html");
    expect(await crawler.crawl(pdf.domain)).toMatchObject({ status: "error", reason: "not_html" });
    const big = world.sites().find((s) => s.bigPage)!;
    const outcome = await crawler.fetcher.fetch(`http://${big.contentHost}/news`).then(
      (r) => `read ${r.bytes} bytes`,
      (e: Error) => e.name,
    );
    expect(outcome).toBe("TooLargeError");
    const parked = world.sites().find((s) => s.kind === "parked")!;
    expect(await crawler.crawl(parked.domain)).toMatchObject({ status: "thin", reason: "parked_domain" });
    expect(await crawler.crawl("no-such-company.com.sg")).toMatchObject({ status: "error", reason: "dns" });
  });

  it("waits the site's Crawl-delay between its pages, capped", async () => {
    const delayed = site((s) => s.kind === "rich" && s.robots.kind === "allow_all" && s.robots.crawlDelayS === 30);
    const capped = newCrawler({ CRAWL_MAX_CRAWL_DELAY_S: "10" });
    sleeps.length = 0;
    const result = await capped.crawl(delayed.domain);
    expect(result.status).toBe("ok");
    // robots.txt → homepage → each further page, 10 s apart.
    expect(sleeps).toEqual(Array(result.pages.length).fill(10_000));
    await capped.close();
  });
});

describe("distinctWordCount", () => {
  it("counts a line repeated across pages once", () => {
    expect(distinctWordCount(["Welcome to Zenith\nWe move freight", "Welcome to Zenith\nContact us today"])).toBe(9);
  });
});
