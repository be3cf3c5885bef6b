import { z } from "zod";
import { IcpRulesSchema, LIVE_STATUSES, type IcpRules } from "./rules";

/**
 * The ICP editor's form ↔ the rules schema. Fields are flat names
 * ("employeesMin", "industries" repeated); lists typed as text accept commas,
 * semicolons or new lines. Turning a form into rules never throws: numbers
 * that are not numbers become field errors, and the schema's own issues are
 * mapped back onto the field that caused them.
 */
export type FormValues = Record<string, string | string[]>;
export type FieldErrors = Record<string, string>;

export const COMMON_STATUSES = [
  ...LIVE_STATUSES,
  "Struck Off",
  "Gazetted to be Struck Off",
  "Cancelled",
  "Ceased Registration",
  "Expired",
  "In Liquidation",
  "Dissolved",
] as const;

export const TEXT_LIST_FIELDS = ["ssicInclude", "ssicExclude", "entityTypes", "nameInclude", "nameExclude", "contactTitles"] as const;
export const MULTI_FIELDS = ["industries", "excludedIndustries", "statuses", "postalDistricts", "regions"] as const;
export const NUMBER_FIELDS = [
  "ageMin",
  "ageMax",
  "employeesMin",
  "employeesMax",
  "dailyCap",
  "nightlyHour",
  "scoreHigh",
  "scoreMedium",
  "candidateFloor",
] as const;

/** The editor's fields by name: lists picked from checkboxes, everything else one text value ("on" or "" for a checkbox). */
export type IcpFormValues = Record<(typeof MULTI_FIELDS)[number], string[]> &
  Record<
    | (typeof TEXT_LIST_FIELDS)[number]
    | (typeof NUMBER_FIELDS)[number]
    | "includeSecondarySsic"
    | "incorporatedFrom"
    | "incorporatedTo"
    | "nightlyEnabled"
    | "freeMail",
    string
  >;

function one(form: FormValues, name: string): string {
  const v = form[name];
  return (Array.isArray(v) ? (v[0] ?? "") : (v ?? "")).trim();
}

function many(form: FormValues, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
}

export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function formToRulesInput(form: FormValues): { input: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const num = (name: string, integer = true): number | undefined => {
    const raw = one(form, name);
    if (!raw) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      errors[name] = integer ? "Enter a whole number." : "Enter a number.";
      return undefined;
    }
    return n;
  };
  const compact = <T extends Record<string, unknown>>(o: T): T | undefined => {
    const entries = Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
    return entries.length ? (Object.fromEntries(entries) as T) : undefined;
  };
  const districts: number[] = [];
  for (const d of many(form, "postalDistricts")) {
    const n = Number(d);
    if (Number.isInteger(n)) districts.push(n);
    else errors.postalDistricts = "Pick districts from the list.";
  }

  const input: Record<string, unknown> = {
    industries: many(form, "industries"),
    excludedIndustries: many(form, "excludedIndustries"),
    ssic: compact({ include: splitList(one(form, "ssicInclude")), exclude: splitList(one(form, "ssicExclude")) }),
    includeSecondarySsic: one(form, "includeSecondarySsic") === "on" ? true : undefined,
    entityTypes: splitList(one(form, "entityTypes")),
    statuses: many(form, "statuses"),
    incorporated: compact({ from: one(form, "incorporatedFrom") || undefined, to: one(form, "incorporatedTo") || undefined }),
    ageYears: compact({ min: num("ageMin", false), max: num("ageMax", false) }),
    postal: compact({ districts, regions: many(form, "regions") }),
    nameKeywords: compact({ include: splitList(one(form, "nameInclude")), exclude: splitList(one(form, "nameExclude")) }),
    employees: compact({ min: num("employeesMin"), max: num("employeesMax") }),
    contactTitles: splitList(one(form, "contactTitles")),
    dailyCap: num("dailyCap"),
    nightly: { enabled: one(form, "nightlyEnabled") === "on", ...(one(form, "nightlyHour") ? { hourSgt: num("nightlyHour") } : {}) },
    freeMail: one(form, "freeMail") || undefined,
    candidateFloor: num("candidateFloor"),
  };
  const high = num("scoreHigh", false);
  const medium = num("scoreMedium", false);
  if (high !== undefined || medium !== undefined) {
    if (high === undefined) errors.scoreHigh ??= "Give both thresholds, or neither.";
    else if (medium === undefined) errors.scoreMedium ??= "Give both thresholds, or neither.";
    else input.scoreThresholds = { high, medium };
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete input[key];
  }
  return { input, errors };
}

/** Which form field a schema issue's path belongs to. */
const FIELD_OF_PATH: Array<[RegExp, string]> = [
  [/^industries\b/, "industries"],
  [/^excludedIndustries\b/, "excludedIndustries"],
  [/^ssic\.include\b/, "ssicInclude"],
  [/^ssic\.exclude\b/, "ssicExclude"],
  [/^entityTypes\b/, "entityTypes"],
  [/^statuses\b/, "statuses"],
  [/^incorporated\.from\b/, "incorporatedFrom"],
  [/^incorporated\b/, "incorporatedTo"],
  [/^ageYears\.min\b/, "ageMin"],
  [/^ageYears\b/, "ageMax"],
  [/^postal\.districts\b/, "postalDistricts"],
  [/^postal\.regions\b/, "regions"],
  [/^nameKeywords\.include\b/, "nameInclude"],
  [/^nameKeywords\.exclude\b/, "nameExclude"],
  [/^employees\.min\b/, "employeesMin"],
  [/^employees\b/, "employeesMax"],
  [/^contactTitles\b/, "contactTitles"],
  [/^dailyCap\b/, "dailyCap"],
  [/^nightly\.hourSgt\b/, "nightlyHour"],
  [/^nightly\b/, "nightlyEnabled"],
  [/^freeMail\b/, "freeMail"],
  [/^scoreThresholds\.medium\b/, "scoreMedium"],
  [/^scoreThresholds\b/, "scoreHigh"],
  [/^candidateFloor\b/, "candidateFloor"],
];

export function fieldOfIssue(path: string): string {
  return FIELD_OF_PATH.find(([re]) => re.test(path))?.[1] ?? "form";
}

/** One message per field (the first), from the schema's issues. */
export function issuesToFieldErrors(issues: ReadonlyArray<{ path: string; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOfIssue(issue.path);
    const item = /\.(\d+)$/.exec(issue.path);
    out[field] ??=
      item && TEXT_LIST_FIELDS.includes(field as (typeof TEXT_LIST_FIELDS)[number]) ? `Item ${Number(item[1]) + 1}: ${issue.message}` : issue.message;
  }
  return out;
}

/**
 * The editor's form as Conform parses it: the posted fields in, valid rules
 * out. A number that is not one stops there; otherwise the rules schema
 * judges, and each refused field gets one message (the first).
 */
export const IcpRulesForm = z.record(z.string(), z.union([z.string(), z.array(z.string())])).transform((form, ctx): IcpRules => {
  const { input, errors } = formToRulesInput(form);
  const parsed = Object.keys(errors).length ? null : IcpRulesSchema.safeParse(input);
  if (parsed?.success) return parsed.data;
  const refused = parsed ? issuesToFieldErrors(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }))) : errors;
  for (const [field, message] of Object.entries(refused)) ctx.addIssue({ code: "custom", message, path: field === "form" ? [] : [field] });
  return z.NEVER;
});

/** The saved rules as the form's starting values. */
export function rulesToFormValues(rules: IcpRules): IcpFormValues {
  const s = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    industries: rules.industries ?? [],
    excludedIndustries: rules.excludedIndustries ?? [],
    ssicInclude: (rules.ssic?.include ?? []).join(", "),
    ssicExclude: (rules.ssic?.exclude ?? []).join(", "),
    includeSecondarySsic: rules.includeSecondarySsic ? "on" : "",
    entityTypes: (rules.entityTypes ?? []).join(", "),
    statuses: rules.statuses?.length ? rules.statuses : [...LIVE_STATUSES],
    incorporatedFrom: rules.incorporated?.from ?? "",
    incorporatedTo: rules.incorporated?.to ?? "",
    ageMin: s(rules.ageYears?.min),
    ageMax: s(rules.ageYears?.max),
    postalDistricts: (rules.postal?.districts ?? []).map(String),
    regions: rules.postal?.regions ?? [],
    nameInclude: (rules.nameKeywords?.include ?? []).join(", "),
    nameExclude: (rules.nameKeywords?.exclude ?? []).join(", "),
    employeesMin: s(rules.employees?.min),
    employeesMax: s(rules.employees?.max),
    contactTitles: (rules.contactTitles ?? []).join(", "),
    dailyCap: s(rules.dailyCap),
    nightlyEnabled: rules.nightly?.enabled === false ? "" : "on",
    nightlyHour: s(rules.nightly?.hourSgt),
    freeMail: rules.freeMail ?? "",
    scoreHigh: s(rules.scoreThresholds?.high),
    scoreMedium: s(rules.scoreThresholds?.medium),
    candidateFloor: s(rules.candidateFloor),
  };
}
