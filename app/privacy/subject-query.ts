import { normalizeLinkedinUrl, normalizeSuppressedEmail } from "~/settings/suppression";

/**
 * Who a data-subject request is about, as an admin types it: an email
 * address, a LinkedIn profile URL or a full name. Browser-safe: the privacy
 * page checks the field with the same rules.
 */
export type SubjectQuery = { kind: "email" | "linkedin" | "name"; value: string };

export type ParsedSubjectQuery = { ok: true; query: SubjectQuery } | { ok: false; reason: string };

const MAX_QUERY = 254;

export function parseSubjectQuery(raw: string): ParsedSubjectQuery {
  const text = raw.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  if (!text) return { ok: false, reason: "Enter an email address, a name or a LinkedIn URL" };
  if (text.length > MAX_QUERY) return { ok: false, reason: `At most ${MAX_QUERY} characters` };
  if (/linkedin\.com\//i.test(text)) {
    const url = normalizeLinkedinUrl(text);
    return url ? { ok: true, query: { kind: "linkedin", value: url } } : { ok: false, reason: "Not a LinkedIn profile URL (linkedin.com/in/…)" };
  }
  if (text.includes("@")) {
    const email = normalizeSuppressedEmail(text);
    return email.ok ? { ok: true, query: { kind: "email", value: email.value } } : { ok: false, reason: email.reason };
  }
  const name = text.replace(/\s+/g, " ");
  if (name.length < 3 || !name.includes(" ")) return { ok: false, reason: "Enter the person's full name (first and last name)" };
  return { ok: true, query: { kind: "name", value: name } };
}

export const ERASED = "[erased]";

/** The text with every occurrence of each identifier (case-insensitive) replaced by "[erased]". */
export function redactText(text: string, identifiers: readonly string[]): string {
  const needles = [...new Set(identifiers.filter((i) => i.trim().length >= 3))].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return text;
  const pattern = new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
  return text.replace(pattern, ERASED);
}

/** A short excerpt around the first identifier found in the text (null when none is): what the page shows of a crawled page. */
export function snippetAround(text: string, identifiers: readonly string[], radius = 80): string | null {
  const lower = text.toLowerCase();
  const hits = identifiers.map((i) => ({ i, at: i.length >= 3 ? lower.indexOf(i.toLowerCase()) : -1 })).filter((h) => h.at >= 0);
  if (hits.length === 0) return null;
  const first = hits.reduce((a, b) => (b.at < a.at ? b : a));
  const start = Math.max(0, first.at - radius);
  const end = Math.min(text.length, first.at + first.i.length + radius);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).replace(/\s+/g, " ").trim()}${end < text.length ? "…" : ""}`;
}
