import { z } from "zod";
import { INDUSTRIES } from "~/icp/industries";
import { type LlmClient, type LlmUsage } from "~/vendors/llm.server";
import { isPlausibleSiteEmail, normalizePhone } from "./contact-details.server";
import { normalizeEmail } from "./email-policy.server";
import { vocabularyIndustry } from "./industry.server";
import { type ProfileValues } from "./profile-rules.server";
import { byKind, dedupe, type SourcePage } from "./source-pages.server";

const LlmProfile = z.object({
  about_text: z.string().nullable(),
  industry: z.string().nullable(),
  headcount_estimate: z.number().int().nullable(),
  products: z.array(z.string()),
  locations: z.array(z.string()),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
});

export type LlmProfileAnswer = z.infer<typeof LlmProfile>;

const SYSTEM_PROMPT = [
  "You extract a factual company profile from the text of the company's own web pages.",
  "Use only what the pages state. about_text: one to three sentences on what the company does.",
  `industry: exactly one of these labels, or null when none fits: ${INDUSTRIES.map((i) => i.label).join("; ")}.`,
  "headcount_estimate: the number of employees if the pages state one, else null.",
  "products: names of products or services. locations: office addresses or cities.",
  "emails and phones: copy them exactly as written on the pages; never invent, complete or guess one.",
  "Use null or an empty list when the pages do not say.",
].join(" ");

/**
 * The LLM's profile of the company from its pages, checked against them
 * (see checkedLlmProfile). A failed call throws: the caller falls back to the rules.
 */
export async function askLlmForProfile(
  llm: LlmClient,
  pages: readonly SourcePage[],
  opts: { maxPromptChars: number; maxTokens: number },
): Promise<{ values: ProfileValues; usage: LlmUsage }> {
  const answer = await llm.llmJson({
    schema: LlmProfile,
    name: "company_profile",
    system: SYSTEM_PROMPT,
    user: profilePrompt(pages, opts.maxPromptChars),
    maxTokens: opts.maxTokens,
  });
  return { values: checkedLlmProfile(answer.value as LlmProfileAnswer, pages), usage: answer.usage };
}

/** The pages as the LLM reads them, the most telling kind first, cut to `maxChars` in all. */
export function profilePrompt(pages: readonly SourcePage[], maxChars: number): string {
  const parts: string[] = [];
  let left = maxChars;
  for (const page of byKind(pages)) {
    if (left <= 200) break;
    const header = `### ${page.kind} page: ${page.url}\nTitle: ${page.title}${page.description ? `\nDescription: ${page.description}` : ""}\n`;
    const body = page.text.slice(0, Math.max(0, left - header.length));
    parts.push(`${header}${body}`);
    left -= header.length + body.length;
  }
  return parts.join("\n\n");
}

/**
 * The LLM's answer in the profile's shape: trimmed, deduplicated, the
 * industry on the ICP's vocabulary, and every email address or phone number
 * the pages do not contain left out, because it is a guess and guesses are not kept.
 */
export function checkedLlmProfile(answer: LlmProfileAnswer, pages: readonly SourcePage[]): ProfileValues {
  const pageText = pages
    .map((p) => `${p.text}\n${p.html ?? ""}`)
    .join("\n")
    .toLowerCase();
  const pageDigits = pages.map((p) => p.text.replace(/\D/g, "")).join("|");
  return {
    about_text: answer.about_text?.trim() || null,
    industry: vocabularyIndustry(answer.industry),
    headcount_estimate: answer.headcount_estimate && answer.headcount_estimate > 0 ? answer.headcount_estimate : null,
    products: dedupe(answer.products.map((p) => p.trim()).filter(Boolean)).slice(0, 10),
    locations: dedupe(answer.locations.map((l) => l.trim()).filter(Boolean)).slice(0, 10),
    emails: dedupe(answer.emails.map((e) => normalizeEmail(e)).filter((e): e is string => Boolean(e) && pageText.includes(e!) && isPlausibleSiteEmail(e!))),
    phones: dedupe(
      answer.phones.map((p) => normalizePhone(p)).filter((p): p is string => Boolean(p) && pageDigits.includes(p!.replace(/\D/g, "").replace(/^65/, ""))),
    ),
  };
}
