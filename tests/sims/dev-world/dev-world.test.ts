import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { crawlerEnv, crawlerSettings } from "~/crawler/config.server";
import { createCrawler, crawlerWiring, type Crawler } from "~/crawler/crawler.server";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { createApifyClient, discoverContactsViaApify } from "~/vendors/apify.server";
import { DEFAULT_CONTACT_TITLES, vendorConfigs, vendorsEnv } from "~/vendors/config.server";
import { RateLimited, Unavailable } from "~/vendors/errors.server";
import { createLlmClient } from "~/vendors/llm.server";
import { createTavilyClient } from "~/vendors/tavily.server";
import { createZeroBounceClient, mapZeroBounceStatus } from "~/vendors/zerobounce.server";
import { DEMO_COMPANIES, syntheticCompanies } from "../world/names";
import { crawlerHostEnv, INLINE_HOST_MAP_MAX_BYTES, startDevWorld, startVendorWorld, type DevWorld } from "./dev-world";
import { readServiceLog } from "./service-log";

const platformEnv = crawlerEnv.extend(vendorsEnv.shape);

let dw: DevWorld;
let crawler: Crawler;

beforeAll(async () => {
  dw = await startDevWorld({ companies: syntheticCompanies(400, "it"), seed: "it", profile: "fast" });
  // No politeness gaps (Codigo's robots.txt asks for 3 s in this world): the test proves wiring, not manners.
  const env = platformEnv.parse({ ...dw.env, CRAWL_MIN_DELAY_MS: "0", CRAWL_MAX_CRAWL_DELAY_S: "0" });
  crawler = createCrawler(crawlerSettings(env), crawlerWiring(env, "development"));
});

afterAll(async () => {
  await crawler?.close();
  await dw?.close();
});

const configs = () => vendorConfigs(platformEnv.parse(dw.env));

describe("the dev world", () => {
  it("writes exactly the env the platform reads, every vendor configured, Lusha fallback off", () => {
    expect(Object.keys(dw.env).sort()).toEqual(
      [
        "CRAWLER_HOST_OVERRIDES",
        "CRAWLER_OFFLINE",
        "CRAWLER_SCHEMES",
        "TAVILY_BASE_URL",
        "TAVILY_API_KEY",
        "APIFY_BASE_URL",
        "APIFY_TOKEN",
        "ZEROBOUNCE_BASE_URL",
        "ZEROBOUNCE_API_KEY",
        "LUSHA_BASE_URL",
        "LUSHA_API_KEY",
        "ENABLE_LUSHA_FALLBACK",
        "LLM_BASE_URL",
        "LLM_API_KEY",
        "LLM_MODEL",
      ].sort(),
    );
    const env = platformEnv.parse(dw.env);
    expect(env.CRAWLER_OFFLINE).toBe(true);
    expect(env.CRAWLER_SCHEMES).toEqual(["http"]);
    expect(Object.keys(env.CRAWLER_HOST_OVERRIDES!)).toHaveLength(dw.world.hosts().length);
    const c = configs();
    expect([c.tavily, c.apify, c.zeroBounce, c.lusha, c.llm].every(Boolean)).toBe(true);
    expect(c.lushaFallbackEnabled).toBe(false);
    expect(dw.world.companyByName("CODIGO PTE. LTD.")).toBeDefined();
    expect(dw.world.companies()).toHaveLength(400 + DEMO_COMPANIES.length);
  });

  it("lets the crawler read codigo.com.sg through the host map", async () => {
    const result = await crawler.crawl("codigo.com.sg");
    expect(result.status).toBe("ok");
    expect(result.pages.map((p) => p.kind)).toEqual(expect.arrayContaining(["home", "about", "contact"]));
    expect(result.pages.flatMap((p) => p.emails)).toEqual(expect.arrayContaining([expect.stringMatching(/@codigo\.com\.sg$/)]));
    expect(dw.web.stats.byHost.get("codigo.com.sg")).toBeGreaterThan(0);
    await expect(crawler.crawl("no-such-company-anywhere.sg")).resolves.toMatchObject({ status: "error" });
  });

  it("finds a search-only company's site through Tavily", async () => {
    const hidden = dw.world.companies().find((c) => c.site?.discoverability === "search_only" && c.site.kind === "rich")!;
    const tavily = createTavilyClient(configs().tavily!);
    const answer = await tavily.search({ query: `${hidden.name} official website`, maxResults: 5 });
    const hosts = answer.results.map((r) => new URL(r.url).hostname);
    expect(hosts.some((h) => hidden.site!.hosts.includes(h))).toBe(true);
  });

  it("returns CODIGO's decision makers through the Apify chain", async () => {
    const codigo = dw.world.companyByName("CODIGO PTE. LTD.")!;
    const result = await apifyChainFor(createApifyClient(configs().apify!), codigo);
    expect(result).toMatchObject({ outcome: "ok", calls: 3, usedFallback: false });
    expect(result.contacts.length).toBeGreaterThan(0);
    expect(result.contacts.every((c) => c.company_current === codigo.brand)).toBe(true);
    const founder = dw.world.staff(codigo.uen)[0]!;
    expect(result.contacts.map((c) => c.full_name)).toContain(founder.fullName);
  });

  it("verifies a batch of addresses through ZeroBounce with the world's verdicts", async () => {
    const codigo = dw.world.companyByName("CODIGO PTE. LTD.")!;
    const addresses = [...dw.world.truth(codigo.uen)!.emails, "guessed.person@codigo.com.sg", "someone@gmail.com", "a@unknown-domain-xyz.sg"];
    const results = await createZeroBounceClient(configs().zeroBounce!).validateBatch(addresses);
    expect(results).toHaveLength(addresses.length);
    for (const r of results) {
      const verdict = dw.world.emailVerdict(r.email);
      expect([r.vendorStatus, r.status]).toEqual([verdict.status, mapZeroBounceStatus(verdict.status, verdict.subStatus)]);
    }
  });

  it("gets a structured answer from the LLM over crawled text", async () => {
    const page = (await crawler.crawl("codigo.com.sg")).pages.find((p) => p.kind === "contact")!;
    const schema = z.object({ summary: z.string(), emails: z.array(z.string()), headcount: z.number().int().optional() });
    const llm = createLlmClient(configs().llm!);
    const answer = await llm.llmJson({ schema, name: "company_facts", system: "Extract facts about the company.", user: page.text, maxTokens: 800 });
    expect(answer.model).toBe("gpt-4o-mini");
    expect(answer.value.emails.length).toBeGreaterThan(0);
    expect(answer.value.emails.every((e) => page.text.includes(e))).toBe(true);
    expect(answer.usage.total_tokens).toBeGreaterThan(0);
  });
});

describe("a vendor with a rate limit in a process of its own", () => {
  it("serves that vendor's API alone over the same world, logs what it served, and counts the key's breaches", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "served-")), "zerobounce.jsonl");
    // The options of the dev world above: the same world, whichever process builds it.
    const codigo = dw.world.companyByName("CODIGO PTE. LTD.")!;
    const addresses = dw.world.truth(codigo.uen)!.emails;
    const own = await startVendorWorld("zerobounce", { companies: syntheticCompanies(400, "it"), seed: "it", profile: "fast", serviceLogFile: file });
    try {
      expect(Object.keys(own.env).sort()).toEqual(["ZEROBOUNCE_API_KEY", "ZEROBOUNCE_BASE_URL"]);
      const zeroBounce = createZeroBounceClient(vendorConfigs(platformEnv.parse({ ...dw.env, ...own.env })).zeroBounce!);
      const results = await zeroBounce.validateBatch(addresses);
      expect(results.map((r) => r.vendorStatus)).toEqual(addresses.map((email) => dw.world.emailVerdict(email).status));
      // Five more calls straight to the API within the minute: the sixth of the window breaks the key's limit.
      for (let i = 0; i < 5; i++) {
        await fetch(`${own.env.ZEROBOUNCE_BASE_URL}/validatebatch`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ api_key: own.env.ZEROBOUNCE_API_KEY, email_batch: [{ email_address: `p${i}@codigo.com.sg` }] }),
        }).then((res) => res.arrayBuffer());
      }
      expect(own.sim.stats.limitBreaches).toBe(1);
    } finally {
      await own.close();
    }
    const records = await readServiceLog(file);
    expect(records.map((r) => [r.vendor, r.status, r.items])).toEqual([
      ["zerobounce", 200, addresses.length],
      ["zerobounce", 200, 1],
      ["zerobounce", 200, 1],
      ["zerobounce", 200, 1],
      ["zerobounce", 200, 1],
      ["zerobounce", 429, 0],
    ]);
  });
});

describe("faults", () => {
  it("fails seeded shares of web and vendor requests with 5xx and 429", async () => {
    const faulty = await startDevWorld({ companies: [], seed: "faults", faultRate: 1 });
    try {
      // Each 429 is the answer itself here, not waited out and sent again.
      const tavily = createTavilyClient({ ...vendorConfigs(platformEnv.parse(faulty.env)).tavily!, rateLimitRetries: 0 });
      const errors = await Promise.all(Array.from({ length: 12 }, () => tavily.search({ query: "codigo" }).catch((e: unknown) => e)));
      expect(errors.every((e) => e instanceof Unavailable || e instanceof RateLimited)).toBe(true);
      expect(errors.some((e) => e instanceof RateLimited)).toBe(true);
      expect(errors.some((e) => e instanceof Unavailable)).toBe(true);
      // fetch() may not set Host; the fixture web picks the site by it.
      const status = await new Promise<number | undefined>((resolve, reject) =>
        http
          .get({ port: faulty.web.port, host: "127.0.0.1", path: "/", headers: { host: "codigo.com.sg" } }, (res) => {
            res.resume();
            resolve(res.statusCode);
          })
          .on("error", reject),
      );
      expect(status).toBe(503);
    } finally {
      await faulty.close();
    }
  });
});

describe("the host map", () => {
  it("goes inline while small and to a file when too big for one environment variable", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dev-world-"));
    const file = path.join(dir, "hosts.json");
    expect(crawlerHostEnv({ "codigo.com.sg": "127.0.0.1:4100" }, file)).toEqual({ CRAWLER_HOST_OVERRIDES: '{"codigo.com.sg":"127.0.0.1:4100"}' });
    const big = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`company-number-${i}.com.sg`, "127.0.0.1:4100"]));
    expect(JSON.stringify(big).length).toBeGreaterThan(INLINE_HOST_MAP_MAX_BYTES);
    expect(crawlerHostEnv(big, file)).toEqual({ CRAWLER_HOST_OVERRIDES_FILE: file });
    expect(crawlerWiring(crawlerEnv.parse({ CRAWLER_HOST_OVERRIDES_FILE: file }), "development").hostOverrides).toEqual(big);
  });
});

describe("main.ts", () => {
  it("announces the env file, and stops and cleans up when stdin closes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dev-world-"));
    const companiesFile = path.join(dir, "registry.json");
    writeFileSync(companiesFile, JSON.stringify(syntheticCompanies(50, "cli").map(({ uen, name, ssicCode }) => ({ uen, name, ssicCode }))));
    const envOut = path.join(dir, "env.json");
    const child = spawn(
      path.resolve("node_modules/.bin/tsx"),
      ["tests/sims/dev-world/main.ts", "--companies-file", companiesFile, "--seed", "cli", "--env-out", envOut, "--profile", "fast"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve(stdout);
      });
      child.on("exit", () => reject(new Error(`exited before ready: ${stderr}`)));
    });
    expect(JSON.parse(ready)).toEqual({ ready: envOut });
    const env = platformEnv.parse(JSON.parse(readFileSync(envOut, "utf8")));
    expect(Object.keys(env.CRAWLER_HOST_OVERRIDES ?? {})).toContain("codigo.com.sg");
    expect(stderr).toMatch(/dev-world: ready in \d+ ms/);

    child.stdin.end();
    expect(await exited).toBe(0);
    expect(existsSync(envOut)).toBe(false);
  }, 60_000);
});

describe("the service log", () => {
  it("records every answered request's injected service time, tied to the company it was about", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "served-")), "served.jsonl");
    const logged = await startDevWorld({ companies: syntheticCompanies(20, "log"), seed: "log", profile: "fast", serviceLogFile: file });
    const codigo = logged.world.companyByName("CODIGO PTE. LTD.")!;
    try {
      const env = platformEnv.parse(logged.env);
      const result = await apifyChainFor(createApifyClient(vendorConfigs(env).apify!), codigo);
      expect(result.calls).toBe(3);
      const home = await new Promise<number>((resolve, reject) =>
        http
          .get({ host: "127.0.0.1", port: logged.web.port, path: "/", headers: { host: "codigo.com.sg" } }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          })
          .on("error", reject),
      );
      expect(home).toBeLessThan(500);
      const zeroBounce = createZeroBounceClient(vendorConfigs(env).zeroBounce!);
      const [first, second] = dw.world.truth(codigo.uen)!.emails;
      await zeroBounce.validateBatch([first!, second!]);
      // A retried batch: only the address not sent before counts toward the batches the run needs.
      await zeroBounce.validateBatch([second!, "new.person@codigo.com.sg"]);
    } finally {
      await logged.close();
    }
    const records = await readServiceLog(file);
    const apify = records.filter((r) => r.vendor === "apify");
    // Company by name, employees by the company's LinkedIn URL, profiles by its people's profile URLs: all Codigo's.
    expect(apify.map((r) => r.uen)).toEqual([codigo.uen, codigo.uen, codigo.uen]);
    // Run-sync answers 201 Created; the "fast" profile injects 30–120 ms per actor run.
    expect(apify.every((r) => r.status === 201 && r.ms >= 30 && r.ms <= 120)).toBe(true);
    const web = records.find((r) => r.vendor === "web")!;
    expect(web).toMatchObject({ uen: codigo.uen, host: "codigo.com.sg", kind: "page" });
    const robots = codigo.site!.robots;
    expect(web.crawlDelayS).toBe("crawlDelayS" in robots ? robots.crawlDelayS : undefined);
    expect(web.ms).toBeGreaterThanOrEqual(codigo.site!.latencyMs);
    expect(records.filter((r) => r.vendor === "zerobounce").map((r) => [r.uen, r.kind, r.items])).toEqual([
      [null, "/v2/validatebatch", 2],
      [null, "/v2/validatebatch", 1],
    ]);
  });
});

describe("the service log of a batched actor run", () => {
  it("ties a run two companies shared to both of them", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "served-")), "served.jsonl");
    const logged = await startDevWorld({ companies: syntheticCompanies(20, "batch"), seed: "batch", profile: "fast", serviceLogFile: file });
    const [first, second] = logged.world.companies().filter((c) => c.linkedin && logged.world.staff(c.uen).length > 0);
    try {
      const env = platformEnv.parse(logged.env);
      const client = createApifyClient(vendorConfigs(env).apify!);
      await Promise.all([apifyChainFor(client, first!, "run-1"), apifyChainFor(client, second!, "run-1")]);
    } finally {
      await logged.close();
    }
    const apify = (await readServiceLog(file)).filter((r) => r.vendor === "apify");
    const served = (kind: string) =>
      apify
        .filter((r) => r.kind === kind)
        .map((r) => (r.uens ?? [r.uen!]).toSorted())
        .sort();
    const both = [first!.uen, second!.uen].sort();
    // One company-actor run and one profile run for both, each company's own employees run.
    expect(served("harvestapi~linkedin-company")).toEqual([both]);
    expect(served("harvestapi~linkedin-company-employees")).toEqual(both.map((uen) => [uen]));
    expect(served("dev_fusion~linkedin-profile-scraper")).toEqual([both]);
  });
});

/** The Apify LinkedIn chain for one company, with the platform's default titles and no cap; `batchKey` shares runs as a run's companies do. */
function apifyChainFor(client: ReturnType<typeof createApifyClient>, company: { name: string; uen: string }, batchKey?: string) {
  return discoverContactsViaApify({
    client,
    companyName: company.name,
    companyId: company.uen,
    titles: DEFAULT_CONTACT_TITLES,
    matchesTitle: matchesContactTitle,
    flags: { enabled: true, useChain: true },
    capGuard: { tryConsume: async () => true },
    writeLine: () => undefined,
    batchKey,
  });
}
