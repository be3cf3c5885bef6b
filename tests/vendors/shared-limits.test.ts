import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPoliteness } from "~/crawler/politeness.server";
import { db, platformDb } from "~/db.server";
import { rationaleFor } from "~/scoring/rationale.server";
import { scoreLead } from "~/scoring/score";
import { RateLimited } from "~/vendors/errors.server";
import { createLlmClient } from "~/vendors/llm.server";
import { inProcessLimiters, systemClock, vendorLimitKey, type Clock } from "~/vendors/rate-limit.server";
import { createSharedLimits, type LimitsDb, type SharedLimits } from "~/vendors/shared-limits.server";
import { createTavilyClient } from "~/vendors/tavily.server";
import { startLlmSimulator } from "../sims/vendors/llm-sim";
import { startTavilySimulator } from "../sims/vendors/tavily-sim";
import { TYPICAL_LEAD_SIGNALS } from "../support/lead-signals";

/**
 * The limits worker processes share through Postgres. Each "process" here is
 * its own connection pool, as a second worker
 * machine would have; what is asserted are counts (grants per window,
 * requests in flight, LLM calls), read from the times the limiter recorded.
 */
const processes: pg.Pool[] = [];
function processPool(max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max });
  processes.push(pool);
  return pool;
}
function newProcess(): SharedLimits {
  return createSharedLimits(processPool());
}

let owner: pg.Client;
beforeAll(async () => {
  owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await Promise.all(processes.map((p) => p.end()));
});

/** The most grants any window of `windowMs` holds, counted over the grant times. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("shared call windows", () => {
  it("never grants more than the limit in any window, however many callers in two processes ask at once", async () => {
    const [a, b] = [newProcess(), newProcess()];
    const limit = 4;
    const windowMs = 400;
    const target = 20;
    const grants: Array<{ by: string; at: number }> = [];
    let refusals = 0;
    // Eight callers per process, each asking again as soon as it was told it may.
    const caller = async (by: string, limits: SharedLimits) => {
      while (grants.length < target) {
        const claim = await limits.claimCall("test:hammered", limit, windowMs);
        if (claim.granted) grants.push({ by, at: claim.at.getTime() });
        else {
          refusals += 1;
          await systemClock.sleep(claim.waitMs);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? caller("a", a) : caller("b", b))));

    expect(grants.length).toBeGreaterThanOrEqual(target);
    expect(
      busiestWindow(
        grants.map((g) => g.at),
        windowMs,
      ),
    ).toBe(limit);
    expect(grants.some((g) => g.by === "a") && grants.some((g) => g.by === "b")).toBe(true);
    expect(refusals).toBeGreaterThan(0);
    // The row keeps only the window's worth of grant times.
    const { rows } = await owner.query("SELECT cardinality(grants) AS n FROM rate_limits WHERE key = 'test:hammered'");
    expect(rows[0].n).toBe(limit);
  });

  it("serves each process's takers through the shared window", async () => {
    const [a, b] = [newProcess(), newProcess()];
    const limit = 3;
    const windowMs = 300;
    const takers = [a.callLimiter("test:takers", limit, windowMs, windowMs), b.callLimiter("test:takers", limit, windowMs, windowMs)];
    let taken = 0;
    await Promise.all(Array.from({ length: 12 }, (_, i) => takers[i % 2]!.take().then(() => (taken += 1))));
    expect(taken).toBe(12);
    // The last window is full with the takers' grants: a claim made right away from either process is refused.
    const { rows } = await owner.query<{ grants: Date[] }>("SELECT grants FROM rate_limits WHERE key = 'test:takers'");
    expect(rows[0]!.grants).toHaveLength(limit);
    const span = rows[0]!.grants[limit - 1]!.getTime() - rows[0]!.grants[0]!.getTime();
    expect(span).toBeLessThan(windowMs);
    expect((await a.claimCall("test:takers", limit, windowMs)).granted || (await b.claimCall("test:takers", limit, windowMs)).granted).toBe(false);
  });

  it("holds every process back while a vendor has the key blocked", async () => {
    const [a, b] = [newProcess(), newProcess()];
    expect((await a.claimCall("test:blocked", 5, 62_000)).granted).toBe(true);
    await a.callLimiter("test:blocked", 5, 62_000, 1_000).pause(10 * 60_000);
    const refused = await b.claimCall("test:blocked", 5, 62_000);
    expect(refused.granted).toBe(false);
    // The window alone would have granted it: the wait is the block's.
    expect(refused.granted ? 0 : refused.waitMs).toBeGreaterThan(9 * 60_000);
  });

  it("holds every process back once the LLM account answers 429 with a reset time", async () => {
    const sim = await startLlmSimulator({ apiKey: "sk-shared-reset", rpm: 1 });
    try {
      const [a, b] = [newProcess(), newProcess()];
      const clientOf = (limits: SharedLimits) =>
        createLlmClient({
          baseUrl: `${sim.url}/v1`,
          apiKey: "sk-shared-reset",
          model: "gpt-4o-mini",
          // Our window is wider than the account's here, so the account's 429 is what holds calls back.
          requestsPerMinute: 100,
          rateLimitRetries: 0,
          limiters: (key, limit, windowMs, sendWithinMs) => limits.callLimiter(key, limit, windowMs, sendWithinMs),
        });
      await clientOf(a).llmText({ system: "s", user: "first rationale", maxTokens: 40 });
      await expect(clientOf(a).llmText({ system: "s", user: "second rationale", maxTokens: 40 })).rejects.toBeInstanceOf(RateLimited);
      const refused = await b.claimCall(vendorLimitKey("llm", "sk-shared-reset"), 100, 66_000);
      expect(refused.granted).toBe(false);
      expect(sim.stats.limitBreaches).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it("keeps the Tavily key's requests per minute across processes: a search another process would send past it waits", async () => {
    const sim = await startTavilySimulator({ apiKey: "tvly-shared-window", rpm: 2 });
    try {
      const [a, b] = [newProcess(), newProcess()];
      const clientOf = (limits: SharedLimits) =>
        createTavilyClient({
          baseUrl: sim.url,
          apiKey: "tvly-shared-window",
          requestsPerMinute: 2,
          limiters: (key, limit, windowMs, sendWithinMs) => limits.callLimiter(key, limit, windowMs, sendWithinMs),
        });
      await clientOf(a).search({ query: "robots one" });
      await clientOf(b).search({ query: "robots two" });
      // The window both processes drew from is full: a third search from either would wait, not be sent.
      expect((await a.claimCall(vendorLimitKey("tavily", "tvly-shared-window"), 2, 66_000)).granted).toBe(false);
      expect(sim.stats.calls).toBe(2);
      expect(sim.stats.limitBreaches).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it("keys a vendor's window by a hash of its API key and keeps the row away from the app role", async () => {
    const sim = await startLlmSimulator({ apiKey: "sk-live-shared-window-secret" });
    try {
      const limits = newProcess();
      const llm = createLlmClient({
        baseUrl: `${sim.url}/v1`,
        apiKey: "sk-live-shared-window-secret",
        model: "gpt-4o-mini",
        requestsPerMinute: 100,
        limiters: (key, limit, windowMs, sendWithinMs) => limits.callLimiter(key, limit, windowMs, sendWithinMs),
      });
      await llm.llmText({ system: "s", user: "a short rationale please", maxTokens: 40 });
      const { rows } = await owner.query<{ key: string; grants: Date[] }>("SELECT key, grants FROM rate_limits WHERE key LIKE 'llm:%'");
      for (const row of rows) expect(row.key).toMatch(/^llm:[0-9a-f]{64}$/);
      const mine = rows.find((r) => r.key === vendorLimitKey("llm", "sk-live-shared-window-secret"));
      expect(mine?.grants).toHaveLength(1);
      expect(rows.some((r) => r.key.includes("sk-live"))).toBe(false);
    } finally {
      await sim.close();
    }
    const { rows: rights } = await owner.query(
      "SELECT has_table_privilege('nexius_app', 'rate_limits', 'SELECT') AS can, relforcerowsecurity AS forced FROM pg_class WHERE relname = 'rate_limits'",
    );
    expect(rights[0]).toEqual({ can: false, forced: true });
  });
});

describe("a slot its worker was slow to use", () => {
  it("is not used: a call sent late on it would land in the vendor's next window, over its limit", async () => {
    // Virtual time shared by the client and the simulator; the worker is held up for 1.5 s
    // between the grant of its first slot and its request, as a worker short of CPU is.
    let now = Date.parse("2026-12-06T00:00:00Z");
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const holdUps = [1_500];
    const sim = await startLlmSimulator({ apiKey: "sk-slow-worker", rpm: 3, now: () => now });
    try {
      const llm = createLlmClient({
        baseUrl: `${sim.url}/v1`,
        apiKey: "sk-slow-worker",
        model: "gpt-4o-mini",
        requestsPerMinute: 3,
        rateLimitRetries: 0,
        clock,
        limiters: (key, limit, windowMs, sendWithinMs) => {
          const limiter = inProcessLimiters(clock)(key, limit, windowMs, sendWithinMs);
          return {
            ...limiter,
            take: async () => {
              const slot = await limiter.take();
              now += holdUps.shift() ?? 0;
              return slot;
            },
          };
        },
      });
      const sent: number[] = [];
      for (let i = 0; i < 4; i++) {
        await llm.llmText({ system: "s", user: `rationale number ${i}`, maxTokens: 40 });
        sent.push(now);
      }
      expect(sim.stats.limitBreaches).toBe(0);
      expect(busiestWindow(sent, 60_000)).toBeLessThanOrEqual(3);
    } finally {
      await sim.close();
    }
  });

  it("is judged by the database's clock: a claim that waited for a connection is fresh, one whose answer waited is not", async () => {
    const client = processPool(2);
    const delays = { beforeClaim: 0, afterAnswer: 0 };
    const slowProcess: LimitsDb = {
      query: (async (text: string, values: unknown[]) => {
        await systemClock.sleep(delays.beforeClaim);
        const result = await client.query(text, values);
        await systemClock.sleep(delays.afterAnswer);
        return result;
      }) as LimitsDb["query"],
    };
    const limiter = createSharedLimits(slowProcess).callLimiter("test:slow-worker", 100, 61_000, 1_000);
    // The process's first claims (one of them connecting) tell it how the two clocks stand.
    await client.query("SELECT 1");
    for (let i = 0; i < 3; i++) await limiter.take();
    expect((await limiter.take()).fresh()).toBe(true);
    delays.beforeClaim = 2_500;
    expect((await limiter.take()).fresh()).toBe(true);
    delays.beforeClaim = 0;
    delays.afterAnswer = 2_500;
    expect((await limiter.take()).fresh()).toBe(false);
  });
});

describe("a call slot given back unused", () => {
  it("leaves the shared window at once, and only that grant when two share its time", async () => {
    const limits = newProcess();
    const limiter = limits.callLimiter("test:give-back", 2, 61_000, 1_000);
    await limiter.take();
    const second = await limiter.take();
    expect((await limits.claimCall("test:give-back", 2, 61_000)).granted).toBe(false);
    await second.unused();
    expect((await limits.claimCall("test:give-back", 2, 61_000)).granted).toBe(true);

    const twin = await limits.callLimiter("test:give-back-twin", 3, 61_000, 1_000).take();
    const grants = async () =>
      (await owner.query<{ n: number }>(`SELECT cardinality(grants) AS n FROM rate_limits WHERE key = 'test:give-back-twin'`)).rows[0]!.n;
    // A second grant at the same millisecond (claims that waited for the row lock take the time of the one before).
    await owner.query(`UPDATE rate_limits SET grants = grants || grants[1] WHERE key = 'test:give-back-twin'`);
    expect(await grants()).toBe(2);
    await twin.unused();
    expect(await grants()).toBe(1);
  });

  it("lets a search whose slot came back too late to send go out on the next one, without waiting out the window", async () => {
    const sim = await startTavilySimulator({ apiKey: "tvly-give-back", rpm: 1 });
    try {
      const client = processPool(2);
      let slowAnswers = 1;
      // The worker gets the answer to its first claim 1.5 s late, as one short of CPU does.
      const slowProcess: LimitsDb = {
        query: (async (text: string, values: unknown[]) => {
          const result = await client.query(text, values);
          if (slowAnswers > 0 && text.includes("INSERT INTO rate_limits AS l (key, grants")) {
            slowAnswers -= 1;
            await systemClock.sleep(1_500);
          }
          return result;
        }) as LimitsDb["query"],
      };
      const limits = createSharedLimits(slowProcess);
      const tavily = createTavilyClient({
        baseUrl: sim.url,
        apiKey: "tvly-give-back",
        requestsPerMinute: 1,
        limiters: (key, limit, windowMs, sendWithinMs) => limits.callLimiter(key, limit, windowMs, sendWithinMs),
      });
      await tavily.search({ query: "robots" });
      expect(slowAnswers).toBe(0);
      expect(sim.stats.calls).toBe(1);
      expect(sim.stats.limitBreaches).toBe(0);
    } finally {
      await sim.close();
    }
  });
});

describe("shared host politeness", () => {
  it("keeps one request per host in flight across two crawling processes, spaced by the host's delay", async () => {
    const minDelayMs = 120;
    const gates = [newProcess(), newProcess()].map((limits) =>
      createPoliteness({ minDelayMs, maxCrawlDelayS: 10, concurrency: 8, shared: limits.hostGate(30_000) }),
    );
    let inFlight = 0;
    let mostInFlight = 0;
    const requests: Array<{ start: number; end: number }> = [];
    const request = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const start = Date.now();
      await systemClock.sleep(20);
      inFlight -= 1;
      requests.push({ start, end: Date.now() });
    };
    // Another host in flight meanwhile is not held up by this one.
    const other = { done: false };
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => gates[i % 2]!.schedule("Shared.example.sg", request)),
      gates[0]!.schedule("other.example.sg", async () => {
        other.done = true;
      }),
    ]);
    expect(requests).toHaveLength(4);
    expect(mostInFlight).toBe(1);
    expect(other.done).toBe(true);
    requests.sort((x, y) => x.start - y.start);
    // Database times are whole milliseconds: one of rounding.
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.start - requests[i - 1]!.end).toBeGreaterThanOrEqual(minDelayMs - 1);
    const { rows } = await owner.query("SELECT key, holder, busy_until FROM rate_limits WHERE key LIKE 'host:%' ORDER BY key");
    expect(rows).toEqual([
      { key: "host:other.example.sg", holder: null, busy_until: null },
      { key: "host:shared.example.sg", holder: null, busy_until: null },
    ]);
  });

  it("follows a redirect back to the host this process holds, and waits for a host another process holds", async () => {
    const [mine, theirs] = [newProcess(), newProcess()];
    const shared = mine.hostGate(30_000);
    let askedForTarget: () => void = () => {};
    const asked = new Promise<void>((resolve) => (askedForTarget = resolve));
    const gate = createPoliteness({
      minDelayMs: 50,
      maxCrawlDelayS: 10,
      concurrency: 4,
      shared: {
        ...shared,
        acquire(host) {
          if (host === "target.example.sg") askedForTarget();
          return shared.acquire(host);
        },
      },
    });
    const other = await theirs.hostGate(30_000).acquire("target.example.sg");
    let hopDone = false;
    await gate.schedule("home.example.sg", async () => {
      // http → https on the same host: the lease is this process's own, so it does not wait for itself.
      await gate.follow("home.example.sg", "HOME.example.sg");
      const hop = gate.follow("home.example.sg", "target.example.sg").then(() => (hopDone = true));
      await asked;
      expect(hopDone).toBe(false);
      await other.release(0);
      await hop;
    });
    expect(hopDone).toBe(true);
  });

  it("lets a lease left by a dead process run out, then grants the host", async () => {
    const [dead, alive] = [newProcess(), newProcess()];
    const held = await dead.claimLease("host:orphan.example.sg", 150);
    expect(held.granted).toBe(true);
    const refused = await alive.claimLease("host:orphan.example.sg", 150);
    expect(refused.granted).toBe(false);
    const lease = await alive.hostGate(30_000).acquire("orphan.example.sg");
    await lease.release(0);
    const { rows } = await owner.query("SELECT holder FROM rate_limits WHERE key = 'host:orphan.example.sg'");
    expect(rows[0].holder).toBeNull();
  });
});

describe("shared rationale single-flight", () => {
  it("asks the LLM once when two processes want the same rationale at the same time", async () => {
    const sim = await startLlmSimulator({ latencyMs: 150 });
    try {
      const llm = createLlmClient({ baseUrl: `${sim.url}/v1`, apiKey: "sk-simulator", model: "gpt-4o-mini" });
      const tenant = await platformDb.tenant.create({ data: { slug: "shared-flight", name: "Shared flight", status: "active" } });
      const scored = scoreLead(TYPICAL_LEAD_SIGNALS);
      const [a, b] = [newProcess(), newProcess()];
      const before = sim.stats.calls;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => rationaleFor({ db, llm, flights: i % 2 ? a : b, now: () => new Date("2026-11-23T02:00:00Z") }, tenant.id, scored)),
      );
      expect(sim.stats.calls - before).toBe(1);
      expect(results.filter((r) => r.source === "llm")).toHaveLength(1);
      expect(results.filter((r) => r.source === "cache")).toHaveLength(5);
      expect(new Set(results.map((r) => r.text)).size).toBe(1);
      // The lease is gone once the text is cached.
      const { rows } = await owner.query("SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE 'rationale:%'");
      expect(rows[0].n).toBe(0);
    } finally {
      await sim.close();
    }
  });
});

describe("single-flight leases", () => {
  it("stay with a holder whose work outlasts the lease, and pass on once a holder that died lets its lease run out", async () => {
    const [a, b] = [newProcess(), newProcess()];
    const key = "rationale:lease-renewal";
    const ran: string[] = [];
    let result: string | null = null;
    const work = (who: string, ms: number) => async () => {
      ran.push(who);
      await new Promise((resolve) => setTimeout(resolve, ms));
      result = who;
      return who;
    };
    // A's work takes four leases' time: B only ever finds the key held, then A's result.
    const first = a.single(key, 300, async () => result, work("a", 1200));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = b.single(key, 300, async () => result, work("b", 10));
    expect(await Promise.all([first, second])).toEqual(["a", "a"]);
    expect(ran).toEqual(["a"]);

    // A holder that died: its claim is never renewed nor dropped, and the next caller takes the key once it has run out.
    const dead = await a.claimLease(key, 300);
    expect(dead.granted).toBe(true);
    result = null;
    expect(await b.single(key, 300, async () => result, work("b", 10))).toBe("b");
    expect(ran).toEqual(["a", "b"]);
  });

  it("are looked at less and less often while their holder works", async () => {
    const a = newProcess();
    const key = "rationale:lease-backoff";
    const held = await a.claimLease(key, 60_000);
    expect(held.granted).toBe(true);
    // B's clock records each wait and returns at once; the holder keeps the key for the whole test.
    const waits: number[] = [];
    const b = createSharedLimits(processPool(), { sleep: async (ms) => void waits.push(ms) });
    let looks = 0;
    const answer = await b.single(
      key,
      60_000,
      async () => (++looks === 7 ? "a's text" : null),
      async () => "b's own text",
    );
    expect(answer).toBe("a's text");
    expect(waits).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });
});
