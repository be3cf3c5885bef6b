import { z } from "zod";
import { isStrictIsoDate } from "../registry/iso-date";
import { findIndustry, closeIndustryMatches, unknownIndustryMessage } from "./industries";
import { REGIONS } from "./postal";

/**
 * A tenant's ideal customer profile. Every key is optional: an empty object
 * means "every live company". Industries are stored as vocabulary keys
 * ("F&B" is saved as "food_and_beverage") so rules compare and diff cleanly.
 */
export const LIVE_STATUSES = ["Live Company", "Live"] as const;

export const FREE_MAIL_POLICIES = ["exclude", "allow_low_confidence", "allow"] as const;

const industryWord = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .transform((word, ctx) => {
    const industry = findIndustry(word);
    if (industry) return industry.key;
    ctx.addIssue({ code: "custom", message: unknownIndustryMessage([{ word, suggestions: closeIndustryMatches(word) }]) });
    return z.NEVER;
  });

const ssicPrefix = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, "an SSIC code or prefix is 1 to 5 digits");
const isoDate = z.string().refine(isStrictIsoDate, "a date as YYYY-MM-DD");
// Saved as jsonb, which refuses \u0000. Only NUL: stored rules are parsed with this schema too.
const phrase = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !text.includes("\u0000"), "no NUL characters");
const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .transform((items) => [...new Set(items as Array<z.output<T>>)]);

const minMax = <T extends z.ZodNumber>(n: T) =>
  z
    .object({ min: n.optional(), max: n.optional() })
    .strict()
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: "min must not exceed max", path: ["max"] });

export const IcpRulesSchema = z
  .object({
    industries: uniqueList(industryWord, 30).optional(),
    excludedIndustries: uniqueList(industryWord, 30).optional(),
    ssic: z
      .object({ include: uniqueList(ssicPrefix, 200).optional(), exclude: uniqueList(ssicPrefix, 200).optional() })
      .strict()
      .optional(),
    /** Match industries on the secondary SSIC code too (off: primary only). */
    includeSecondarySsic: z.boolean().optional(),
    entityTypes: uniqueList(phrase(100), 20).optional(),
    /** Registry statuses to keep; absent means live only. */
    statuses: uniqueList(phrase(100), 20).optional(),
    incorporated: z
      .object({ from: isoDate.optional(), to: isoDate.optional() })
      .strict()
      .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "from must not be after to", path: ["to"] })
      .optional(),
    ageYears: minMax(z.number().min(0).max(200)).optional(),
    postal: z
      .object({ districts: uniqueList(z.number().int().min(1).max(28), 28).optional(), regions: uniqueList(z.enum(REGIONS), 5).optional() })
      .strict()
      .optional(),
    nameKeywords: z
      .object({ include: uniqueList(phrase(60), 50).optional(), exclude: uniqueList(phrase(60), 50).optional() })
      .strict()
      .optional(),
    /** Headcount comes from enrichment, not the registry: applied after it. */
    employees: minMax(z.number().int().min(0).max(10_000_000)).optional(),
    contactTitles: uniqueList(phrase(100), 30).optional(),
    dailyCap: z.number().int().min(1).max(5000).optional(),
    nightly: z
      .object({ enabled: z.boolean().optional(), hourSgt: z.number().int().min(0).max(23).optional() })
      .strict()
      .optional(),
    freeMail: z.enum(FREE_MAIL_POLICIES).optional(),
    /** Score buckets on a 0–100 scale: ≥ high is High, ≥ medium is Medium. */
    scoreThresholds: z
      .object({ high: z.number().min(0).max(100), medium: z.number().min(0).max(100) })
      .strict()
      .refine((t) => t.high > t.medium, { message: "high must be above medium", path: ["high"] })
      .optional(),
    /** Fewer candidates than this raises an alert (default from configuration). */
    candidateFloor: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

export type IcpRules = z.output<typeof IcpRulesSchema>;
export type IcpRulesInput = z.input<typeof IcpRulesSchema>;

export class InvalidIcpRulesError extends Error {
  constructor(public readonly issues: Array<{ path: string; message: string }>) {
    super(`Invalid ICP rules: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`);
    this.name = "InvalidIcpRulesError";
  }
}

/** Validates and normalizes rules, or throws with one message per problem (for inline form errors). */
export function parseIcpRules(input: unknown): IcpRules {
  const parsed = IcpRulesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidIcpRulesError(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
}

/** What a new tenant starts with. */
export const DEFAULT_ICP_RULES: IcpRules = Object.freeze({
  industries: ["software"],
  statuses: [...LIVE_STATUSES],
  employees: { min: 10, max: 200 },
  contactTitles: ["Founder", "CEO", "Managing Director", "CTO", "Head of Sales", "Head of Operations"],
  dailyCap: 100,
  nightly: { enabled: true, hourSgt: 2 },
  freeMail: "exclude",
  // Every candidate has already passed the ICP filter, so about 35 of the 100
  // points (ICP fit, registry) are near-certain: High asks for strong evidence
  // on top — a readable site, decision-makers, a verified address.
  scoreThresholds: { high: 85, medium: 65 },
}) as IcpRules;

export function defaultIcpRules(): IcpRules {
  return structuredClone(DEFAULT_ICP_RULES);
}

export function effectiveStatuses(rules: IcpRules): string[] {
  return rules.statuses?.length ? rules.statuses : [...LIVE_STATUSES];
}

export type IcpRuleChange = {
  /** Dotted path, e.g. "employees.max" or "industries". */
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
  /** For lists: the items that appeared and disappeared. */
  addedItems?: unknown[];
  removedItems?: unknown[];
};

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
}

/** The differences between two versions of the rules, by path, in path order. */
export function diffIcpRules(before: IcpRules | null | undefined, after: IcpRules): IcpRuleChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before ?? {}, "", a);
  flatten(after, "", b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: IcpRuleChange[] = [];
  for (const path of paths) {
    const had = a.has(path);
    const has = b.has(path);
    const x = a.get(path);
    const y = b.get(path);
    if (had && !has) changes.push({ path, kind: "removed", before: x });
    else if (!had && has) changes.push({ path, kind: "added", after: y });
    else if (JSON.stringify(x) !== JSON.stringify(y)) {
      const change: IcpRuleChange = { path, kind: "changed", before: x, after: y };
      if (Array.isArray(x) && Array.isArray(y)) {
        const xs = x.map((v) => JSON.stringify(v));
        const ys = y.map((v) => JSON.stringify(v));
        change.addedItems = y.filter((_, i) => !xs.includes(ys[i]!));
        change.removedItems = x.filter((_, i) => !ys.includes(xs[i]!));
      }
      changes.push(change);
    }
  }
  return changes;
}

export function sameIcpRules(a: IcpRules, b: IcpRules): boolean {
  return diffIcpRules(a, b).length === 0;
}
