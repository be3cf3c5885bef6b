/**
 * Lead score: how well a candidate company fits the tenant's ICP and how much
 * evidence the enrichment found that it is reachable. Pure and deterministic:
 * the same signals and thresholds always give the same score, bucket and
 * breakdown (company age is measured to `asOf`, never to the clock).
 *
 * Every feature reads the signals into one categorical *signal* with a fixed
 * value in 0..1; points = weight × value; score = Σ points (weights sum to
 * 100), rounded to one decimal, then bucketed: score ≥ high → High,
 * ≥ medium → Medium, else Low. Because each value is a step function of its
 * evidence, more evidence never lowers the score, and the signals alone (not
 * the company) determine the rationale — which is what lets rationales be
 * shared between companies (see rationale.server.ts).
 *
 * | feature            | weight | values                                                                 | why |
 * |--------------------|-------:|------------------------------------------------------------------------|-----|
 * | icp_match          |     12 | rules 1 · industry_only 0.5                                             | every candidate passed some ICP filter; the industry-only fallback (a degraded run) checked far less, so it earns half |
 * | ssic               |      6 | matched 1 · not_listed 0.5 · not_matched 0                              | the registry's own activity code is a harder fact than a label; neutral when the ICP names no codes |
 * | employee_fit       |     12 | in_range 1 · unknown 0.4 · out_of_range 0                               | size drives deal size and buying process; unknown is common for SMEs, so it is below neutral but not zero |
 * | registry_status    |      5 | live 1 · unknown 0.5 · not_live 0                                       | a struck-off company cannot buy; candidates are mostly live already, so the weight is small |
 * | entity_type        |      2 | local_company 1 · foreign_company 0.8 · llp 0.6 · other/unknown 0.5 · sole_or_partnership 0.3 | companies buy B2B software more than sole proprietors; a weak prior only |
 * | company_age        |      3 | ≥5 y 1 · 2–5 y 0.75 · 1–2 y 0.5 · unknown 0.4 · <1 y 0.25               | established firms have budgets and processes; a weak prior only |
 * | domain             |     10 | high 1 · medium 0.75 · low 0.4 · none 0                                 | a confirmed website is the first proof the company is real and reachable (a run aims for a domain on ≥ 70 % of its companies) |
 * | about_text         |      8 | present 1 · absent 0                                                    | a description is what lets a rep (and the rationale) judge the fit (a run aims for about text on ≥ 60 %) |
 * | web_content        |      6 | site_ok 1 · search_fallback 0.6 · thin 0.5 · blocked/error 0.2 · none 0 | how much of the site we could read; web-search content (Tavily) rescues a thin or blocked crawl |
 * | products           |      4 | ≥3 1 · 2 0.75 · 1 0.5 · 0 0                                             | named products or services show an operating business and give the rep an opening |
 * | singapore_presence |      4 | found 1 · not_found 0                                                   | a Singapore office confirms the company is reachable locally |
 * | decision_makers    |     16 | ≥3 1 · 2 0.85 · 1 0.6 · 0 0 · unavailable 0 (weight lowered to 5)       | role-qualified people are what a sales team acts on: the largest single feature |
 * | business_emails    |     12 | ≥2 verified 1 · 1 verified 0.8 · unverified only 0.4 · none 0           | a verified business address is a usable channel (a run aims for ≥ 1 verified or unknown email on ≥ 40 %) |
 *
 * Groups: ICP fit 30, registry 10, enrichment 32, contacts 28.
 *
 * When the contact vendor did not answer (quota, error, disabled), the
 * contacts' weight is lowered so that missing contacts do not bias High:
 * decision_makers keeps a weight of 5 with no points and the other twelve
 * weights are scaled up (× 95/84) to fill the remaining 95. The rest of the
 * evidence keeps its proportion — a company with 80 % of it scores 76 instead
 * of the 67 it would get had the vendor answered "nobody" (it is not pushed to
 * Low) — and it never reaches the score it would have with the best contacts
 * found (it is not pushed to High without evidence): its score always lies
 * between those two. Emails keep their weight: they also come from the
 * company's own site.
 */
import { z } from "zod";

export const BUCKETS = ["High", "Medium", "Low"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Outcome of the deterministic crawl; `none` when there was no site to crawl. */
export type CrawlStatus = "ok" | "thin" | "blocked" | "error" | "none";
/** Whether the contact vendor answered (`available`), whatever it found. */
export type ContactVendorState = "available" | "quota" | "error" | "disabled";
export type DomainConfidence = "high" | "medium" | "low";

/** Everything the score reads about one company. */
export type LeadSignals = {
  icp: {
    /** `rules`: passed the ICP's rules; `industry_only`: the degraded fallback that matched on industry alone. */
    match: "rules" | "industry_only";
    /** Whether the company's SSIC code is among the ICP's codes; null when the ICP names none. */
    ssicMatched: boolean | null;
    /** The ICP's employee range (either end may be open); null when the ICP sets none. */
    employeeRange: { min?: number | null; max?: number | null } | null;
  };
  registry: {
    /** ACRA `entity_status_description` ("Live", "Live Company", "Struck Off", …). */
    status: string | null;
    /** ACRA `entity_type_description` ("Local Company", "Foreign Company", …). */
    entityType: string | null;
    /** Registration/incorporation date, `YYYY-MM-DD`. */
    incorporatedOn: string | null;
  };
  enrichment: {
    /** Confidence of the discovered domain; null when no domain was found. */
    domainConfidence: DomainConfidence | null;
    /** Employee count the extraction read from the site; null when it found none. */
    headcountEstimate: number | null;
    aboutTextPresent: boolean;
    crawlStatus: CrawlStatus;
    /** True when Tavily supplied page content for the company. */
    tavilyUsed: boolean;
    productsCount: number;
    locationsIncludeSingapore: boolean;
  };
  contacts: {
    vendor: ContactVendorState;
    /** Contacts whose title matches one of the ICP's contact titles. */
    roleQualified: number;
    /** Business emails ZeroBounce called valid. */
    verifiedEmails: number;
    /** Business emails whose verification was inconclusive (unknown, catch-all, API error). */
    unknownEmails: number;
  };
  /** The day scored for (`YYYY-MM-DD`, the run's Singapore date). */
  asOf: string;
};

export type ScoreThresholds = { high: number; medium: number };
export const DEFAULT_SCORE_THRESHOLDS: ScoreThresholds = { high: 70, medium: 40 };
export const scoreThresholdsSchema = z
  .object({ high: z.number().min(0).max(100), medium: z.number().min(0).max(100) })
  .refine((t) => t.medium <= t.high, { message: "the Medium threshold must not exceed the High threshold" });

export type Feature =
  | "icp_match"
  | "ssic"
  | "employee_fit"
  | "registry_status"
  | "entity_type"
  | "company_age"
  | "domain"
  | "about_text"
  | "web_content"
  | "products"
  | "singapore_presence"
  | "decision_makers"
  | "business_emails";

export const FEATURE_WEIGHTS = {
  icp_match: 12,
  ssic: 6,
  employee_fit: 12,
  registry_status: 5,
  entity_type: 2,
  company_age: 3,
  domain: 10,
  about_text: 8,
  web_content: 6,
  products: 4,
  singapore_presence: 4,
  decision_makers: 16,
  business_emails: 12,
} as const satisfies Record<Feature, number>;

/** decision_makers' weight when the contact vendor did not answer. */
export const CONTACT_WEIGHT_UNAVAILABLE = 5;

export const SIGNAL_VALUES = {
  icp_match: { rules: 1, industry_only: 0.5 },
  ssic: { matched: 1, not_listed: 0.5, not_matched: 0 },
  employee_fit: { in_range: 1, unknown: 0.4, out_of_range: 0 },
  registry_status: { live: 1, unknown: 0.5, not_live: 0 },
  entity_type: { local_company: 1, foreign_company: 0.8, llp: 0.6, other: 0.5, unknown: 0.5, sole_or_partnership: 0.3 },
  company_age: { established: 1, growing: 0.75, young: 0.5, unknown: 0.4, new: 0.25 },
  domain: { high: 1, medium: 0.75, low: 0.4, none: 0 },
  about_text: { present: 1, absent: 0 },
  web_content: { site_ok: 1, search_fallback: 0.6, thin: 0.5, blocked: 0.2, error: 0.2, none: 0 },
  products: { three_plus: 1, two: 0.75, one: 0.5, none: 0 },
  singapore_presence: { found: 1, not_found: 0 },
  decision_makers: { three_plus: 1, two: 0.85, one: 0.6, none: 0, unavailable: 0 },
  business_emails: { verified_2plus: 1, verified_1: 0.8, unverified_only: 0.4, none: 0 },
} as const satisfies Record<Feature, Record<string, number>>;

export type Signal<F extends Feature = Feature> = F extends Feature ? keyof (typeof SIGNAL_VALUES)[F] & string : never;

export type BreakdownItem = {
  feature: Feature;
  /** The categorical reading of the evidence (what the rationale and its cache key use). */
  signal: string;
  weight: number;
  /** 0..1, fixed per signal. */
  value: number;
  points: number;
  /** Human-readable detail for the breakdown view; may carry specifics the signal does not. */
  reason: string;
};

export type LeadScoreResult = {
  /** 0–100, one decimal. */
  score: number;
  bucket: Bucket;
  breakdown: BreakdownItem[];
  /** The weight decision_makers carried (16, or 5 when the vendor did not answer). */
  contactWeight: number;
  contactsAvailable: boolean;
};

type Reading<F extends Feature> = { signal: Signal<F>; reason: string };
type Readers = { [F in Feature]: (s: LeadSignals) => Reading<F> };

const READERS: Readers = {
  icp_match: (s) =>
    s.icp.match === "rules"
      ? { signal: "rules", reason: "Passed the tenant's ICP rules" }
      : { signal: "industry_only", reason: "Matched by the industry-only fallback (ICP candidate set was empty)" },
  ssic: (s) =>
    s.icp.ssicMatched === null
      ? { signal: "not_listed", reason: "The ICP names no SSIC codes" }
      : s.icp.ssicMatched
        ? { signal: "matched", reason: "SSIC code is one the ICP targets" }
        : { signal: "not_matched", reason: "SSIC code is not among the ICP's codes" },
  employee_fit: (s) => {
    const fit = employeeFit(s.icp.employeeRange, s.enrichment.headcountEstimate);
    const range = describeRange(s.icp.employeeRange);
    if (fit === "unknown") return { signal: fit, reason: "No headcount estimate found" };
    const verb = fit === "in_range" ? "inside" : "outside";
    return { signal: fit, reason: `Headcount estimate ${Math.round(s.enrichment.headcountEstimate!)} is ${verb} the ICP range ${range}` };
  },
  registry_status: (s) => {
    const status = s.registry.status?.trim();
    if (!status) return { signal: "unknown", reason: "Registry status unknown" };
    return isLiveStatus(status)
      ? { signal: "live", reason: `Registry status "${status}"` }
      : { signal: "not_live", reason: `Registry status "${status}" is not live` };
  },
  entity_type: (s) => {
    const kind = entityClass(s.registry.entityType);
    return { signal: kind, reason: kind === "unknown" ? "Entity type unknown" : `Entity type "${s.registry.entityType!.trim()}"` };
  },
  company_age: (s) => {
    const years = companyAgeYears(s.registry.incorporatedOn, s.asOf);
    if (years === null) return { signal: "unknown", reason: "Incorporation date unknown" };
    const signal = years >= 5 ? "established" : years >= 2 ? "growing" : years >= 1 ? "young" : "new";
    return { signal, reason: `Incorporated ${years.toFixed(1)} years before ${s.asOf}` };
  },
  domain: (s) => {
    const c = s.enrichment.domainConfidence;
    return c ? { signal: c, reason: `Website found with ${c} confidence` } : { signal: "none", reason: "No website found" };
  },
  about_text: (s) =>
    s.enrichment.aboutTextPresent
      ? { signal: "present", reason: "Company description extracted" }
      : { signal: "absent", reason: "No company description found" },
  web_content: (s) => {
    const crawl = s.enrichment.crawlStatus;
    const crawled: Signal<"web_content"> = crawl === "ok" ? "site_ok" : crawl;
    if (s.enrichment.tavilyUsed && SIGNAL_VALUES.web_content.search_fallback > SIGNAL_VALUES.web_content[crawled]) {
      return { signal: "search_fallback", reason: `Crawl ${crawl}; content came from web search` };
    }
    return { signal: crawled, reason: crawl === "none" ? "No site to crawl" : `Crawl ${crawl}` };
  },
  products: (s) => {
    const n = count(s.enrichment.productsCount);
    const signal = n >= 3 ? "three_plus" : n === 2 ? "two" : n === 1 ? "one" : "none";
    return { signal, reason: `${n} product${n === 1 ? "" : "s"} or service${n === 1 ? "" : "s"} listed` };
  },
  singapore_presence: (s) =>
    s.enrichment.locationsIncludeSingapore
      ? { signal: "found", reason: "Singapore location on the site" }
      : { signal: "not_found", reason: "No Singapore location found" },
  decision_makers: (s) => {
    if (s.contacts.vendor !== "available") {
      return { signal: "unavailable", reason: `Contact vendor unavailable (${s.contacts.vendor}); contact weight lowered` };
    }
    const n = count(s.contacts.roleQualified);
    const signal = n >= 3 ? "three_plus" : n === 2 ? "two" : n === 1 ? "one" : "none";
    return { signal, reason: `${n} role-qualified contact${n === 1 ? "" : "s"}` };
  },
  business_emails: (s) => {
    const verified = count(s.contacts.verifiedEmails);
    const unknown = count(s.contacts.unknownEmails);
    const signal = verified >= 2 ? "verified_2plus" : verified === 1 ? "verified_1" : unknown > 0 ? "unverified_only" : "none";
    return { signal, reason: `${verified} verified and ${unknown} unverified business email${verified + unknown === 1 ? "" : "s"}` };
  },
};

const FEATURES = Object.keys(FEATURE_WEIGHTS) as Feature[];

/** Scores one company. Throws a ZodError when the thresholds are not 0 ≤ medium ≤ high ≤ 100. */
export function scoreLead(signals: LeadSignals, thresholds: ScoreThresholds = DEFAULT_SCORE_THRESHOLDS): LeadScoreResult {
  const limits = scoreThresholdsSchema.parse(thresholds);
  const contactsAvailable = signals.contacts.vendor === "available";
  const weights = effectiveWeights(contactsAvailable);
  const breakdown = FEATURES.map((feature) => {
    const { signal, reason } = READERS[feature](signals) as Reading<Feature>;
    const value = (SIGNAL_VALUES[feature] as Record<string, number>)[signal]!;
    const weight = weights[feature];
    return { feature, signal, weight, value, points: weight * value, reason };
  });
  const total = breakdown.reduce((sum, item) => sum + item.points, 0);
  // The bucket is taken from the rounded score, so the number shown and the bucket never disagree.
  const score = round(Math.min(100, Math.max(0, total)), 1);
  return {
    score,
    bucket: bucketFor(score, limits),
    breakdown: breakdown.map((item) => ({ ...item, weight: round(item.weight, 2), points: round(item.points, 2) })),
    contactWeight: round(weights.decision_makers, 2),
    contactsAvailable,
  };
}

export function bucketFor(score: number, thresholds: ScoreThresholds): Bucket {
  if (score >= thresholds.high) return "High";
  if (score >= thresholds.medium) return "Medium";
  return "Low";
}

/** The weights in force; they always sum to 100. */
export function effectiveWeights(contactsAvailable: boolean): Record<Feature, number> {
  if (contactsAvailable) return { ...FEATURE_WEIGHTS };
  const scale = (100 - CONTACT_WEIGHT_UNAVAILABLE) / (100 - FEATURE_WEIGHTS.decision_makers);
  const scaled = Object.fromEntries(FEATURES.map((f) => [f, FEATURE_WEIGHTS[f] * scale])) as Record<Feature, number>;
  return { ...scaled, decision_makers: CONTACT_WEIGHT_UNAVAILABLE };
}

/** Headcount against the ICP range; any known headcount fits an ICP that sets no range. */
export function employeeFit(range: LeadSignals["icp"]["employeeRange"], headcount: number | null): "in_range" | "out_of_range" | "unknown" {
  if (headcount === null || !Number.isFinite(headcount) || headcount < 0) return "unknown";
  const min = range?.min ?? null;
  const max = range?.max ?? null;
  if (min !== null && headcount < min) return "out_of_range";
  if (max !== null && headcount > max) return "out_of_range";
  return "in_range";
}

/** ACRA writes live entities as "Live" or "Live Company". */
export function isLiveStatus(status: string): boolean {
  return /^live\b/i.test(status.trim());
}

export function entityClass(entityType: string | null): Signal<"entity_type"> {
  const t = entityType?.trim().toLowerCase();
  if (!t) return "unknown";
  if (/foreign company/.test(t)) return "foreign_company";
  if (/limited liability partnership|\bllp\b/.test(t)) return "llp";
  // Before the generic "limited": a limited partnership is a partnership.
  if (/sole proprietor|partnership|business/.test(t)) return "sole_or_partnership";
  if (/local company|public company|private limited|pte\.? ltd|\blimited\b/.test(t)) return "local_company";
  return "other";
}

/** Whole years (fractional) from `incorporatedOn` to `asOf`; null when either is not a date. Future dates count as 0. */
export function companyAgeYears(incorporatedOn: string | null, asOf: string): number | null {
  const from = parseDay(incorporatedOn);
  const to = parseDay(asOf);
  if (from === null || to === null) return null;
  return Math.max(0, (to - from) / (365.25 * 86_400_000));
}

function parseDay(value: string | null): number | null {
  const m = value?.trim().match(/^(\d{4})-(\d{2})-(\d{2})/);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? null : t;
}

function describeRange(range: LeadSignals["icp"]["employeeRange"]): string {
  const min = range?.min ?? null;
  const max = range?.max ?? null;
  if (min === null && max === null) return "(any size)";
  if (max === null) return `${min}+`;
  if (min === null) return `up to ${max}`;
  return `${min}–${max}`;
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
