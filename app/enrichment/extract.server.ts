import { z } from "zod";
import { findIndustry, INDUSTRIES, industryByKey } from "~/icp/industries";
import { log } from "~/logger.server";
import { type LlmClient, type LlmUsage } from "~/vendors/llm.server";
import { emailDomain, isDisposableDomain, isFreeMailDomain, normalizeEmail } from "./email-policy.server";

/** One crawled page, as the crawler or Tavily returned it. */
export type SourcePage = {
  url: string;
  /** home | about | contact | products | services | careers | other (free text is tolerated). */
  kind: string;
  title: string;
  text: string;
  /** Raw HTML when available: mailto links live there. */
  html?: string;
  /** The page's meta description. */
  description?: string;
};

export type ProfileField = "about_text" | "industry" | "headcount_estimate" | "products" | "locations" | "emails" | "phones";

export type CompanyProfile = {
  about_text: string | null;
  industry: string | null;
  headcount_estimate: number | null;
  products: string[];
  locations: string[];
  emails: string[];
  phones: string[];
  provenance: Record<ProfileField, "llm" | "rules">;
  usage?: LlmUsage;
  /** Why the LLM answer was not used, when it was asked and failed. */
  llmError?: string;
  /** The failure's error class (RateLimited, QuotaExceeded…), so the run can raise the matching alert. */
  llmErrorName?: string;
};

type RulesProfile = Omit<CompanyProfile, "provenance" | "usage" | "llmError" | "llmErrorName">;

const FIELDS: ProfileField[] = ["about_text", "industry", "headcount_estimate", "products", "locations", "emails", "phones"];

const LlmProfile = z.object({
  about_text: z.string().nullable(),
  industry: z.string().nullable(),
  headcount_estimate: z.number().int().nullable(),
  products: z.array(z.string()),
  locations: z.array(z.string()),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
});

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
 * The company profile from its pages: an LLM's structured answer when a
 * client is given (anything it leaves empty, or invents, is filled or
 * replaced by the rules), otherwise the deterministic rules alone.
 */
export async function extractCompanyProfile(
  pages: readonly SourcePage[],
  opts: { llm?: LlmClient; maxPromptChars?: number; maxTokens?: number } = {},
): Promise<CompanyProfile> {
  const rules = extractWithRules(pages);
  const allRules = Object.fromEntries(FIELDS.map((f) => [f, "rules"])) as Record<ProfileField, "llm" | "rules">;
  if (!opts.llm || pages.length === 0) return { ...rules, provenance: allRules };

  let answer: Awaited<ReturnType<LlmClient["llmJson"]>>;
  try {
    answer = await opts.llm.llmJson({
      schema: LlmProfile,
      name: "company_profile",
      system: SYSTEM_PROMPT,
      user: promptFor(pages, opts.maxPromptChars ?? 12_000),
      maxTokens: opts.maxTokens ?? 800,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn({ err: message }, "company profile extraction fell back to rules");
    return { ...rules, provenance: allRules, llmError: message, llmErrorName: error instanceof Error ? error.name : undefined };
  }

  const value = answer.value as z.infer<typeof LlmProfile>;
  const pageText = pages
    .map((p) => `${p.text}\n${p.html ?? ""}`)
    .join("\n")
    .toLowerCase();
  const pageDigits = pages.map((p) => p.text.replace(/\D/g, "")).join("|");
  const fromLlm: RulesProfile = {
    about_text: value.about_text?.trim() || null,
    industry: vocabularyIndustry(value.industry),
    headcount_estimate: value.headcount_estimate && value.headcount_estimate > 0 ? value.headcount_estimate : null,
    products: dedupe(value.products.map((p) => p.trim()).filter(Boolean)).slice(0, 10),
    locations: dedupe(value.locations.map((l) => l.trim()).filter(Boolean)).slice(0, 10),
    // An address or number the pages do not contain is a guess, and guesses are not kept.
    emails: dedupe(value.emails.map((e) => normalizeEmail(e)).filter((e): e is string => Boolean(e) && pageText.includes(e!) && isPlausibleSiteEmail(e!))),
    phones: dedupe(
      value.phones.map((p) => normalizePhone(p)).filter((p): p is string => Boolean(p) && pageDigits.includes(p!.replace(/\D/g, "").replace(/^65/, ""))),
    ),
  };
  const merged = { ...rules } as RulesProfile;
  const provenance = { ...allRules };
  for (const field of FIELDS) {
    const v = fromLlm[field];
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    (merged as Record<string, unknown>)[field] = v;
    provenance[field] = "llm";
  }
  return { ...merged, provenance, usage: answer.usage };
}

const KIND_ORDER = ["about", "home", "products", "services", "contact", "careers"];

function kindRank(kind: string): number {
  const k = kind.toLowerCase();
  const i = KIND_ORDER.findIndex((o) => k.includes(o));
  return i === -1 ? KIND_ORDER.length : i;
}

function byKind(pages: readonly SourcePage[]): SourcePage[] {
  return [...pages].sort((a, b) => kindRank(a.kind) - kindRank(b.kind));
}

function promptFor(pages: readonly SourcePage[], maxChars: number): string {
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

// ---------------------------------------------------------------------------
// Rules

export function extractWithRules(pages: readonly SourcePage[]): RulesProfile {
  return {
    about_text: findAboutText(pages),
    industry: detectIndustry(pages),
    headcount_estimate: estimateHeadcount(pages),
    products: findProducts(pages),
    locations: findLocations(pages),
    emails: findEmails(pages),
    phones: findPhones(pages),
  };
}

const BOILERPLATE = /cookie|privacy policy|all rights reserved|©|\(c\)\s*\d{4}|copyright|terms of (use|service)|subscribe|newsletter|javascript|sign up for/i;

function blocks(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
}

function isSubstantial(paragraph: string): boolean {
  const words = paragraph.split(/\s+/).length;
  return paragraph.length >= 60 && words >= 10 && /[.!?]/.test(paragraph) && !BOILERPLATE.test(paragraph);
}

/** Whole sentences up to `max` characters. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("! "), cut.lastIndexOf("? "));
  return end > 40 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}

export function findAboutText(pages: readonly SourcePage[]): string | null {
  const about = pages.filter((p) => /about|company|who[- ]we[- ]are|our[- ]story/i.test(p.kind));
  for (const page of about) {
    const paras = blocks(page.text)
      .flatMap((b) => b.split(/\n/))
      .filter(isSubstantial);
    if (paras.length) return clip(paras.slice(0, 2).join(" "), 1000);
  }
  const described = byKind(pages).find((p) => p.description && p.description.trim().length >= 50 && !BOILERPLATE.test(p.description));
  if (described?.description) return clip(described.description, 1000);
  for (const page of byKind(pages)) {
    const para = blocks(page.text)
      .flatMap((b) => b.split(/\n/))
      .find(isSubstantial);
    if (para) return clip(para, 1000);
  }
  return null;
}

/** Label → keywords; the first label wins a tie, so the list runs from specific to general. */
/** Keywords per industry of the ICP's vocabulary (app/icp/industries.data.json), by its key. */
const INDUSTRY_KEYWORDS: Array<[string, RegExp]> = [
  ["logistics", /\b(logistics|freight|warehous\w*|supply chain|shipping|courier|trucking|3pl|fulfil?ment|forwarding)\b/gi],
  ["manufacturing", /\b(robot\w*|automation|autonomous|amr|agv)\b/gi],
  ["software", /\b(software|saas|cloud|app development|it services|platform|digital transformation|cybersecurity|api)\b/gi],
  ["manufacturing", /\b(manufactur\w*|precision engineering|fabrication|machining|factory|oem|industrial)\b/gi],
  ["construction", /\b(construction|contractor|renovation|interior design|civil engineering|m&e|building works)\b/gi],
  ["food_and_beverage", /\b(restaurant|catering|f&b|food|beverage|bakery|café|cafe)\b/gi],
  ["healthcare", /\b(clinic|healthcare|medical|pharma\w*|biotech|dental|hospital)\b/gi],
  ["education", /\b(education|training|tuition|academy|courses?|e-?learning|school)\b/gi],
  ["finance", /\b(fintech|accounting|insurance|bank\w*|payments?|wealth|audit|tax advisory)\b/gi],
  ["marketing", /\b(marketing agency|digital marketing|advertising|branding|seo|social media marketing|creative agency)\b/gi],
  ["retail", /\b(retail|e-?commerce|online store|shop|boutique)\b/gi],
  ["real_estate", /\b(real estate|property|properties|realty|facilities management)\b/gi],
  ["professional_services", /\b(consult\w*|advisory|law firm|legal services|recruitment|staffing|hr services)\b/gi],
];

export function detectIndustry(pages: readonly SourcePage[]): string | null {
  const scores = new Map<string, number>();
  for (const page of pages) {
    const weight = /about|home/i.test(page.kind) ? 2 : 1;
    const text = `${page.title}\n${page.description ?? ""}\n${page.text}`;
    for (const [key, pattern] of INDUSTRY_KEYWORDS) {
      const hits = text.match(pattern)?.length ?? 0;
      if (hits) scores.set(key, (scores.get(key) ?? 0) + hits * weight);
    }
  }
  let best: string | null = null;
  let bestScore = 1;
  for (const [key] of INDUSTRY_KEYWORDS) {
    const score = scores.get(key) ?? 0;
    if (score > bestScore) {
      best = key;
      bestScore = score;
    }
  }
  return best ? (industryByKey(best)?.label ?? null) : null;
}

/** A free-text industry is kept only as long as a short label; a sentence is an about text, not an industry. */
const MAX_INDUSTRY_LABEL_CHARS = 60;

/**
 * An industry answer mapped onto the ICP's controlled vocabulary: the
 * vocabulary's label when the answer (or one of its "&", ",", "/" or "and"
 * parts) is one of its words, else null — so a sentence, or a word the ICP
 * cannot filter on, never lands in the industry column.
 */
export function vocabularyIndustry(answer: string | null | undefined): string | null {
  const text = answer?.trim();
  if (!text || text.length > MAX_INDUSTRY_LABEL_CHARS || /[.!?;:]/.test(text)) return null;
  const known = INDUSTRIES.find((i) => i.label === text);
  if (known) return known.label;
  for (const part of [text, ...text.split(/\s*(?:&|,|\/|\band\b)\s*/i)]) {
    const industry = part ? findIndustry(part) : undefined;
    if (industry) return industry.label;
  }
  return null;
}

const NUM = String.raw`(\d{1,3}(?:,\d{3})+|\d{1,6})`;
const STAFF = String.raw`(?:full[- ]time\s+)?(?:employees|staff(?:\s+members)?|team\s+members|professionals|engineers|specialists|consultants|workers|headcount)`;
const HEADCOUNT_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => number]> = [
  // "11-50 employees": a band, so its middle.
  [new RegExp(String.raw`\b${NUM}\s*(?:-|–|to)\s*${NUM}\s+${STAFF}`, "i"), (m) => Math.round((num(m[1]) + num(m[2])) / 2)],
  [
    new RegExp(String.raw`\b(?:team|staff|workforce|headcount)\s+of\s+(?:over\s+|more\s+than\s+|about\s+|around\s+|some\s+|nearly\s+)?${NUM}\b`, "i"),
    (m) => num(m[1]),
  ],
  [new RegExp(String.raw`\bemploys?\s+(?:over\s+|more\s+than\s+|about\s+|around\s+|some\s+|nearly\s+)?${NUM}\b`, "i"), (m) => num(m[1])],
  [new RegExp(String.raw`\b${NUM}\s*\+?\s+${STAFF}\b`, "i"), (m) => num(m[1])],
  [new RegExp(String.raw`\b${NUM}\s*\+?\s+people\s+(?:strong|work|working|employed|on\s+our\s+team)\b`, "i"), (m) => num(m[1])],
];

function num(s: string | undefined): number {
  return Number((s ?? "").replace(/,/g, ""));
}

export function estimateHeadcount(pages: readonly SourcePage[]): number | null {
  for (const page of byKind(pages)) {
    const text = `${page.description ?? ""}\n${page.text}`;
    for (const [pattern, read] of HEADCOUNT_PATTERNS) {
      const m = pattern.exec(text);
      if (!m) continue;
      const n = read(m);
      if (n >= 1 && n <= 500_000) return n;
    }
  }
  return null;
}

/** Site-builder and tooling domains whose addresses show up in page source. */
const PLATFORM_DOMAINS = new Set([
  "example.com",
  "example.org",
  "domain.com",
  "email.com",
  "yourdomain.com",
  "yourcompany.com",
  "sentry.io",
  "wixpress.com",
  "wix.com",
  "shopify.com",
  "squarespace.com",
  "wordpress.com",
  "godaddy.com",
]);

function isPlausibleSiteEmail(email: string): boolean {
  const domain = emailDomain(email);
  const local = email.slice(0, email.lastIndexOf("@"));
  return (
    !PLATFORM_DOMAINS.has(domain) && !isDisposableDomain(domain) && !/^(no[-_.]?reply|do[-_.]?not[-_.]?reply)$/.test(local) && !/^[0-9a-f]{16,}$/.test(local)
  );
}

function siteDomain(pages: readonly SourcePage[]): string | undefined {
  for (const p of pages) {
    try {
      return new URL(p.url).hostname.replace(/^www\./, "").toLowerCase();
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * Addresses the pages actually show (mailto links, plain text, and the
 * common "name [at] domain [dot] com" disguise): the site's own first, then
 * free-mail (the email policy decides on those), then other domains.
 */
export function findEmails(pages: readonly SourcePage[]): string[] {
  const found: string[] = [];
  for (const page of pages) {
    for (const m of (page.html ?? "").matchAll(/mailto:([^"'?\s>]+)/gi)) found.push(m[1]!);
    const text = page.text.replace(/\s*[[(]\s*at\s*[\])]\s*/gi, "@").replace(/\s*[[(]\s*dot\s*[\])]\s*/gi, ".");
    for (const m of text.matchAll(/(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,24}/g)) found.push(m[0]);
  }
  const site = siteDomain(pages);
  const emails = dedupe(found.map((e) => normalizeEmail(e)).filter((e): e is string => Boolean(e) && isPlausibleSiteEmail(e!)));
  const rank = (e: string) => {
    const d = emailDomain(e);
    if (site && (d === site || d.endsWith(`.${site}`) || site.endsWith(`.${d}`))) return 0;
    return isFreeMailDomain(d) ? 1 : 2;
  };
  return emails.sort((a, b) => rank(a) - rank(b)).slice(0, 10);
}

/** A Singapore number as "+65 6123 4567" (or "1800 123 4567" toll-free); null when it is not one. */
export function normalizePhone(raw: string): string | null {
  const digits = raw
    .replace(/\(0\)/g, "")
    .replace(/[^\d+]/g, "")
    .replace(/^00/, "+");
  const tollFree = /^1800(\d{7})$/.exec(digits);
  if (tollFree) return `1800 ${tollFree[1]!.slice(0, 3)} ${tollFree[1]!.slice(3)}`;
  const local = /^(?:\+?65)?([3689]\d{7})$/.exec(digits);
  return local ? `+65 ${local[1]!.slice(0, 4)} ${local[1]!.slice(4)}` : null;
}

const PHONE_LABEL = /(tel|phone|call|hotline|mobile|whatsapp|office|contact|main line|t\s*[:.]|p\s*[:.]|m\s*[:.])[^\n]{0,25}$/i;

export function findPhones(pages: readonly SourcePage[]): string[] {
  const out: string[] = [];
  for (const page of pages) {
    const text = page.text;
    const patterns: Array<{ re: RegExp; needsLabel: boolean }> = [
      { re: /(?:\+|00)\s?65[\s.-]?(?:\(0\)\s?)?[3689]\d{3}[\s.-]?\d{4}(?!\d)/g, needsLabel: false },
      { re: /\(\s?65\s?\)\s?[3689]\d{3}[\s.-]?\d{4}(?!\d)/g, needsLabel: false },
      { re: /(?<![\d+])1800[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)/g, needsLabel: false },
      // A bare 8-digit number could be anything, so it counts only beside a phone label or on a contact page.
      { re: /(?<![\d+])[3689]\d{3}[\s-]\d{4}(?![\d-])/g, needsLabel: true },
    ];
    const found: Array<{ at: number; phone: string }> = [];
    for (const { re, needsLabel } of patterns) {
      for (const m of text.matchAll(re)) {
        const before = text.slice(Math.max(0, m.index - 30), m.index);
        if (/fax\W{0,15}$/i.test(before)) continue;
        if (needsLabel && !PHONE_LABEL.test(before) && !/contact/i.test(page.kind)) continue;
        const phone = normalizePhone(m[0]);
        if (phone) found.push({ at: m.index, phone });
      }
    }
    out.push(...found.sort((a, b) => a.at - b.at).map((f) => f.phone));
  }
  return dedupe(out).slice(0, 5);
}

const SECTION_HEADER = /^(?:our\s+)?(?:products?|services?|solutions?|offerings?|what\s+we\s+(?:do|offer)|capabilities)\s*:?$/i;
const NAV_WORDS =
  /^(home|about( us)?|contact( us)?|careers?|blog|news|login|log in|sign in|sign up|menu|search|faq|learn more|read more|get started|get a quote|request a demo|book a demo|back to top|products?|services?|solutions?|our (products|services|solutions)|privacy policy|terms)$/i;
const BULLET = /^\s*(?:[-•*·▪–]|\d+[.)])\s+/;

function isHeadingLike(line: string): boolean {
  const t = line.trim();
  const words = t.split(/\s+/).length;
  return (
    t.length >= 3 &&
    t.length <= 80 &&
    words <= 10 &&
    /^[A-Z0-9]/.test(t) &&
    !/[.!?:;,]$/.test(t) &&
    !t.includes("@") &&
    !/\d{4}[\s-]?\d{4}/.test(t) &&
    !NAV_WORDS.test(t) &&
    !BOILERPLATE.test(t)
  );
}

export function findProducts(pages: readonly SourcePage[]): string[] {
  const out: string[] = [];
  for (const page of byKind(pages)) {
    const productPage = /product|service|solution/i.test(page.kind);
    for (const block of blocks(page.text)) {
      const lines = block
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      if (lines.length === 0) continue;
      if (SECTION_HEADER.test(lines[0]!)) {
        for (const line of lines.slice(1)) {
          const item = line.replace(BULLET, "");
          if (isHeadingLike(item)) out.push(item);
        }
        continue;
      }
      if (!productPage) continue;
      const bullets = lines.filter((l) => BULLET.test(l)).map((l) => l.replace(BULLET, ""));
      if (bullets.length) out.push(...bullets.filter(isHeadingLike));
      // On a product page, a heading followed by its description names a product.
      else if (lines.length >= 2 && isHeadingLike(lines[0]!) && /[.!?]$/.test(lines[1]!)) out.push(lines[0]!);
    }
  }
  return dedupe(out).slice(0, 10);
}

const PLACES = [
  "Singapore",
  "Kuala Lumpur",
  "Penang",
  "Johor Bahru",
  "Malaysia",
  "Jakarta",
  "Batam",
  "Indonesia",
  "Bangkok",
  "Thailand",
  "Ho Chi Minh City",
  "Hanoi",
  "Vietnam",
  "Manila",
  "Philippines",
  "Yangon",
  "Phnom Penh",
  "Hong Kong",
  "Shanghai",
  "Shenzhen",
  "Beijing",
  "China",
  "Taipei",
  "Taiwan",
  "Tokyo",
  "Japan",
  "Seoul",
  "South Korea",
  "Sydney",
  "Melbourne",
  "Australia",
  "Mumbai",
  "Bangalore",
  "Bengaluru",
  "India",
  "Dubai",
  "London",
  "United Kingdom",
  "United States",
];
const PRESENCE = /\b(?:offices?|presence|based|located|headquartered|headquarters|operations?|branches|hubs?)\s+(?:in|across|at)\s+([^.\n]{2,160})/gi;

export function findLocations(pages: readonly SourcePage[]): string[] {
  const addresses: string[] = [];
  const places: string[] = [];
  for (const page of byKind(pages)) {
    const lines = page.text.split("\n").map((l) => l.trim());
    lines.forEach((line, i) => {
      if (!/\bSingapore\s+\d{6}\b/.test(line)) return;
      // An address split over lines: "10 Science Park Road" / "Singapore 117684".
      const full = /^\s*Singapore\s+\d{6}\s*$/.test(line) && i > 0 && lines[i - 1] ? `${lines[i - 1]}, ${line}` : line;
      const address = full
        .replace(/^(address|office|hq|headquarters)\s*[:\-–]\s*/i, "")
        .replace(/\s+/g, " ")
        .trim();
      if (address.length <= 160) addresses.push(address);
    });
    for (const m of page.text.matchAll(PRESENCE)) {
      for (const place of PLACES) if (new RegExp(`\\b${place}\\b`, "i").test(m[1]!)) places.push(place);
    }
  }
  const joined = addresses.join(" | ").toLowerCase();
  const extra = places.filter((p) => !joined.includes(p.toLowerCase()));
  return dedupe([...addresses, ...extra]).slice(0, 10);
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
