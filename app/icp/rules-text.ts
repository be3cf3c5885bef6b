import { industryByKey } from "./industries";
import { effectiveStatuses, type IcpRuleChange, type IcpRules } from "./rules";

/**
 * ICP rules and their changes in plain words, for the chat's cards and the
 * editor's history ("Employees (max): 200 → 500"). Browser-safe.
 */
const LABELS: Record<string, string> = {
  industries: "Industries",
  excludedIndustries: "Excluded industries",
  "ssic.include": "SSIC codes",
  "ssic.exclude": "Excluded SSIC codes",
  includeSecondarySsic: "Match secondary SSIC",
  entityTypes: "Entity types",
  statuses: "Statuses",
  "incorporated.from": "Incorporated from",
  "incorporated.to": "Incorporated until",
  "ageYears.min": "Age (min years)",
  "ageYears.max": "Age (max years)",
  "postal.districts": "Postal districts",
  "postal.regions": "Regions",
  "nameKeywords.include": "Name keywords",
  "nameKeywords.exclude": "Excluded name keywords",
  "employees.min": "Employees (min)",
  "employees.max": "Employees (max)",
  contactTitles: "Contact titles",
  dailyCap: "Daily cap",
  "nightly.enabled": "Nightly run",
  "nightly.hourSgt": "Nightly hour (SGT)",
  freeMail: "Free-mail policy",
  "scoreThresholds.high": "High from score",
  "scoreThresholds.medium": "Medium from score",
  candidateFloor: "Candidate floor",
};

export function ruleLabel(path: string): string {
  return LABELS[path] ?? path;
}

function industryLabel(value: unknown): string {
  return typeof value === "string" ? (industryByKey(value)?.label ?? value) : String(value);
}

/** One value of a rule as text; industries by their labels, booleans as on/off. */
export function ruleValueText(path: string, value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (Array.isArray(value)) {
    if (!value.length) return "none";
    return value.map((v) => (path === "industries" || path === "excludedIndustries" ? industryLabel(v) : String(v))).join(", ");
  }
  if (typeof value === "boolean") return value ? "on" : "off";
  if (path === "nightly.hourSgt" && typeof value === "number") return `${String(value).padStart(2, "0")}:00`;
  if (path === "freeMail")
    return { exclude: "exclude free-mail addresses", allow_low_confidence: "allow, low confidence", allow: "allow" }[String(value)] ?? String(value);
  return String(value);
}

export function changeText(change: IcpRuleChange): string {
  const label = ruleLabel(change.path);
  if (change.kind === "added") return `${label}: ${ruleValueText(change.path, change.after)} (new)`;
  if (change.kind === "removed") return `${label}: removed (was ${ruleValueText(change.path, change.before)})`;
  if (change.addedItems || change.removedItems) {
    const parts = [
      ...(change.addedItems ?? []).map((v) => `+ ${ruleValueText(change.path, [v])}`),
      ...(change.removedItems ?? []).map((v) => `− ${ruleValueText(change.path, [v])}`),
    ];
    if (parts.length) return `${label}: ${parts.join(", ")}`;
  }
  return `${label}: ${ruleValueText(change.path, change.before)} → ${ruleValueText(change.path, change.after)}`;
}

/** The rules as label/value lines, in a reading order (what is targeted, then how runs behave). */
export function rulesSummary(rules: IcpRules): Array<{ label: string; value: string }> {
  const lines: Array<{ label: string; value: string }> = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value) lines.push({ label, value });
  };
  add("Industries", rules.industries?.length ? ruleValueText("industries", rules.industries) : "any");
  add("Excluding", rules.excludedIndustries?.length ? ruleValueText("excludedIndustries", rules.excludedIndustries) : null);
  add("SSIC codes", rules.ssic?.include?.join(", "));
  add("Excluded SSIC codes", rules.ssic?.exclude?.join(", "));
  const e = rules.employees;
  add(
    "Employees",
    e
      ? e.min !== undefined && e.max !== undefined
        ? `${e.min}–${e.max}`
        : e.min !== undefined
          ? `at least ${e.min}`
          : e.max !== undefined
            ? `at most ${e.max}`
            : null
      : "any",
  );
  add("Statuses", effectiveStatuses(rules).join(", "));
  add("Incorporated", rules.incorporated ? `${rules.incorporated.from ?? "…"} to ${rules.incorporated.to ?? "…"}` : null);
  add("Age (years)", rules.ageYears ? `${rules.ageYears.min ?? 0}–${rules.ageYears.max ?? "any"}` : null);
  add("Postal districts", rules.postal?.districts?.join(", "));
  add("Regions", rules.postal?.regions?.join(", "));
  add("Name keywords", rules.nameKeywords?.include?.join(", "));
  add("Excluded name keywords", rules.nameKeywords?.exclude?.join(", "));
  add("Contact titles", rules.contactTitles?.join(", "));
  add("Daily cap", rules.dailyCap !== undefined ? String(rules.dailyCap) : null);
  add(
    "Nightly run",
    rules.nightly?.enabled === false
      ? "off"
      : `on${rules.nightly?.hourSgt !== undefined ? ` at ${String(rules.nightly.hourSgt).padStart(2, "0")}:00 SGT` : ""}`,
  );
  add("Free-mail", rules.freeMail ? ruleValueText("freeMail", rules.freeMail) : null);
  add("Buckets", rules.scoreThresholds ? `High ≥ ${rules.scoreThresholds.high}, Medium ≥ ${rules.scoreThresholds.medium}` : null);
  return lines;
}
