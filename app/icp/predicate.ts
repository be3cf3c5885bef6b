import { isoDay } from "~/utils/date-format";
import { containsPattern } from "~/utils/like-pattern";
import { ssicPrefixesFor } from "./industries";
import { postalSectorsFor } from "./postal";
import { effectiveStatuses, LIVE_STATUSES, type IcpRules } from "./rules";

/**
 * ICP rules → a parameterised SQL condition over `staging_acra_companies`.
 * Values only ever travel as parameters ($n with explicit casts); the text is
 * assembled from fixed fragments, so no rule value can change the statement.
 */
export type SqlFragment = { text: string; params: unknown[] };

export type PredicateMode = "rules" | "industry_fallback";

export type PredicateOptions = {
  /** "Today", for ages in years. */
  asOf: Date;
  /** Alias of the registry table in the surrounding query. */
  alias?: string;
  /** Number of parameters already used before this fragment. */
  paramOffset?: number;
  /** The full rules, or only their industry part (with live statuses) for the fallback. */
  mode?: PredicateMode;
};

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly offset: number) {}
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}::${cast}`;
  }
}

function yearsBefore(asOf: Date, years: number): string {
  const d = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()));
  d.setUTCMonth(d.getUTCMonth() - Math.round(years * 12));
  return isoDay(d);
}

export function industryPrefixes(rules: IcpRules): string[] {
  return ssicPrefixesFor(rules.industries ?? [])
    .concat(rules.ssic?.include ?? [])
    .filter((p, i, all) => all.indexOf(p) === i)
    .sort();
}

export function excludedPrefixes(rules: IcpRules): string[] {
  return ssicPrefixesFor(rules.excludedIndustries ?? [])
    .concat(rules.ssic?.exclude ?? [])
    .filter((p, i, all) => all.indexOf(p) === i)
    .sort();
}

/** Whether the fallback would differ from the rules at all (it keeps only industries and live statuses). */
export function hasIndustryScope(rules: IcpRules): boolean {
  return industryPrefixes(rules).length > 0 || excludedPrefixes(rules).length > 0;
}

export function compileIcpPredicate(rules: IcpRules, options: PredicateOptions): SqlFragment {
  const a = options.alias ?? "s";
  const p = new Params(options.paramOffset ?? 0);
  const fallback = options.mode === "industry_fallback";
  const conditions: string[] = [];

  const statuses = (fallback ? [...LIVE_STATUSES] : effectiveStatuses(rules)).map((s) => s.toLowerCase());
  conditions.push(`lower(${a}.entity_status_description) = ANY(${p.add(statuses, "text[]")})`);

  const include = industryPrefixes(rules).map((x) => `${x}%`);
  if (include.length) {
    const patterns = p.add(include, "text[]");
    conditions.push(
      rules.includeSecondarySsic
        ? `(${a}.primary_ssic_code LIKE ANY(${patterns}) OR ${a}.secondary_ssic_code LIKE ANY(${patterns}))`
        : `${a}.primary_ssic_code LIKE ANY(${patterns})`,
    );
  }
  const exclude = excludedPrefixes(rules).map((x) => `${x}%`);
  if (exclude.length) conditions.push(`NOT (coalesce(${a}.primary_ssic_code, '') LIKE ANY(${p.add(exclude, "text[]")}))`);

  if (!fallback) {
    if (rules.entityTypes?.length) {
      conditions.push(
        `lower(${a}.entity_type_description) = ANY(${p.add(
          rules.entityTypes.map((t) => t.toLowerCase()),
          "text[]",
        )})`,
      );
    }
    const date = `${a}.registration_incorporation_date`;
    if (rules.incorporated?.from) conditions.push(`${date} >= ${p.add(rules.incorporated.from, "date")}`);
    if (rules.incorporated?.to) conditions.push(`${date} <= ${p.add(rules.incorporated.to, "date")}`);
    if (rules.ageYears?.min !== undefined) conditions.push(`${date} <= ${p.add(yearsBefore(options.asOf, rules.ageYears.min), "date")}`);
    if (rules.ageYears?.max !== undefined) conditions.push(`${date} >= ${p.add(yearsBefore(options.asOf, rules.ageYears.max), "date")}`);
    if (rules.postal?.districts?.length || rules.postal?.regions?.length) {
      const sectors = postalSectorsFor(rules.postal.districts, rules.postal.regions);
      conditions.push(`left(${a}.postal_code, 2) = ANY(${p.add(sectors, "text[]")})`);
    }
    if (rules.nameKeywords?.include?.length) {
      conditions.push(`${a}.entity_name ILIKE ANY(${p.add(rules.nameKeywords.include.map(containsPattern), "text[]")})`);
    }
    if (rules.nameKeywords?.exclude?.length) {
      conditions.push(`NOT (${a}.entity_name ILIKE ANY(${p.add(rules.nameKeywords.exclude.map(containsPattern), "text[]")}))`);
    }
  }
  return { text: conditions.join("\n  AND "), params: p.values };
}

/** Columns a preview shows. */
export const PREVIEW_COLUMNS = [
  "uen",
  "entity_name",
  "entity_type_description",
  "entity_status_description",
  "registration_incorporation_date",
  "primary_ssic_code",
  "primary_ssic_description",
  "postal_code",
] as const;

export function compileCountQuery(rules: IcpRules, options: Omit<PredicateOptions, "paramOffset" | "alias">): SqlFragment {
  const where = compileIcpPredicate(rules, { ...options, alias: "s" });
  return { text: `SELECT count(*)::int AS count FROM staging_acra_companies s WHERE ${where.text}`, params: where.params };
}

/** A sample of matches, newest companies first (what a person checking their ICP wants to recognise). */
export function compileSampleQuery(rules: IcpRules, options: Omit<PredicateOptions, "paramOffset" | "alias"> & { limit: number }): SqlFragment {
  const where = compileIcpPredicate(rules, { ...options, alias: "s" });
  const limit = `$${where.params.length + 1}::int`;
  return {
    text: `SELECT ${PREVIEW_COLUMNS.map((c) => `s.${c}`).join(", ")} FROM staging_acra_companies s WHERE ${where.text}
ORDER BY s.registration_incorporation_date DESC NULLS LAST, s.uen LIMIT ${limit}`,
    params: [...where.params, options.limit],
  };
}
