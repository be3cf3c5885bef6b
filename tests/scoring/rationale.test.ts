import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { RATIONALE_MAX_CHARS, rationaleFacts } from "~/scoring/rationale-text";
import { RATIONALE_MAX_TOKENS, rationaleCacheKey, rationaleFor, rationaleStats, type RationaleResult } from "~/scoring/rationale.server";
import { scoreLead, type LeadScoreResult, type LeadSignals } from "~/scoring/score";
import { tokenBudgetStatus } from "~/scoring/token-budget.server";
import { singaporeDate } from "~/utils/singapore-time";
import { createLlmClient } from "~/vendors/llm.server";
import { startLlmSimulator, type LlmSimOptions } from "../sims/vendors/llm-sim";
import { TYPICAL_LEAD_SIGNALS } from "../support/lead-signals";

/**
 * Rationales against real Postgres (RLS through the application role) and
 * the OpenAI-compatible simulator over HTTP.
 */
type Sim = Awaited<ReturnType<typeof startLlmSimulator>>;
const sims: Sim[] = [];

async function llmWith(options: LlmSimOptions = {}) {
  const sim = await startLlmSimulator(options);
  sims.push(sim);
  return { sim, llm: createLlmClient({ baseUrl: `${sim.url}/v1`, apiKey: "sk-simulator", model: "gpt-4o-mini" }) };
}

let tenantCount = 0;
async function newTenant(budget?: number): Promise<string> {
  tenantCount += 1;
  const tenant = await platformDb.tenant.create({ data: { slug: `scoring-${tenantCount}`, name: `Scoring ${tenantCount}`, status: "active" } });
  if (budget !== undefined) await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, dailyTokenBudget: budget } });
  return tenant.id;
}

const NOW = new Date("2026-11-23T02:00:00Z");
const now = () => NOW;

const base: LeadSignals = TYPICAL_LEAD_SIGNALS;

type Patch = { [K in "icp" | "registry" | "enrichment" | "contacts"]?: Partial<LeadSignals[K]> };
function scored(patch: Patch = {}): LeadScoreResult {
  return scoreLead({
    ...base,
    icp: { ...base.icp, ...patch.icp },
    registry: { ...base.registry, ...patch.registry },
    enrichment: { ...base.enrichment, ...patch.enrichment },
    contacts: { ...base.contacts, ...patch.contacts },
  });
}

/** Twenty companies whose rationales all differ. */
const DISTINCT: Patch[] = [0, 1, 2, 3].flatMap((contacts) =>
  [
    { domainConfidence: "high", locationsIncludeSingapore: true },
    { domainConfidence: "high", locationsIncludeSingapore: false },
    { domainConfidence: "medium", aboutTextPresent: false },
    { domainConfidence: null, aboutTextPresent: false, crawlStatus: "none" },
    { headcountEstimate: null },
  ].map((enrichment) => ({ enrichment: enrichment as Partial<LeadSignals["enrichment"]>, contacts: { roleQualified: contacts } })),
);

async function cacheRows(tenantId: string) {
  return platformDb.rationaleCache.findMany({ where: { tenantId }, orderBy: { createdAt: "asc" } });
}

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

describe("without an LLM", () => {
  it("writes the template, caches nothing and spends no tokens", async () => {
    const tenantId = await newTenant();
    const result = await rationaleFor({ db, now }, tenantId, scored());
    expect(result).toMatchObject({ source: "template", tokens: 0, fallback: "no_llm" });
    expect(result.text).toMatch(/^Rated High for /);
    expect(await cacheRows(tenantId)).toEqual([]);
    expect(await tokenBudgetStatus(db, tenantId, NOW)).toMatchObject({ used: 0, calls: 0, budget: 200_000 });
  });
});

describe("with the LLM simulator", () => {
  let sim: Sim;
  let llm: ReturnType<typeof createLlmClient>;
  beforeAll(async () => {
    ({ sim, llm } = await llmWith());
  });

  it("asks the LLM once, counts its tokens, and serves the next company with the same features from the cache", async () => {
    const tenantId = await newTenant();
    const before = sim.stats.calls;
    const first = await rationaleFor({ db, llm, now }, tenantId, scored());
    expect(first.source).toBe("llm");
    expect(first.tokens).toBeGreaterThan(0);
    expect(first.text.length).toBeLessThanOrEqual(RATIONALE_MAX_CHARS);
    const lastRequest = sim.requests[sim.requests.length - 1]!;
    expect(lastRequest.max_completion_tokens).toBe(RATIONALE_MAX_TOKENS);

    const usage = await platformDb.tokenUsage.findMany({ where: { tenantId } });
    expect(usage).toHaveLength(1);
    expect(usage[0]!.day.toISOString().slice(0, 10)).toBe(singaporeDate(NOW));
    expect(usage[0]!.promptTokens + usage[0]!.completionTokens).toBe(first.tokens);
    expect(usage[0]!.calls).toBe(1);

    // Same features, other incidental details (headcount and age within the same band).
    const second = await rationaleFor(
      { db, llm, now },
      tenantId,
      scored({ enrichment: { headcountEstimate: 180 }, registry: { incorporatedOn: "2001-05-05" } }),
    );
    expect(second).toEqual({ text: first.text, source: "cache", tokens: 0, cacheKey: first.cacheKey });
    expect(sim.stats.calls - before).toBe(1);
    const rows = await cacheRows(tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cacheKey: first.cacheKey, rationale: first.text, model: "gpt-4o-mini", hits: 1 });
    expect(rows[0]!.promptTokens + rows[0]!.completionTokens).toBe(first.tokens);
    expect((await tokenBudgetStatus(db, tenantId, NOW)).used).toBe(first.tokens);
  });

  it("reuses the cache for > 80 % of a repeat of 50 companies with the same features, paying for one text", async () => {
    const tenantId = await newTenant();
    const before = sim.stats.calls;
    const companies = Array.from({ length: 50 }, (_, i) => scored({ enrichment: { headcountEstimate: 20 + i } }));
    const firstRun = await Promise.all(companies.map((c) => rationaleFor({ db, llm, now }, tenantId, c)));
    const repeat = await Promise.all(companies.map((c) => rationaleFor({ db, llm, now }, tenantId, c)));
    expect(sim.stats.calls - before).toBe(1);
    expect(rationaleStats(firstRun)).toMatchObject({ total: 50, llm: 1, cache: 49, template: 0 });
    const stats = rationaleStats(repeat);
    expect(stats).toMatchObject({ total: 50, cache: 50, llm: 0, template: 0, tokens: 0 });
    expect(stats.cacheHitRate).toBeGreaterThan(0.8);
    expect(new Set([...firstRun, ...repeat].map((r) => r.text)).size).toBe(1);
    expect((await cacheRows(tenantId))[0]!.hits).toBe(99);
  });

  it("serves a company that differs only below the three strongest reasons from the cache: the text could not name the difference", async () => {
    const tenantId = await newTenant();
    const before = sim.stats.calls;
    const established = await rationaleFor({ db, llm, now }, tenantId, scored());
    // Three years in business instead of five or more: the ninth strength goes, the three the text names stay.
    const growing = scored({ registry: { incorporatedOn: "2023-06-01" } });
    expect(growing.breakdown.find((b) => b.feature === "company_age")?.signal).toBe("growing");
    const second = await rationaleFor({ db, llm, now }, tenantId, growing);
    expect(second).toEqual({ text: established.text, source: "cache", tokens: 0, cacheKey: established.cacheKey });
    expect(sim.stats.calls - before).toBe(1);
  });

  it("gives different features different keys and texts", async () => {
    const tenantId = await newTenant();
    const results: RationaleResult[] = [];
    for (const patch of DISTINCT) results.push(await rationaleFor({ db, llm, now }, tenantId, scored(patch)));
    expect(new Set(results.map((r) => r.cacheKey)).size).toBe(DISTINCT.length);
    expect(results.every((r) => r.source === "llm")).toBe(true);
    expect(new Set(results.map((r) => r.text)).size).toBe(DISTINCT.length);
    expect(await cacheRows(tenantId)).toHaveLength(DISTINCT.length);
    // Contacts unavailable is a different fact from contacts found, even with the same count.
    expect(rationaleCacheKey(rationaleFacts(scored({ contacts: { vendor: "quota" } })))).not.toBe(rationaleCacheKey(rationaleFacts(scored())));
  });

  it("keeps each tenant's cache to itself", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const first = await rationaleFor({ db, llm, now }, a, scored({ enrichment: { productsCount: 0 } }));
    const other = await rationaleFor({ db, llm, now }, b, scored({ enrichment: { productsCount: 0 } }));
    expect(first.source).toBe("llm");
    expect(other.source).toBe("llm");
    expect(other.cacheKey).toBe(first.cacheKey);
    expect(await db.$withTenant(b, (tx) => tx.rationaleCache.count())).toBe(1);
  });

  it("never puts the company's name or domain in the prompt or the text", async () => {
    const tenantId = await newTenant();
    const companies = [
      { name: "Lion City Robotics Pte. Ltd.", domain: "lioncityrobotics.sg" },
      { name: "Merlion Analytics Pte. Ltd.", domain: "merlion-analytics.com.sg" },
      { name: "Orchard Freight Services", domain: "orchardfreight.sg" },
    ];
    const from = sim.requests.length;
    const results = [];
    for (const [i, company] of companies.entries()) {
      const score = scored(DISTINCT[i + 7]!);
      // A breakdown whose reasons carry the company's specifics, as a richer scorer might write them.
      const tagged = { ...score, breakdown: score.breakdown.map((b) => ({ ...b, reason: `${company.name} (${company.domain}): ${b.reason}` })) };
      results.push({ company, result: await rationaleFor({ db, llm, now }, tenantId, tagged) });
    }
    const sent = JSON.stringify(sim.requests.slice(from));
    expect(sim.requests.length - from).toBe(companies.length);
    for (const { company, result } of results) {
      for (const needle of [company.name, "Lion City", "Merlion", "Orchard", company.domain]) {
        expect(result.text).not.toContain(needle);
        expect(sent).not.toContain(needle);
      }
    }
  });
});

describe("LLM failures fall back to the template", () => {
  it("a server error: template, reservation released, call counted", async () => {
    const { llm } = await llmWith({ faultRate: 1 });
    const tenantId = await newTenant();
    const result = await rationaleFor({ db, llm, now }, tenantId, scored());
    expect(result).toMatchObject({ source: "template", tokens: 0, fallback: "llm_error" });
    expect(result.text).toMatch(/^Rated High for /);
    expect(await cacheRows(tenantId)).toEqual([]);
    expect(await tokenBudgetStatus(db, tenantId, NOW)).toMatchObject({ used: 0, calls: 1 });
  });

  it("exhausted quota (429): template", async () => {
    const { llm } = await llmWith({ quotaExhausted: true });
    const tenantId = await newTenant();
    expect(await rationaleFor({ db, llm, now }, tenantId, scored())).toMatchObject({ source: "template", fallback: "llm_error", errorName: "QuotaExceeded" });
  });

  it("a refused answer: template, and the reservation stays charged because the vendor answered", async () => {
    const { sim, llm } = await llmWith({ refuseWhen: /Bucket/ });
    const tenantId = await newTenant();
    const result = await rationaleFor({ db, llm, now }, tenantId, scored());
    expect(result).toMatchObject({ source: "template", fallback: "llm_error" });
    expect(sim.requests).toHaveLength(1);
    const status = await tokenBudgetStatus(db, tenantId, NOW);
    expect(status.calls).toBe(1);
    expect(status.used).toBeGreaterThan(RATIONALE_MAX_TOKENS);
  });
});

describe("the daily token budget is a hard cap", () => {
  it("20 concurrent calls never take the tenant past its budget", async () => {
    const { sim, llm } = await llmWith({ latencyMs: [20, 80] });
    const budget = 1_500;
    const tenantId = await newTenant(budget);
    const results = await Promise.all(DISTINCT.map((patch) => rationaleFor({ db, llm, now }, tenantId, scored(patch))));
    const stats = rationaleStats(results);
    expect(stats.total).toBe(20);
    expect(stats.llm).toBeGreaterThanOrEqual(1);
    expect(stats.template).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.source === "template").every((r) => r.fallback === "over_budget")).toBe(true);
    expect(sim.requests).toHaveLength(stats.llm);
    const status = await tokenBudgetStatus(db, tenantId, NOW);
    expect(status.used).toBe(stats.tokens);
    expect(status.calls).toBe(stats.llm);
    expect(status.used).toBeLessThanOrEqual(budget);
  });

  it("a budget too small for one call means no call at all", async () => {
    const { sim, llm } = await llmWith();
    const tenantId = await newTenant(100);
    const result = await rationaleFor({ db, llm, now }, tenantId, scored());
    expect(result).toMatchObject({ source: "template", fallback: "over_budget", tokens: 0 });
    expect(sim.requests).toHaveLength(0);
    expect(await tokenBudgetStatus(db, tenantId, NOW)).toMatchObject({ used: 0, budget: 100 });
  });

  it("starts again on the next Singapore day, and the spent day stays spent", async () => {
    const { llm } = await llmWith();
    const tenantId = await newTenant(400);
    const first = await rationaleFor({ db, llm, now }, tenantId, scored(DISTINCT[0]!));
    expect(first.source).toBe("llm");
    const sameDay = await rationaleFor({ db, llm, now }, tenantId, scored(DISTINCT[1]!));
    expect(sameDay).toMatchObject({ source: "template", fallback: "over_budget" });
    // 16:00 UTC is midnight in Singapore.
    const nextDay = new Date("2026-11-23T16:00:00Z");
    const tomorrow = await rationaleFor({ db, llm, now: () => nextDay }, tenantId, scored(DISTINCT[1]!));
    expect(tomorrow.source).toBe("llm");
    expect((await tokenBudgetStatus(db, tenantId, NOW)).used).toBe(first.tokens);
    expect((await tokenBudgetStatus(db, tenantId, nextDay)).used).toBe(tomorrow.tokens);
  });
});
