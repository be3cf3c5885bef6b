import { writeFileSync } from "node:fs";
import { type RunningSim, type ServiceTime } from "../vendors/common";
import { startLlmSimulator, startTavilySimulator, startVendorSimulators, startZeroBounceSimulator, type VendorSimulators } from "../vendors/index";
import { type Latency } from "../vendors/latency";
import { tokenLatency } from "../vendors/llm-sim";
import { type VendorWorld } from "../vendors/world";
import { startFixtureWeb, type FixtureWeb } from "../web/server";
import { buildWorld, type World } from "../world/index";
import { type RegistryCompany } from "../world/model";
import { DEMO_COMPANIES } from "../world/names";
import { hash32 } from "../world/random";
import { companyAttribution, servedBy, serviceLogFile, type ServedRecord } from "./service-log";
import { vendorWorldFrom } from "./vendor-world";

export type DevWorldProfile = "fast" | "realistic";

/**
 * Per-request delays (ms), seeded. "realistic" is the benchmark's: what the
 * real services take, tails included — Apify's run-sync actors 10–60 s (most
 * near 13 s), the LLM a base plus time per prompt and completion token
 * (gpt-4o-mini generates ~100 tokens a second), the others skewed with a tail
 * a few times their median.
 */
export const DEV_WORLD_PROFILES: Record<
  DevWorldProfile,
  { web: Latency; slowSiteMs: number; tavily: Latency; apify: Latency; zerobounce: Latency; lusha: Latency; llm: Latency | ServiceTime }
> = {
  fast: { web: 0, slowSiteMs: 300, tavily: [10, 40], apify: [30, 120], zerobounce: [10, 40], lusha: [10, 40], llm: [20, 80] },
  realistic: {
    web: { min: 100, median: 300, max: 3000 },
    slowSiteMs: 1200,
    tavily: { min: 700, median: 1400, max: 8000 },
    apify: { min: 10_000, median: 13_000, max: 60_000, sigma: 1 },
    zerobounce: { min: 1200, median: 2000, max: 10_000 },
    lusha: { min: 250, median: 500, max: 4000 },
    llm: tokenLatency({ base: { min: 250, median: 450, max: 4000 }, perPromptTokenMs: 0.05, perCompletionTokenMs: 10 }),
  },
};

/**
 * Linux refuses to start a process with any one environment string over
 * 128 KiB (E2BIG); bigger host maps go to a file instead.
 */
export const INLINE_HOST_MAP_MAX_BYTES = 100_000;

export type DevWorldOptions = {
  /** The registry sample; the demo companies are always added. */
  companies: RegistryCompany[];
  seed?: string;
  profile?: DevWorldProfile;
  /** Share (0..1) of web and vendor requests that fail (5xx; a quarter of vendor faults are 429). */
  faultRate?: number;
  /** Fixture web on N, then Tavily, Apify, ZeroBounce, Lusha, LLM on N+1…N+5; unset or 0: free ports. */
  basePort?: number;
  /** Where the crawler's host map goes when it is too big to pass inline. */
  hostOverridesFile?: string;
  llmModel?: string;
  /** Sets ENABLE_LUSHA_FALLBACK=true in the env (default false). */
  lushaFallback?: boolean;
  log?: (line: string) => void;
  /** Where every answered request's injected service time goes, one JSON line each (see service-log.ts). */
  serviceLogFile?: string;
};

export type DevWorld = {
  world: World;
  vendorWorld: VendorWorld;
  web: FixtureWeb;
  vendors: VendorSimulators;
  /** What the platform's web and worker need to use this world. */
  env: Record<string, string>;
  timings: { buildMs: number; indexMs: number; listenMs: number; totalMs: number };
  close(): Promise<void>;
};

/** The crawler's host map as env: inline when it fits, else written to `file`. */
export function crawlerHostEnv(overrides: Record<string, string>, file: string | undefined): Record<string, string> {
  const json = JSON.stringify(overrides);
  if (Buffer.byteLength(json) <= INLINE_HOST_MAP_MAX_BYTES || !file) return { CRAWLER_HOST_OVERRIDES: json };
  writeFileSync(file, json);
  return { CRAWLER_HOST_OVERRIDES_FILE: file };
}

/**
 * Builds the world from the registry sample, serves its sites and every
 * vendor API over it, and returns the env that points the platform there.
 */
/** The world every simulator of a dev world answers from, and its service log; the same seed and sample build the same world in any process. */
function worldFor(options: DevWorldOptions) {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? "dev";
  const profile = DEV_WORLD_PROFILES[options.profile ?? "fast"];
  const started = performance.now();
  // A demo company already in the registry sample keeps its registry UEN (so its
  // LinkedIn staff and site belong to the company the platform enriches).
  const registered = new Set(options.companies.map((c) => c.name.toUpperCase()));
  const demos = DEMO_COMPANIES.filter((d) => !registered.has(d.name.toUpperCase()));
  const world = buildWorld([...demos, ...options.companies], { seed, slowMs: profile.slowSiteMs });
  const built = performance.now();
  const vendorWorld = vendorWorldFrom(world);
  // The lazy indexes take seconds for thousands of companies; pay for them before "ready", not on the first call.
  world.searchWeb("warm up");
  vendorWorld.profile("https://www.linkedin.com/in/warm-up");
  vendorWorld.searchProfiles("warm up");
  const indexed = performance.now();
  log(`world: ${world.companies().length} companies, ${world.sites().length} sites, ${world.hosts().length} hosts (seed ${seed})`);
  const serviceLog = options.serviceLogFile ? serviceLogFile(options.serviceLogFile) : undefined;
  return { log, seed, profile, started, built, indexed, world, vendorWorld, serviceLog, attribution: companyAttribution(world) };
}

/** The vendors whose simulators count a key's requests against its limit: a benchmark gives each a process of its own. */
export const LIMITED_VENDORS = ["llm", "tavily", "zerobounce"] as const;
export type LimitedVendor = (typeof LIMITED_VENDORS)[number];

export type OneVendorWorld = { sim: RunningSim; env: Record<string, string>; timings: DevWorld["timings"]; close(): Promise<void> };

/**
 * One vendor's API alone, over the same world as `startDevWorld` with the
 * same options. A simulator counts a request against the key's limit when
 * its handler runs; in one process with the fixture web and the other
 * vendors, on a machine the workers keep busy, that ran up to 34 s after the
 * worker had written the request (5,000 companies on three workers), so
 * requests sent in one minute were counted in the next, as breaches the
 * vendor would not count: the vendors count requests per minute as they
 * reach their servers (reference/vendor-limits.md), and none shares its
 * servers with the sites being crawled.
 */
export async function startVendorWorld(vendor: LimitedVendor, options: DevWorldOptions): Promise<OneVendorWorld> {
  const { log, seed, profile, started, built, indexed, vendorWorld, serviceLog, attribution } = worldFor(options);
  const common = {
    world: vendorWorld,
    port: options.basePort ? options.basePort + { tavily: 1, zerobounce: 3, llm: 5 }[vendor] : 0,
    latencyMs: profile[vendor],
    faultRate: options.faultRate ?? 0,
    rateLimitShare: 0.25,
    seed: hash32(seed, "vendor-faults", vendor),
    onServed: serviceLog ? servedBy(vendor, attribution, (r) => serviceLog.write(r)) : undefined,
  };
  let sim: RunningSim;
  let env: Record<string, string>;
  if (vendor === "llm") {
    sim = await startLlmSimulator(common);
    env = { LLM_BASE_URL: `${sim.url}/v1`, LLM_API_KEY: "sk-simulator", LLM_MODEL: options.llmModel ?? "gpt-4o-mini" };
  } else if (vendor === "tavily") {
    sim = await startTavilySimulator(common);
    env = { TAVILY_BASE_URL: sim.url, TAVILY_API_KEY: "tvly-dev-simulator" };
  } else {
    // A long run must not run the simulated account dry.
    sim = await startZeroBounceSimulator({ ...common, credits: 10_000_000 });
    env = { ZEROBOUNCE_BASE_URL: `${sim.url}/v2`, ZEROBOUNCE_API_KEY: "zb-simulator-key" };
  }
  const listening = performance.now();
  log(`listening: ${vendor} ${sim.url}`);
  return {
    sim,
    env,
    timings: startupTimings(started, built, indexed, listening),
    async close() {
      await sim.close();
      await serviceLog?.close();
    },
  };
}

/** How long a world took to build, index and start listening, from performance.now() marks. */
function startupTimings(started: number, built: number, indexed: number, listening: number) {
  return {
    buildMs: Math.round(built - started),
    indexMs: Math.round(indexed - built),
    listenMs: Math.round(listening - indexed),
    totalMs: Math.round(listening - started),
  };
}

export async function startDevWorld(options: DevWorldOptions): Promise<DevWorld> {
  const { log, seed, profile, started, built, indexed, world, vendorWorld, serviceLog, attribution } = worldFor(options);
  const faultRate = options.faultRate ?? 0;
  const base = options.basePort ?? 0;
  const port = (offset: number) => (base ? base + offset : 0);
  const record = (r: ServedRecord) => serviceLog?.write(r);
  const crawlDelayS = (host: string) => {
    const robots = world.siteForHost(host)?.robots;
    return robots && "crawlDelayS" in robots ? robots.crawlDelayS : undefined;
  };
  const web = await startFixtureWeb({
    world,
    port: port(0),
    latencyMs: profile.web,
    faultRate,
    onServed: serviceLog
      ? ({ host, path, status, ms }) =>
          record({
            vendor: "web",
            uen: attribution.host(host),
            kind: path === "/robots.txt" ? "robots" : "page",
            ms,
            status,
            host,
            crawlDelayS: crawlDelayS(host),
          })
      : undefined,
  });
  let vendors: VendorSimulators;
  try {
    const common = (name: Exclude<ServedRecord["vendor"], "web">, latencyMs: Latency | ServiceTime) => ({
      latencyMs,
      faultRate,
      rateLimitShare: 0.25,
      seed: hash32(seed, "vendor-faults", name),
      onServed: serviceLog ? servedBy(name, attribution, record) : undefined,
    });
    vendors = await startVendorSimulators({
      world: vendorWorld,
      ports: { tavily: port(1), apify: port(2), zerobounce: port(3), lusha: port(4), llm: port(5) },
      tavily: common("tavily", profile.tavily),
      apify: common("apify", profile.apify),
      // A long dev session or a nightly run must not run the simulated accounts dry.
      zerobounce: { ...common("zerobounce", profile.zerobounce), credits: 10_000_000 },
      lusha: { ...common("lusha", profile.lusha), credits: 10_000_000 },
      llm: common("llm", profile.llm),
    });
  } catch (error) {
    await web.stop();
    await serviceLog?.close();
    throw error;
  }
  const listening = performance.now();

  const env: Record<string, string> = {
    ...crawlerHostEnv(web.overrides(), options.hostOverridesFile),
    CRAWLER_OFFLINE: "1",
    CRAWLER_SCHEMES: "http",
    ...vendors.env,
    LLM_MODEL: options.llmModel ?? "gpt-4o-mini",
    ENABLE_LUSHA_FALLBACK: options.lushaFallback ? "true" : "false",
  };
  log(
    `listening: web ${web.url}, tavily ${vendors.tavily.url}, apify ${vendors.apify.url}, zerobounce ${vendors.zerobounce.url}, lusha ${vendors.lusha.url}, llm ${vendors.llm.url}`,
  );

  return {
    world,
    vendorWorld,
    web,
    vendors,
    env,
    timings: startupTimings(started, built, indexed, listening),
    async close() {
      await Promise.all([web.stop(), vendors.close()]);
      await serviceLog?.close();
    },
  };
}
