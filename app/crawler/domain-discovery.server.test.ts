import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureWeb, type FixtureWeb } from "../../tests/sims/web/server";
import { buildWorld, type World } from "../../tests/sims/world/index";
import { DEMO_COMPANIES, syntheticCompanies } from "../../tests/sims/world/names";
import { crawlerEnv, crawlerSettings } from "./config.server";
import { createCrawler, type Crawler } from "./crawler.server";
import { candidateDomains, coreCompanyName, nameMatchScore } from "./domain-discovery.server";
import { extractPageText } from "./html-text.server";

describe("candidate domains from a registry name", () => {
  it("strips legal suffixes and Singapore markers", () => {
    expect(coreCompanyName("CODIGO PTE. LTD.")).toBe("CODIGO");
    expect(coreCompanyName("ZENITH LOGISTICS (S) PTE LTD")).toBe("ZENITH LOGISTICS");
    expect(coreCompanyName("KAIZEN ACADEMY SINGAPORE PRIVATE LIMITED")).toBe("KAIZEN ACADEMY");
    expect(coreCompanyName("THE BANYAN GROUP LLP")).toBe("BANYAN GROUP");
    expect(coreCompanyName("HELIX (SINGAPORE) LTD.")).toBe("HELIX");
  });

  it("orders joined forms before hyphenated ones, .com.sg before .sg before .com", () => {
    expect(candidateDomains("CODIGO PTE. LTD.")).toEqual(["codigo.com.sg", "codigo.sg", "codigo.com"]);
    expect(candidateDomains("ZENITH LOGISTICS (S) PTE. LTD.")).toEqual([
      "zenithlogistics.com.sg",
      "zenithlogistics.sg",
      "zenithlogistics.com",
      "zenith.com.sg",
      "zenith.sg",
      "zenith.com",
      "zenith-logistics.com.sg",
      "zenith-logistics.sg",
      "zenith-logistics.com",
    ]);
  });

  it("spells & both as 'and' and not at all, and drops punctuation", () => {
    const domains = candidateDomains("ORCHID & PEARL CONSULTING PTE. LTD.");
    expect(domains.slice(0, 6)).toEqual([
      "orchidandpearlconsulting.com.sg",
      "orchidandpearlconsulting.sg",
      "orchidandpearlconsulting.com",
      "orchidpearlconsulting.com.sg",
      "orchidpearlconsulting.sg",
      "orchidpearlconsulting.com",
    ]);
    expect(domains).toContain("orchidandpearl.sg");
    expect(domains).toContain("orchidpearl.com.sg");
    expect(domains).toContain("orchid-and-pearl-consulting.com.sg");
    expect(candidateDomains("O'BRIEN'S CAFÉ PTE. LTD.")[0]).toBe("obrienscafe.com.sg");
  });

  it("returns nothing for names that are only legal words", () => {
    expect(candidateDomains("PTE. LTD.")).toEqual([]);
  });
});

describe("nameMatchScore", () => {
  const page = (html: string) => extractPageText(html, "http://x.sg/");
  it("is 1 for the legal name, partial for some words, 0 for parked pages", () => {
    expect(nameMatchScore("ZENITH LOGISTICS PTE. LTD.", page("<title>Home</title><footer>© 2025 Zenith Logistics Pte. Ltd.</footer>"))).toBe(1);
    expect(nameMatchScore("ZENITH LOGISTICS PTE. LTD.", page("<title>Zenith | Freight in Singapore</title>"))).toBe(0.5);
    expect(nameMatchScore("ZENITH PTE. LTD.", page("<title>zenith.com.sg is for sale</title><p>Buy this domain</p>"))).toBe(0);
  });
  it("discounts a namesake with nothing pointing to Singapore", () => {
    expect(nameMatchScore("ZENITH PTE. LTD.", page("<title>Zenith — bakery in Madrid</title>"))).toBeCloseTo(0.8);
    expect(nameMatchScore("ZENITH PTE. LTD.", page("<title>Zenith</title><p>Call +65 6123 4567</p>"))).toBe(1);
  });
});

describe("discovery over the dev world", () => {
  let world: World;
  let web: FixtureWeb;
  let crawler: Crawler;
  const companies = [...DEMO_COMPANIES, ...syntheticCompanies(300, "discovery")];

  beforeAll(async () => {
    world = buildWorld(companies, { seed: "discovery", slowMs: 200 });
    web = await startFixtureWeb({ world });
    crawler = createCrawler(crawlerSettings(crawlerEnv.parse({ CRAWL_MIN_DELAY_MS: "0", CRAWL_MAX_CRAWL_DELAY_S: "0", CRAWL_CONCURRENCY: "32" })), {
      production: false,
      offline: true,
      hostOverrides: web.overrides(),
      schemes: ["http"],
    });
  });

  afterAll(async () => {
    await crawler.close();
    await web.stop();
  });

  it("finds Codigo with evidence", async () => {
    const result = await crawler.discover("CODIGO PTE. LTD.");
    expect(result).toMatchObject({ domain: "codigo.com.sg", confidence: "high", homeUrl: "http://codigo.com.sg/" });
    expect(result.evidence).toContainEqual({ domain: "codigo.com.sg", step: "match", ok: true, detail: expect.stringContaining("Codigo"), score: 1 });
  });

  it("finds ≥ 70 % of domains by guessing, with no wrong answers, and the crawl yields about text for ≥ 60 %", async () => {
    const results = new Map<string, { domain?: string; about: boolean }>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < companies.length) {
          const company = companies[next++]!;
          const found = await crawler.discover(company.name);
          let about = false;
          if (found.domain) {
            const crawl = await crawler.crawl(found.domain);
            about = crawl.status === "ok";
          }
          results.set(company.uen, { domain: found.domain, about });
        }
      }),
    );
    let found = 0;
    let wrong = 0;
    let about = 0;
    for (const company of companies) {
      const truth = world.truth(company.uen)!;
      const result = results.get(company.uen)!;
      if (result.domain && result.domain === truth.domain) found += 1;
      else if (result.domain) wrong += 1;
      if (result.about) about += 1;
    }
    const share = (n: number) => n / companies.length;
    expect(share(found)).toBeGreaterThanOrEqual(0.7);
    expect(wrong).toBe(0);
    expect(share(about)).toBeGreaterThanOrEqual(0.6);
    // Nothing should reach the world's search-only sites by guessing, so this is not a tautology.
    expect(companies.some((c) => world.truth(c.uen)?.discoverability === "search_only" && !results.get(c.uen)?.domain)).toBe(true);
  });
});
