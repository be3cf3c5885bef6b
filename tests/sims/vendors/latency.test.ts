import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../app/utils/seeded-random";
import { drawLatency } from "./latency";
import { tokenLatency } from "./llm-sim";

describe("a simulator's service time", () => {
  it("draws a skewed tail: never under the minimum or over the maximum, most near the median, some far out", () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 5000 }, () => drawLatency({ min: 10_000, median: 13_000, max: 60_000, sigma: 1 }, random)).sort((a, b) => a - b);
    expect(draws[0]).toBeGreaterThanOrEqual(10_000);
    expect(draws.at(-1)).toBeLessThanOrEqual(60_000);
    expect(Math.abs(draws[2500]! - 13_000)).toBeLessThan(500);
    // A long tail: the slowest 5 % take at least three times the median's distance from the minimum.
    expect(draws[4750]! - 10_000).toBeGreaterThan(3 * 3000);
  });

  it("is the same sequence for the same seed", () => {
    const spec = { min: 100, median: 300, max: 3000 };
    const a = seededRandom(1);
    const b = seededRandom(1);
    expect(Array.from({ length: 20 }, () => drawLatency(spec, a))).toEqual(Array.from({ length: 20 }, () => drawLatency(spec, b)));
  });

  it("keeps fixed and uniform delays as they were", () => {
    expect(drawLatency(250, Math.random)).toBe(250);
    expect(drawLatency(undefined, Math.random)).toBe(0);
    expect(drawLatency([100, 200], () => 0.5)).toBe(150);
  });

  it("grows with an LLM answer's prompt and completion tokens", () => {
    const latency = tokenLatency({ base: 300, perPromptTokenMs: 0.05, perCompletionTokenMs: 10 });
    const reply = (prompt: number, completion: number) => ({ status: 200, body: { usage: { prompt_tokens: prompt, completion_tokens: completion } } });
    const req = { method: "POST", path: "/v1/chat/completions", query: new URLSearchParams(), headers: {}, body: {}, rawBody: "" };
    expect(latency(req, reply(2000, 50), Math.random)).toBe(300 + 100 + 500);
    expect(latency(req, reply(2000, 400), Math.random)).toBe(300 + 100 + 4000);
    // A refused request carries no usage: the base only.
    expect(latency(req, { status: 429, body: { error: {} } }, Math.random)).toBe(300);
  });
});
