/**
 * The words of a score rationale, built only from the bucket and the
 * breakdown's signals — never from the company's name, UEN or other
 * specifics — so one text fits every company with the same facts and can be
 * cached and reused across companies and runs.
 */
import { type Bucket, type BreakdownItem, type Feature, type LeadScoreResult } from "./score";

/** Bump when the phrases, the prompt or the facts it is given change: cached texts written for the old wording stop matching. */
export const RATIONALE_VERSION = 2;
export const RATIONALE_MAX_CHARS = 280;

type Kind = "strength" | "gap";
type Phrase = { kind: Kind; text: string } | null;

const S = (text: string): Phrase => ({ kind: "strength", text });
const G = (text: string): Phrase => ({ kind: "gap", text });

/** What each signal says in a rationale; null: expected or uninformative, left unsaid. */
const PHRASES: Record<Feature, Record<string, Phrase>> = {
  icp_match: { rules: S("a full ICP match"), industry_only: G("an industry-only ICP match") },
  ssic: { matched: S("a target SSIC code"), not_listed: null, not_matched: G("an SSIC code outside the ICP") },
  employee_fit: {
    in_range: S("a headcount inside the ICP range"),
    unknown: G("an unknown headcount"),
    out_of_range: G("a headcount outside the ICP range"),
  },
  registry_status: { live: null, unknown: G("an unconfirmed registry status"), not_live: G("a registry status that is not live") },
  entity_type: {
    local_company: null,
    foreign_company: null,
    llp: null,
    other: null,
    unknown: null,
    sole_or_partnership: G("a sole-proprietor or partnership entity"),
  },
  company_age: {
    established: S("five or more years in business"),
    growing: null,
    young: G("under two years in business"),
    new: G("under a year in business"),
    unknown: null,
  },
  domain: { high: S("a confirmed website"), medium: S("a likely website"), low: G("an unconfirmed website"), none: G("no website found") },
  about_text: { present: S("a clear company description"), absent: G("no company description") },
  web_content: {
    site_ok: null,
    search_fallback: null,
    thin: G("thin website content"),
    blocked: G("a website that blocks crawling"),
    error: G("a website that could not be read"),
    none: null,
  },
  products: { three_plus: S("several named products or services"), two: null, one: null, none: G("no named products or services") },
  singapore_presence: { found: S("a Singapore location"), not_found: G("no Singapore location found") },
  decision_makers: {
    three_plus: S("three or more decision-maker contacts"),
    two: S("two decision-maker contacts"),
    one: S("one decision-maker contact"),
    none: G("no decision-maker contacts"),
    unavailable: G("contacts not yet checked (vendor unavailable)"),
  },
  business_emails: {
    verified_2plus: S("several verified business emails"),
    verified_1: S("a verified business email"),
    unverified_only: G("only unverified business emails"),
    none: G("no business email"),
  },
};

export type RationaleFact = { feature: Feature; signal: string; text: string };

/** What a rationale may say: the bucket, strengths (strongest first) and gaps (largest first). */
export type RationaleFacts = { bucket: Bucket; strengths: RationaleFact[]; gaps: RationaleFact[] };

/**
 * Most reasons for the bucket, and most counter-points, a rationale names:
 * two sentences of 280 characters hold no more. The facts stop there, so
 * the LLM is asked, and the cache keyed, on exactly what the text can say —
 * companies that differ only further down share one text.
 */
const MOST_REASONS = 3;
const MOST_COUNTERPOINTS = 2;

export function rationaleFacts(scored: Pick<LeadScoreResult, "bucket" | "breakdown">): RationaleFacts {
  const ranked = (kind: Kind, salience: (b: BreakdownItem) => number) =>
    scored.breakdown
      .map((item) => ({ item, phrase: PHRASES[item.feature]?.[item.signal] ?? null }))
      .filter((x): x is { item: BreakdownItem; phrase: NonNullable<Phrase> } => x.phrase?.kind === kind)
      // Stable sort: equal salience keeps the breakdown's feature order.
      .sort((a, b) => salience(b.item) - salience(a.item))
      .map(({ item, phrase }) => ({ feature: item.feature, signal: item.signal, text: phrase.text }));
  const low = scored.bucket === "Low";
  return {
    bucket: scored.bucket,
    strengths: ranked("strength", (b) => b.weight * b.value).slice(0, low ? MOST_COUNTERPOINTS : MOST_REASONS),
    gaps: ranked("gap", (b) => b.weight * (1 - b.value)).slice(0, low ? MOST_REASONS : MOST_COUNTERPOINTS),
  };
}

/**
 * A deterministic rationale in at most two sentences and 280 characters:
 * the reasons for the bucket first (strengths, or gaps for Low), then what
 * holds it back (or, for Low, what speaks for it).
 */
export function templateRationale(facts: RationaleFacts): string {
  const low = facts.bucket === "Low";
  const primary = (low ? facts.gaps : facts.strengths).map((f) => f.text);
  const secondary = (low ? facts.strengths : facts.gaps).map((f) => f.text);
  let p = primary.length;
  let s = secondary.length;
  for (;;) {
    const text = compose(facts.bucket, primary.slice(0, p), secondary.slice(0, s));
    if (text.length <= RATIONALE_MAX_CHARS || (p <= 1 && s === 0)) return text;
    if (s > 0) s -= 1;
    else p -= 1;
  }
}

function compose(bucket: Bucket, primary: string[], secondary: string[]): string {
  const low = bucket === "Low";
  if (primary.length === 0) {
    if (secondary.length === 0) return `Rated ${bucket}, with no single strong or weak signal.`;
    return low ? `Rated Low despite ${list(secondary)}.` : `Rated ${bucket}, held back by ${list(secondary)}.`;
  }
  const lead = low ? `Rated Low because of ${list(primary)}.` : `Rated ${bucket} for ${list(primary)}.`;
  if (secondary.length === 0) return lead;
  return `${lead} ${low ? "In its favour:" : "Held back by"} ${list(secondary)}.`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

const SYSTEM_PROMPT = [
  "You explain a B2B lead score to a salesperson in plain English.",
  `Write one or two short sentences, ${RATIONALE_MAX_CHARS} characters at most, saying why the company is in its bucket.`,
  "Use only the strengths and gaps given; lead with the ones listed first.",
  "Do not name the company, do not invent facts, and do not mention scores, points or weights.",
].join(" ");

/** The chat prompt for an LLM-written rationale: the same facts the template uses, nothing more. */
export function rationalePrompt(facts: RationaleFacts): { system: string; user: string } {
  const show = (xs: RationaleFact[]) => (xs.length ? xs.map((f) => f.text).join("; ") : "none");
  return {
    system: SYSTEM_PROMPT,
    user: [`Bucket: ${facts.bucket}.`, `Strengths, strongest first: ${show(facts.strengths)}.`, `Gaps, largest first: ${show(facts.gaps)}.`].join("\n"),
  };
}

/**
 * An LLM answer cut to the rationale's shape: whitespace and wrapping quotes
 * removed, at most two sentences and 280 characters (a single over-long
 * sentence is cut at a word). Null when nothing is left.
 */
export function tidyRationale(answer: string): string | null {
  const flat = answer
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["'“”]+|["'“”]+$/g, "")
    .trim();
  if (!flat) return null;
  const sentences = flat.split(/(?<=[.!?])\s+/);
  let text = sentences[0]!;
  if (text.length > RATIONALE_MAX_CHARS) {
    const cut = text.slice(0, RATIONALE_MAX_CHARS - 1);
    const space = cut.lastIndexOf(" ");
    return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[,;:\s]+$/, "")}…`;
  }
  const second = sentences[1];
  if (second && text.length + 1 + second.length <= RATIONALE_MAX_CHARS) text = `${text} ${second}`;
  return text;
}
