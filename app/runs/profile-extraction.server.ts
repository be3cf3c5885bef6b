import { db } from "~/db.server";
import { extractCompanyProfile, rulesReadEverything, type CompanyProfile } from "~/enrichment/extract.server";
import { extractWithRules, type ProfileValues } from "~/enrichment/profile-rules.server";
import { type SourcePage } from "~/enrichment/source-pages.server";
import { withTokenBudget } from "~/scoring/token-budget.server";
import { raiseVendorFailureAlert } from "./alerts.server";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { llmUsageDelta } from "./run-log.server";
import { recordVendorUsage } from "./vendor-calls.server";

/** Completion tokens an extraction may use; reserved in full against the daily budget. */
const EXTRACTION_MAX_TOKENS = 800;

/** `rulesSufficed`: the rules read every field, so the LLM was not asked (see rulesReadEverything). */
export type ExtractedProfile = CompanyProfile & { overBudget: boolean; rulesSufficed?: boolean };

/**
 * The extract stage: the company's profile from its pages, by the rules when
 * they read every field, else by the LLM within the token budget, else by the
 * rules. `rules`: what the rules read from these pages, when the caller has it already.
 */
export function extractProfile(e: CompanyEnrichment, pages: SourcePage[], rules: ProfileValues = extractWithRules(pages)): Promise<ExtractedProfile> {
  return e.step("extract", "extract", async (note) => {
    const result = await extractWithinBudget(e, pages, rules);
    note({
      tool: result.usage ? "llm" : "rules",
      status: result.llmError ? "error" : "ok",
      args: {
        about: Boolean(result.about_text),
        headcount: result.headcount_estimate,
        emails: result.emails.length,
        overBudget: result.overBudget,
        ...(result.rulesSufficed ? { rulesSufficed: true } : {}),
      },
      message: result.llmError
        ? `LLM failed, rules used: ${result.llmError}`
        : result.overBudget
          ? "daily token budget reached: rules used"
          : result.rulesSufficed
            ? "the rules read every field from the pages: LLM not asked"
            : undefined,
    });
    return result;
  });
}

/**
 * The tokens reserved before an extraction: the prompt's (about three
 * characters a token, of at most 24,000 characters) plus the whole completion.
 */
export function extractionTokenReserve(pages: readonly SourcePage[]): number {
  const promptChars = pages.reduce((n, p) => n + p.text.length, 0);
  return Math.ceil(Math.min(promptChars, 24_000) / 3) + EXTRACTION_MAX_TOKENS;
}

/**
 * AI extraction under the tenant's hard daily token budget; past the budget
 * (or without an LLM) the deterministic extractor does the job.
 */
async function extractWithinBudget({ run, clients }: CompanyEnrichment, pages: SourcePage[], rules: ProfileValues): Promise<ExtractedProfile> {
  const byRules = await extractCompanyProfile(pages, { rules });
  if (!clients.llm || pages.length === 0) return { ...byRules, overBudget: false };
  if (rulesReadEverything(byRules, pages)) return { ...byRules, overBudget: false, rulesSufficed: true };
  const noUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const budgeted = await withTokenBudget(db, run.tenantId, extractionTokenReserve(pages), async () => {
    const profile = await extractCompanyProfile(pages, { llm: clients.llm, maxTokens: EXTRACTION_MAX_TOKENS, rules: byRules });
    return { profile, usage: profile.usage ?? noUsage };
  });
  if (budgeted.status === "over_budget") return { ...byRules, overBudget: true };
  if (budgeted.usage.total_tokens > 0) await recordVendorUsage(run, "llm", llmUsageDelta(budgeted.usage.total_tokens));
  if (budgeted.value.profile.llmError) {
    await recordVendorUsage(run, "llm", { calls: 1, errors: 1 });
    await raiseVendorFailureAlert(run.tenantId, run.runId, "llm", budgeted.value.profile.llmErrorName);
  }
  return { ...budgeted.value.profile, overBudget: false };
}
