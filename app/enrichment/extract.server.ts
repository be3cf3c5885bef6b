import { log } from "~/logger.server";
import { type LlmClient, type LlmUsage } from "~/vendors/llm.server";
import { industryHits } from "./industry.server";
import { askLlmForProfile } from "./llm-profile.server";
import { extractWithRules, PROFILE_FIELDS, type ProfileField, type ProfileValues } from "./profile-rules.server";
import { type SourcePage } from "./source-pages.server";

export type CompanyProfile = ProfileValues & {
  provenance: Record<ProfileField, "llm" | "rules">;
  usage?: LlmUsage;
  /** Why the LLM answer was not used, when it was asked and failed. */
  llmError?: string;
  /** The failure's error class (RateLimited, QuotaExceeded…), so the run can raise the matching alert. */
  llmErrorName?: string;
};

/**
 * The company profile from its pages: an LLM's structured answer when a
 * client is given (anything it leaves empty, or invents, is filled or
 * replaced by the rules), otherwise the deterministic rules alone.
 */
export async function extractCompanyProfile(
  pages: readonly SourcePage[],
  opts: { llm?: LlmClient; maxPromptChars?: number; maxTokens?: number; rules?: ProfileValues } = {},
): Promise<CompanyProfile> {
  const rules = opts.rules ?? extractWithRules(pages);
  if (!opts.llm || pages.length === 0) return { ...rules, provenance: allByRules() };

  let answer: Awaited<ReturnType<typeof askLlmForProfile>>;
  try {
    answer = await askLlmForProfile(opts.llm, pages, { maxPromptChars: opts.maxPromptChars ?? 12_000, maxTokens: opts.maxTokens ?? 800 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn({ err: message }, "company profile extraction fell back to rules");
    return { ...rules, provenance: allByRules(), llmError: message, llmErrorName: error instanceof Error ? error.name : undefined };
  }
  return { ...mergeProfiles(rules, answer.values), usage: answer.usage };
}

/**
 * Whether the rules have already read from the pages everything the LLM
 * would be asked to: an about text, an industry the pages point to clearly
 * (its keywords at least twice as often as the next industry's), a
 * headcount, products and locations. Emails and phones the LLM may only copy
 * from the pages (checkedLlmProfile drops any other), and the rules read
 * those in full already. Then an AI extraction would fill no field the rules
 * left empty, so it is not asked: the call, its tokens and its place under
 * the account's requests per minute go to a company whose pages need it.
 */
export function rulesReadEverything(rules: ProfileValues, pages: readonly SourcePage[]): boolean {
  const [first, second] = industryHits(pages);
  const clearIndustry = Boolean(rules.industry) && !!first && first.hits >= 2 * (second?.hits ?? 0);
  return Boolean(rules.about_text) && clearIndustry && rules.headcount_estimate !== null && rules.products.length > 0 && rules.locations.length > 0;
}

function allByRules(): Record<ProfileField, "llm" | "rules"> {
  return Object.fromEntries(PROFILE_FIELDS.map((f) => [f, "rules"])) as Record<ProfileField, "llm" | "rules">;
}

/** The LLM's fields where it gave a value, the rules' everywhere else, with who filled each field. */
export function mergeProfiles(rules: ProfileValues, fromLlm: ProfileValues): ProfileValues & { provenance: Record<ProfileField, "llm" | "rules"> } {
  const merged = { ...rules };
  const provenance = allByRules();
  for (const field of PROFILE_FIELDS) {
    const v = fromLlm[field];
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    (merged as Record<string, unknown>)[field] = v;
    provenance[field] = "llm";
  }
  return { ...merged, provenance };
}
