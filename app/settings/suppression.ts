import { normalizeDomain } from "~/utils/domain";

/**
 * Suppression list values: emails, domains and UENs a tenant
 * never wants contacted or pushed. Values are stored normalised so the
 * pipeline compares them as stored: emails lower-cased, domains bare (no
 * scheme, path or www.), UENs upper-cased in one of ACRA's formats.
 * Browser-safe: the settings page checks input with the same rules.
 */
export const SUPPRESSION_KINDS = ["email", "domain", "uen", "linkedin"] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

export const SUPPRESSION_KIND_LABELS: Record<SuppressionKind, string> = { email: "Email", domain: "Domain", uen: "UEN", linkedin: "LinkedIn profile" };

export type NormalizedSuppression = { ok: true; kind: SuppressionKind; value: string } | { ok: false; reason: string };

/** ACRA's UEN formats: businesses (8 digits + letter), local companies (year + 5 digits + letter), others (T/S/R + year + type + 4 digits + letter). */
const UEN = /^(?:\d{8}[A-Z]|\d{9}[A-Z]|[TSR]\d{2}[A-Z]{2}\d{4}[A-Z])$/;
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAX_VALUE = 254;

export function normalizeSuppressedDomain(raw: string): NormalizedSuppression {
  if (!raw.trim()) return { ok: false, reason: "empty value" };
  const value = normalizeDomain(raw);
  if (value.includes("@")) return { ok: false, reason: "looks like an email address, not a domain" };
  const labels = value.split(".");
  if (value.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^[a-z]{2,63}$|^xn--/.test(labels.at(-1)!)) {
    return { ok: false, reason: `not a domain: ${JSON.stringify(raw.trim())}` };
  }
  return { ok: true, kind: "domain", value };
}

export function normalizeSuppressedEmail(raw: string): NormalizedSuppression {
  const value = raw
    .trim()
    .replace(/^mailto:/i, "")
    .toLowerCase();
  if (!value) return { ok: false, reason: "empty value" };
  const at = value.lastIndexOf("@");
  if (at < 1 || at === value.length - 1) return { ok: false, reason: `not an email address: ${JSON.stringify(raw.trim())}` };
  const local = value.slice(0, at);
  const domain = normalizeSuppressedDomain(value.slice(at + 1));
  if (
    value.length > MAX_VALUE ||
    local.length > 64 ||
    !EMAIL_LOCAL.test(local) ||
    local.startsWith(".") ||
    local.endsWith(".") ||
    local.includes("..") ||
    !domain.ok
  ) {
    return { ok: false, reason: `not an email address: ${JSON.stringify(raw.trim())}` };
  }
  // The domain part keeps its www. label: an address at www.example.com is a different address.
  return { ok: true, kind: "email", value };
}

export function normalizeSuppressedUen(raw: string): NormalizedSuppression {
  const value = raw.trim().toUpperCase();
  if (!value) return { ok: false, reason: "empty value" };
  if (!UEN.test(value)) return { ok: false, reason: `not a UEN: ${JSON.stringify(raw.trim())} (e.g. 201912345K, 53123456A or T19LL1234A)` };
  return { ok: true, kind: "uen", value };
}

/** A LinkedIn profile URL as one spelling: https, www.linkedin.com, the decoded profile path in lower case, no query or trailing slash. */
export function normalizeLinkedinUrl(raw: string): string | null {
  const match = /^(?:https?:\/\/)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com\/(in|pub)\/([^/?#\s]+)/i.exec(raw.trim());
  if (!match) return null;
  let slug = match[2]!;
  try {
    slug = decodeURIComponent(slug);
  } catch {
    // A stray % is part of the slug as typed.
  }
  return `https://www.linkedin.com/${match[1]!.toLowerCase()}/${slug.toLowerCase()}`;
}

/** A person's LinkedIn profile: the contact vendors find people by it, so a suppressed profile is never collected. */
export function normalizeSuppressedLinkedin(raw: string): NormalizedSuppression {
  if (!raw.trim()) return { ok: false, reason: "empty value" };
  const value = normalizeLinkedinUrl(raw);
  if (!value) return { ok: false, reason: `not a LinkedIn profile URL: ${JSON.stringify(raw.trim())} (e.g. https://www.linkedin.com/in/jane-tan)` };
  return { ok: true, kind: "linkedin", value };
}

/** Which kind a bare value is: a LinkedIn URL, an @ means email, ACRA's shape means UEN, otherwise a domain. */
export function detectKind(raw: string): SuppressionKind {
  const value = raw.trim();
  if (/linkedin\.com\//i.test(value)) return "linkedin";
  if (value.includes("@") && !/^@[^@]+$/.test(value)) return "email";
  if (UEN.test(value.toUpperCase())) return "uen";
  return "domain";
}

export function normalizeSuppression(kind: SuppressionKind | "auto", raw: string): NormalizedSuppression {
  const actual = kind === "auto" ? detectKind(raw) : kind;
  if (actual === "email") return normalizeSuppressedEmail(raw);
  if (actual === "domain") return normalizeSuppressedDomain(raw);
  if (actual === "linkedin") return normalizeSuppressedLinkedin(raw);
  return normalizeSuppressedUen(raw);
}

export function isSuppressionKind(value: unknown): value is SuppressionKind {
  return typeof value === "string" && (SUPPRESSION_KINDS as readonly string[]).includes(value);
}

export type SuppressionRow = { kind: SuppressionKind; value: string; reason: string | null };
export type RowError = { line: number; value: string; reason: string };
export type ParsedRows = { rows: SuppressionRow[]; errors: RowError[] };

const MAX_REASON = 200;

export function cleanReason(reason: string | null | undefined): string | null {
  // Control characters (NUL among them, which Postgres text refuses) count as spaces.
  const text =
    reason
      ?.replace(/[\u0000-\u001f\u007f]/g, " ")
      .trim()
      .replace(/\s+/g, " ") ?? "";
  return text ? text.slice(0, MAX_REASON) : null;
}

/**
 * A pasted list, one value per line; blank lines and lines starting with #
 * are skipped. Each bad line becomes an error with its line number; the good
 * ones are kept (duplicates once).
 */
export function parsePastedList(text: string, kind: SuppressionKind | "auto", reason: string | null = null): ParsedRows {
  const rows: SuppressionRow[] = [];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const value = line.trim();
    if (!value || value.startsWith("#")) return;
    const result = normalizeSuppression(kind, value);
    if (!result.ok) {
      errors.push({ line: index + 1, value: value.slice(0, 100), reason: result.reason });
      return;
    }
    const key = `${result.kind}:${result.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push({ kind: result.kind, value: result.value, reason: cleanReason(reason) });
  });
  return { rows, errors };
}

export const MAX_IMPORT_ROWS = 5000;
