import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { BadResponse, QuotaExceeded, RateLimited, Timeout, Unauthorized, Unavailable } from "~/vendors/errors.server";
import { createLlmClient, toStrictJsonSchema, type LlmClient, type LlmConfig } from "~/vendors/llm.server";
import { createDefaultWorld } from "../sims/vendors/default-world";
import { startLlmSimulator, summarize, type LlmSimOptions } from "../sims/vendors/llm-sim";

type Sim = Awaited<ReturnType<typeof startLlmSimulator>>;
let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: LlmSimOptions = {}, config: Partial<LlmConfig> = {}) {
  const started = await startLlmSimulator(options);
  sim = started;
  const client = createLlmClient({ baseUrl: `${started.url}/v1`, apiKey: "sk-simulator", model: "gpt-4o-mini", ...config });
  return { sim: started, client };
}

const Profile = z.object({
  about_text: z.string(),
  headcount_estimate: z.number().int().nullable(),
  emails: z.array(z.string()),
  segment: z.enum(["smb", "mid_market", "enterprise"]),
  tagline: z.string().optional(),
});

const USER = [
  "Company: Lion City Robotics Pte Ltd.",
  "Lion City Robotics designs autonomous mobile robots for warehouses across Southeast Asia.",
  "We are a team of 45 engineers. Write to sales@lioncityrobotics.sg for a demo.",
].join("\n");

describe("toStrictJsonSchema", () => {
  it("closes every object and requires every property, optional ones as nullable", () => {
    const schema = toStrictJsonSchema(z.object({ a: z.string(), b: z.object({ c: z.number().int().optional() }) }));
    expect(schema).toEqual({
      type: "object",
      properties: {
        a: { type: "string" },
        b: {
          type: "object",
          properties: { c: { anyOf: [{ type: "integer" }, { type: "null" }] } },
          required: ["c"],
          additionalProperties: false,
        },
      },
      required: ["a", "b"],
      additionalProperties: false,
    });
  });
});

describe("LLM client against the simulator", () => {
  it("asks for strict structured output and returns the validated object with usage", async () => {
    const { client, sim } = await setup();
    const res = await client.llmJson({ schema: Profile, name: "company_profile", system: "Extract the company profile.", user: USER, maxTokens: 800 });
    expect(res.value.headcount_estimate).toBe(45);
    expect(res.value.emails).toEqual(["sales@lioncityrobotics.sg"]);
    expect(["smb", "mid_market", "enterprise"]).toContain(res.value.segment);
    expect(USER).toContain(res.value.about_text);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens + res.usage.completion_tokens);

    const sent = sim.requests[0]!;
    expect(sent.model).toBe("gpt-4o-mini");
    expect(sent.max_completion_tokens).toBe(800);
    expect(sent.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "company_profile", strict: true } });

    const again = await client.llmJson({ schema: Profile, name: "company_profile", system: "Extract the company profile.", user: USER, maxTokens: 800 });
    expect(again.value).toEqual(res.value);
  });

  it("returns short text with usage", async () => {
    const { client } = await setup();
    const res = await client.llmText({
      system: "Explain the score in one sentence.",
      user: "Lion City Robotics matches the ICP because it builds warehouse robots in Singapore.",
      maxTokens: 120,
    });
    expect(res.text).toContain("warehouse robots");
    expect(res.usage.completion_tokens).toBeGreaterThan(0);
  });

  it("maps a bad key to Unauthorized", async () => {
    const { client } = await setup({ apiKey: "sk-other" });
    await expect(client.llmText({ system: "s", user: "u", maxTokens: 10 })).rejects.toSatisfy((e) => e instanceof Unauthorized && e.code === "invalid_api_key");
  });

  it("tells rate limits (retry later) from exhausted quota (do not retry)", async () => {
    const limited = await setup({ rpm: 1 }, { rateLimitRetries: 0 });
    await limited.client.llmText({ system: "s", user: "first request for a short rationale text", maxTokens: 50 });
    const error = await limited.client.llmText({ system: "s", user: "second", maxTokens: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    await limited.sim.close();
    const broke = await setup({ quotaExhausted: true });
    await expect(broke.client.llmText({ system: "s", user: "u", maxTokens: 10 })).rejects.toSatisfy(
      (e) => e instanceof QuotaExceeded && e.code === "insufficient_quota",
    );
  });

  it("waits out a rate limit for the server's Retry-After and tries again, a bounded number of times", async () => {
    let now = Date.parse("2026-11-22T00:00:00Z");
    const slept: number[] = [];
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    };
    const ask = (c: LlmClient, i: number) => c.llmText({ system: "s", user: `request number ${i} for a short rationale text`, maxTokens: 50 });
    // Three requests a minute; refused requests count too, as OpenAI's do.
    const { client, sim } = await setup({ rpm: 3, now: () => now }, { clock });
    await ask(client, 1);
    await ask(client, 2);
    now += 50_000;
    await ask(client, 3);
    expect((await ask(client, 4)).text).toBeTruthy();
    expect(slept).toEqual([10_250]);
    expect(sim.requests).toHaveLength(4);
    await sim.close();

    const stingy = await setup({ rpm: 1, now: () => now }, { clock: { now: () => now, sleep: async () => {} }, rateLimitRetries: 2 });
    await ask(stingy.client, 1);
    await expect(ask(stingy.client, 2)).rejects.toBeInstanceOf(RateLimited);
  });

  it("keeps under the account's limit when a call reaches the server seconds after its slot was checked", async () => {
    let now = Date.parse("2026-12-06T00:00:00Z");
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    // The first call reaches the server two seconds after it was checked fresh, as a busy worker's may.
    let lagMs = 2_000;
    const lagging: typeof fetch = async (input, init) => {
      now += lagMs;
      lagMs = 0;
      return fetch(input, init);
    };
    const { client, sim } = await setup({ rpm: 2, now: () => now }, { clock, requestsPerMinute: 2, rateLimitRetries: 0, fetch: lagging });
    for (let i = 1; i <= 3; i++) await client.llmText({ system: "s", user: `request number ${i} for a short rationale text`, maxTokens: 50 });
    // The third waited until the first left our window, which must end after the first left the server's.
    expect(sim.stats.limitBreaches).toBe(0);
  });

  it("reports refusals, malformed JSON and cut-off answers as BadResponse", async () => {
    const refusing = await setup({ refuseWhen: /forbidden/ });
    await expect(refusing.client.llmJson({ schema: Profile, system: "s", user: "something forbidden", maxTokens: 100 })).rejects.toSatisfy(
      (e) => e instanceof BadResponse && e.code === "refusal",
    );
    await refusing.sim.close();
    const malformed = await setup({ malformedJson: true });
    await expect(malformed.client.llmJson({ schema: Profile, system: "s", user: USER, maxTokens: 800 })).rejects.toSatisfy(
      (e) => e instanceof BadResponse && e.code === "invalid_json",
    );
    await expect(malformed.client.llmJson({ schema: Profile, system: "s", user: USER, maxTokens: 5 })).rejects.toSatisfy(
      (e) => e instanceof BadResponse && e.code === "length",
    );
  });

  it("reads a null for an optional property as absent", async () => {
    const answer = { about_text: "Robots.", headcount_estimate: null, emails: [], segment: "smb", tagline: null };
    const { client } = await setup({ world: { ...createDefaultWorld(), llmAnswer: () => answer } });
    const res = await client.llmJson({ schema: Profile, system: "s", user: USER, maxTokens: 800 });
    expect(res.value).toEqual({ about_text: "Robots.", headcount_estimate: null, emails: [], segment: "smb" });
  });

  it("rejects an answer that does not match the zod schema", async () => {
    const { client } = await setup({ world: { ...createDefaultWorld(), llmAnswer: () => ({ wrong: true }) } });
    await expect(client.llmJson({ schema: Profile, system: "s", user: USER, maxTokens: 800 })).rejects.toSatisfy(
      (e) => e instanceof BadResponse && e.code === "schema_mismatch",
    );
  });

  it("maps injected faults to Unavailable and slow answers to Timeout", async () => {
    const faulty = await setup({ faultRate: 1 });
    await expect(faulty.client.llmText({ system: "s", user: "u", maxTokens: 10 })).rejects.toBeInstanceOf(Unavailable);
    await faulty.sim.close();
    const slow = await setup({ latencyMs: 400 }, { timeoutMs: 50 });
    await expect(slow.client.llmText({ system: "s", user: "u", maxTokens: 10 })).rejects.toBeInstanceOf(Timeout);
  });
});

describe("the simulator's free-text answers", () => {
  it("writes a scoring rationale from the bucket, strengths and gaps it is given", () => {
    const user = [
      "Bucket: High.",
      "Strengths, strongest first: a full ICP match; a confirmed website; a clear company description; a Singapore location.",
      "Gaps, largest first: no named decision-makers.",
    ].join("\n");
    expect(summarize(user)).toBe("High fit: a full ICP match, a confirmed website and a clear company description. Held back by no named decision-makers.");
    expect(summarize("Bucket: Low.\nStrengths, strongest first: none.\nGaps, largest first: no website; no business email.")).toBe(
      "Low fit, with no strong signal. Held back by no website and no business email.",
    );
  });

  it("answers any other prompt with its first full sentence", () => {
    expect(summarize("Short. This sentence has at least six words in it. Another one follows here too.")).toBe("This sentence has at least six words in it.");
  });
});
