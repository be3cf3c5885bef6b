/**
 * The rationale of a scored company: the LLM writes only the short
 * rationale, reused through a cache key, within the tenant's hard daily
 * token budget:
 *
 * 1. the tenant's `rationale_cache` under a key of the facts the text is
 *    built from (bucket + strengths + gaps, see rationale-text.ts) — not the
 *    company, so similar companies and repeated runs share one text;
 * 2. else, with an LLM client and room in today's token budget, an LLM text,
 *    cached for the next company with the same facts;
 * 3. else (no client, budget spent, LLM error) the deterministic template.
 *
 * Templates are not cached: they cost nothing, and leaving the key free lets a
 * later run with budget replace them with an LLM text.
 */
import { createHash } from "node:crypto";
import { type AppDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { log } from "~/logger.server";
import { type LlmClient } from "~/vendors/llm.server";
import { sharedLimits, type SharedLimits } from "~/vendors/shared-limits.server";
import { RATIONALE_VERSION, rationaleFacts, rationalePrompt, templateRationale, tidyRationale, type RationaleFacts } from "./rationale-text";
import { type LeadScoreResult } from "./score";
import { estimatePromptTokens, withTokenBudget, type BudgetedCall } from "./token-budget.server";

export type RationaleSource = "cache" | "llm" | "template";

export type RationaleResult = {
  text: string;
  source: RationaleSource;
  /** LLM tokens this call spent (prompt + completion); 0 for cache and template. */
  tokens: number;
  cacheKey: string;
  /** Why a template was used. */
  fallback?: "no_llm" | "over_budget" | "llm_error";
  /** With `llm_error` from a failed call: the error's class (RateLimited, QuotaExceeded…). */
  errorName?: string;
};

export type RationaleDeps = {
  db: AppDb;
  /** Absent or null: templates only. */
  llm?: Pick<LlmClient, "llmText" | "model"> | null;
  /** Completion cap per LLM call; the budget reserves it in full. */
  maxTokens?: number;
  now?: () => Date;
  /** Where the single-flight leases are kept; by default the shared limits of every worker process. */
  flights?: Pick<SharedLimits, "single">;
};

export const RATIONALE_MAX_TOKENS = 120;

/** sha256 of the facts a rationale is built from (and the wording version), hex. */
export function rationaleCacheKey(facts: RationaleFacts): string {
  const pairs = (xs: RationaleFacts["strengths"]) => xs.map((f) => `${f.feature}=${f.signal}`);
  const material = JSON.stringify({ v: RATIONALE_VERSION, bucket: facts.bucket, strengths: pairs(facts.strengths), gaps: pairs(facts.gaps) });
  return createHash("sha256").update(material).digest("hex");
}

/**
 * How long a rationale's single-flight lease outlives a holder that died (a
 * killed worker): the others wait that long for the text before writing it
 * themselves. A live holder renews it however long the LLM call queues, and
 * ends it as soon as it is done.
 */
const RATIONALE_LEASE_MS = 20_000;

export async function rationaleFor(deps: RationaleDeps, tenantId: string, scored: Pick<LeadScoreResult, "bucket" | "breakdown">): Promise<RationaleResult> {
  const facts = rationaleFacts(scored);
  const cacheKey = rationaleCacheKey(facts);
  const fromCache = async (): Promise<RationaleResult | null> => {
    const cached = await readCache(deps.db, tenantId, cacheKey);
    return cached === null ? null : { text: cached, source: "cache", tokens: 0, cacheKey };
  };
  const cached = await fromCache();
  if (cached) return cached;
  if (!deps.llm) return { text: templateRationale(facts), source: "template", tokens: 0, cacheKey, fallback: "no_llm" };
  const llm = deps.llm;
  // Callers with the same key, in any worker process, wait for the first one's LLM answer instead of each paying for it.
  const flights = deps.flights ?? sharedLimits();
  return flights.single(`rationale:${tenantId}:${cacheKey}`, RATIONALE_LEASE_MS, fromCache, () => generate({ ...deps, llm }, tenantId, facts, cacheKey));
}

async function generate(
  deps: RationaleDeps & { llm: NonNullable<RationaleDeps["llm"]> },
  tenantId: string,
  facts: RationaleFacts,
  cacheKey: string,
): Promise<RationaleResult> {
  const template = (fallback: RationaleResult["fallback"], tokens = 0): RationaleResult => ({
    text: templateRationale(facts),
    source: "template",
    tokens,
    cacheKey,
    fallback,
  });
  const prompt = rationalePrompt(facts);
  const maxTokens = deps.maxTokens ?? RATIONALE_MAX_TOKENS;
  const reserve = estimatePromptTokens([prompt.system, prompt.user]) + maxTokens;
  let outcome: BudgetedCall<Awaited<ReturnType<LlmClient["llmText"]>>>;
  try {
    outcome = await withTokenBudget(deps.db, tenantId, reserve, () => deps.llm.llmText({ ...prompt, maxTokens }), deps.now?.() ?? new Date());
  } catch (error) {
    const e = error as { name?: string; code?: string; status?: number; message?: string };
    log().warn({ tenantId, error: e.name, code: e.code, status: e.status, message: e.message }, "rationale: LLM call failed, template used");
    return { ...template("llm_error"), errorName: e.name };
  }
  if (outcome.status === "over_budget") return template("over_budget");
  const tokens = outcome.usage.prompt_tokens + outcome.usage.completion_tokens;
  const text = tidyRationale(outcome.value.text);
  if (text === null) return template("llm_error", tokens);
  await writeCache(deps.db, tenantId, cacheKey, text, outcome.value.model, outcome.usage);
  return { text, source: "llm", tokens, cacheKey };
}

/** The cached text for a key, counting the hit; null on a miss. */
async function readCache(db: AppDb, tenantId: string, cacheKey: string): Promise<string | null> {
  // Every company with the same facts counts its hit on this one row: one statement the server commits, so the row
  // is not held locked until a busy worker sends COMMIT while the run's other companies queue for it.
  const { rows } = await db.$tenantSql<{ rationale: string }>(
    tenantId,
    Prisma.sql`UPDATE rationale_cache
    SET hits = hits + 1
    WHERE tenant_id = ${tenantId}::uuid AND cache_key = ${cacheKey}
    RETURNING rationale`,
  );
  return rows[0]?.rationale ?? null;
}

async function writeCache(
  db: AppDb,
  tenantId: string,
  cacheKey: string,
  text: string,
  model: string,
  usage: { prompt_tokens: number; completion_tokens: number },
): Promise<void> {
  // Another worker may have written the key meanwhile; its text is as good as ours.
  await db.$tenantSql(
    tenantId,
    Prisma.sql`INSERT INTO rationale_cache
    (tenant_id, cache_key, rationale, model, prompt_tokens, completion_tokens)
    VALUES (${tenantId}::uuid, ${cacheKey}, ${text}, ${model}, ${usage.prompt_tokens}, ${usage.completion_tokens})
    ON CONFLICT (tenant_id, cache_key) DO NOTHING`,
  );
}

export type RationaleStats = {
  total: number;
  cache: number;
  llm: number;
  template: number;
  tokens: number;
  /** cache / total: every rationale looks in the cache first. Null when there were none. */
  cacheHitRate: number | null;
};

/** Counts a run's rationale results, e.g. for the run's `rationale_cache_hit_rate`. */
export function rationaleStats(results: Iterable<Pick<RationaleResult, "source" | "tokens">>): RationaleStats {
  const stats: RationaleStats = { total: 0, cache: 0, llm: 0, template: 0, tokens: 0, cacheHitRate: null };
  for (const r of results) {
    stats.total += 1;
    stats[r.source] += 1;
    stats.tokens += r.tokens;
  }
  stats.cacheHitRate = stats.total ? stats.cache / stats.total : null;
  return stats;
}
