import { afterEach, describe, expect, it } from "vitest";
import { QuotaExceeded, RateLimited, Timeout, Unauthorized, Unavailable } from "~/vendors/errors.server";
import { createTavilyClient, estimateTavilyCredits, type TavilyConfig } from "~/vendors/tavily.server";
import { type RunningSim } from "../sims/vendors/common";
import { startTavilySimulator, type TavilySimOptions } from "../sims/vendors/tavily-sim";

let sim: RunningSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(
  options: TavilySimOptions = {},
  apiKey = "tvly-dev-simulator",
  timeouts?: { searchMs?: number },
  limits: Pick<TavilyConfig, "requestsPerMinute" | "crawlRequestsPerMinute" | "rateLimitRetries" | "clock"> = { rateLimitRetries: 0 },
) {
  const started = await startTavilySimulator(options);
  sim = started;
  return { sim: started, client: createTavilyClient({ baseUrl: started.url, apiKey, timeouts, ...limits }) };
}

/** A clock the test moves: sleeping advances it, and the simulator's rate windows read it too. */
function testClock() {
  let now = Date.parse("2026-12-06T00:00:00Z");
  const slept: number[] = [];
  return {
    now: () => now,
    slept,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    },
  };
}

describe("Tavily client against the simulator", () => {
  it("searches and reports results, response_time and credits", async () => {
    const { client } = await setup();
    const res = await client.search({ query: "Lion City Robotics warehouse robots", maxResults: 3 });
    expect(res.results.length).toBeGreaterThan(0);
    expect(res.results.length).toBeLessThanOrEqual(3);
    expect(res.results[0]!.url).toContain("lioncityrobotics.sg");
    expect(typeof res.response_time).toBe("number");
    expect(res.credits).toBe(1);
    const advanced = await client.search({ query: "Marina Bay Logistics warehousing", searchDepth: "advanced" });
    expect(advanced.credits).toBe(2);
  });

  it("extracts pages and lists the ones it could not fetch", async () => {
    const { client, sim } = await setup();
    const res = await client.extract({
      urls: ["https://www.lioncityrobotics.sg/about", "https://www.lioncityrobotics.sg/contact", "https://nowhere.example/"],
    });
    expect(res.results.map((r) => r.url)).toEqual(["https://www.lioncityrobotics.sg/about", "https://www.lioncityrobotics.sg/contact"]);
    expect(res.results[0]!.raw_content).toContain("team of 45");
    expect(res.failed_results).toEqual([{ url: "https://nowhere.example/", error: "Failed to fetch url" }]);
    expect(res.credits).toBe(1);
    expect(sim.stats.items).toBe(2);
  });

  it("crawls a site from its home page within the limits", async () => {
    const { client } = await setup();
    const res = await client.crawl({ url: "https://www.lioncityrobotics.sg/", maxDepth: 1, limit: 3 });
    expect(res.base_url).toBe("https://www.lioncityrobotics.sg/");
    expect(res.results).toHaveLength(3);
    expect(res.credits).toBe(estimateTavilyCredits("crawl", { pages: 3 }));
  });

  it("turns a bad key into Unauthorized with Tavily's message", async () => {
    const { client } = await setup({}, "tvly-wrong");
    await expect(client.search({ query: "anything" })).rejects.toSatisfy(
      (e) => e instanceof Unauthorized && e.status === 401 && /invalid API key/.test(e.message),
    );
  });

  it("reports a 429 as RateLimited with the retry-after delay", async () => {
    const { client } = await setup({ rpm: 2 });
    await client.search({ query: "robots one" });
    await client.search({ query: "robots two" });
    const error = await client.search({ query: "robots three" }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it("keeps under the key's requests per minute: a call past the limit waits for the window instead of meeting a 429", async () => {
    const time = testClock();
    const { client, sim } = await setup({ rpm: 3, now: time.now }, "tvly-dev-simulator", undefined, { requestsPerMinute: 3, clock: time.clock });
    for (const query of ["robots one", "robots two", "robots three", "robots four"]) await client.search({ query });
    expect(sim.stats.calls).toBe(4);
    expect(sim.stats.limitBreaches).toBe(0);
    // The fourth waited until the first left the client's window, six seconds wider than Tavily's minute.
    expect(time.slept).toEqual([66_001]);
  });

  it("keeps /crawl under its own 100-a-minute limit, apart from the key's limit", async () => {
    const time = testClock();
    const { client, sim } = await setup({ crawlRpm: 2, now: time.now }, "tvly-dev-simulator", undefined, {
      requestsPerMinute: 1000,
      crawlRequestsPerMinute: 2,
      clock: time.clock,
    });
    for (let i = 0; i < 3; i++) await client.crawl({ url: "https://www.lioncityrobotics.sg", limit: 2 });
    await client.search({ query: "robots" });
    expect(sim.stats.limitBreaches).toBe(0);
    expect(time.slept).toEqual([66_001]);
  });

  it("waits out a 429 for its Retry-After and sends the call again (without retries left, the 429 is the error)", async () => {
    const time = testClock();
    // No window of our own: the key's limit is only met at Tavily.
    const { client, sim } = await setup({ rpm: 2, now: time.now }, "tvly-dev-simulator", undefined, { rateLimitRetries: 1, clock: time.clock });
    await client.search({ query: "robots one" });
    await client.search({ query: "robots two" });
    const third = await client.search({ query: "robots three" });
    expect(third.results.length).toBeGreaterThan(0);
    expect(sim.stats.limitBreaches).toBe(1);
    // Retry-After 60 s (the oldest call leaves Tavily's minute), plus a margin for its whole seconds.
    expect(time.slept).toEqual([60_250]);
    await client.search({ query: "robots four" });
    await client.search({ query: "robots five" });
    expect(sim.stats.limitBreaches).toBe(2);
    expect(time.slept).toEqual([60_250, 60_250]);
  });

  it("reports the plan limit (432) as QuotaExceeded", async () => {
    const { client } = await setup({ credits: 1 });
    await client.search({ query: "robots" });
    await expect(client.search({ query: "robots again" })).rejects.toBeInstanceOf(QuotaExceeded);
  });

  it("reports injected server faults as Unavailable", async () => {
    const { client } = await setup({ faultRate: 1 });
    await expect(client.search({ query: "robots" })).rejects.toBeInstanceOf(Unavailable);
  });

  it("gives up at its deadline with Timeout", async () => {
    const { client } = await setup({ latencyMs: 400 }, "tvly-dev-simulator", { searchMs: 50 });
    await expect(client.search({ query: "robots" })).rejects.toBeInstanceOf(Timeout);
  });
});
