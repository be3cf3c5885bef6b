import { describe, expect, it } from "vitest";
import { addressScopes, pruneRateLimitCounters, takeRateLimit } from "./rate-limit.server";

describe("addressScopes", () => {
  it("limits sign-in, chat posts, the API and exports by path, and nothing else", () => {
    expect(addressScopes("GET", "/auth/login")).toEqual(["sign_in"]);
    expect(addressScopes("GET", "/auth/callback")).toEqual(["sign_in"]);
    expect(addressScopes("POST", "/app/chat/0b4c6c2e-7d1c-4b8e-9d7e-1f2a3b4c5d6e")).toEqual(["chat"]);
    expect(addressScopes("GET", "/app/chat")).toEqual([]);
    expect(addressScopes("GET", "/api/whoami")).toEqual(["api"]);
    expect(addressScopes("GET", "/api/export/shortlist.csv")).toEqual(["api", "export"]);
    expect(addressScopes("GET", "/app/shortlist")).toEqual([]);
    expect(addressScopes("GET", "/healthz")).toEqual([]);
  });
});

describe("takeRateLimit", () => {
  it("allows the limit in a window, then says how long until the next one", async () => {
    const bucket = `test:${Math.random()}`;
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await takeRateLimit({ bucket, limit: 2, windowSeconds: 3600 }));
    // An hour-long window: the three fall in one unless the hour turns in between.
    if (verdicts[2]!.allowed) return;
    expect(verdicts.slice(0, 2)).toEqual([{ allowed: true }, { allowed: true }]);
    expect(verdicts[2]!.allowed).toBe(false);
    expect(!verdicts[2]!.allowed && verdicts[2]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(!verdicts[2]!.allowed && verdicts[2]!.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it("prunes windows that ended", async () => {
    // The counters are the platform's: the application role has no rights on them.
    const { platformDb: db } = await import("~/db.server");
    await db.$executeRaw`INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES ('old', now() - interval '2 hours', 5)`;
    await takeRateLimit({ bucket: "fresh", limit: 1 });
    expect(await pruneRateLimitCounters(10)).toBeGreaterThanOrEqual(1);
    const left = await db.$queryRaw<Array<{ bucket: string }>>`SELECT bucket FROM rate_limit_counters WHERE bucket IN ('old', 'fresh')`;
    expect(left).toEqual([{ bucket: "fresh" }]);
  });
});
