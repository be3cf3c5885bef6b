import { describe, expect, it } from "vitest";
import { exponentialDelayMs, withRetries } from "./retry.server";

const noWait = { sleep: async () => undefined };

describe("withRetries", () => {
  it("returns the first success and tells each retry with its wait", async () => {
    const seen: Array<[number, number]> = [];
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async (attempt) => {
        calls += 1;
        if (attempt < 2) throw new Error(`fail ${attempt}`);
        return "ok";
      },
      {
        retries: 3,
        shouldRetry: () => true,
        delayMs: (_e, attempt) => 100 * (attempt + 1),
        sleep: async (ms) => void waits.push(ms),
        onRetry: (_e, attempt, ms) => seen.push([attempt, ms]),
      },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
    expect(seen).toEqual([
      [0, 100],
      [1, 200],
    ]);
  });

  it("throws the last error once the retries are spent", async () => {
    let calls = 0;
    const failing = () =>
      withRetries(
        async (attempt) => {
          calls += 1;
          throw new Error(`fail ${attempt}`);
        },
        { retries: 2, shouldRetry: () => true, delayMs: () => 0, ...noWait },
      );
    await expect(failing()).rejects.toThrow("fail 2");
    expect(calls).toBe(3);
  });

  it("throws at once what the policy will not retry, without waiting", async () => {
    const waits: number[] = [];
    const attempt = async () => {
      throw new TypeError("bad input");
    };
    await expect(
      withRetries(attempt, { retries: 5, shouldRetry: (e) => !(e instanceof TypeError), delayMs: () => 10, sleep: async (ms) => void waits.push(ms) }),
    ).rejects.toThrow("bad input");
    expect(waits).toEqual([]);
  });
});

describe("exponentialDelayMs", () => {
  it("doubles from the base", () => {
    expect([0, 1, 2, 3].map((n) => exponentialDelayMs(200, n))).toEqual([200, 400, 800, 1600]);
  });

  it("with jitter stays in the upper half of the doubled delay", () => {
    expect(exponentialDelayMs(200, 2, { jitter: true, random: () => 0 })).toBe(400);
    expect(exponentialDelayMs(200, 2, { jitter: true, random: () => 0.999 })).toBeCloseTo(799.6);
  });
});
