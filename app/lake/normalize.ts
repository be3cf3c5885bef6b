import { normalizeDomain } from "../utils/domain";
import { type AccountDraft, type CanonicalDraft, type ContactDraft } from "./pipeline";

/**
 * The normaliser: one spelling per value, whatever the source, so entity
 * resolution can compare them and the dashboards can group them.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased and trimmed; null when it is not an address at all. */
export function normalizeEmail(raw: string | null): string | null {
  if (!raw) return null;
  const email = raw
    .trim()
    .replace(/^mailto:/i, "")
    .toLowerCase();
  return EMAIL.test(email) ? email : null;
}

/**
 * E.164 (`+6561234567`). Numbers written without a country code are taken as
 * Singapore's (8 digits starting 3, 6, 8 or 9); anything else without one is
 * left out rather than guessed.
 */
export function normalizePhone(raw: string | null): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+") || trimmed.startsWith("00")) {
    const international = trimmed.startsWith("00") ? digits.slice(2) : digits;
    return international.length >= 8 && international.length <= 15 ? `+${international}` : null;
  }
  if (/^[3689]\d{7}$/.test(digits)) return `+65${digits}`;
  if (/^65[3689]\d{7}$/.test(digits)) return `+${digits}`;
  return null;
}

/** A host from a website URL or an email address, normalised; null for free-mail and non-hosts. */
export function domainFrom(website: string | null, email: string | null): string | null {
  if (website) {
    const domain = normalizeDomain(website);
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) return domain;
  }
  const host = email?.split("@")[1];
  if (host && !FREE_MAIL.has(host)) return normalizeDomain(host);
  return null;
}

const FREE_MAIL = new Set(["gmail.com", "yahoo.com", "yahoo.com.sg", "hotmail.com", "outlook.com", "live.com", "icloud.com", "singnet.com.sg"]);

/**
 * A Singapore UEN: businesses (8 digits + letter), local companies (9 digits +
 * letter) and other entities (T/S/R, year, entity type, 4 digits, letter).
 */
const UEN = /^(\d{8}[A-Z]|\d{9}[A-Z]|[TSR]\d{2}[A-Z]{2}\d{4}[A-Z])$/;

export function recognizeUen(raw: string | null): string | null {
  if (!raw) return null;
  const uen = raw.replace(/[\s-]/g, "").toUpperCase();
  return UEN.test(uen) ? uen : null;
}

/** Odoo writes datetimes as UTC "YYYY-MM-DD HH:MM:SS"; everything else is ISO 8601 already. */
export function normalizeInstant(raw: string): string {
  const odoo = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(raw);
  const parsed = new Date(odoo ? `${odoo[1]}T${odoo[2]}Z` : raw);
  return parsed.toISOString();
}

export function normalizeDate(raw: string | null): string | null {
  if (!raw) return null;
  return raw.slice(0, 10);
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort();
}

const text = (raw: string | null) => raw?.trim() || null;

function normalizeAccount(draft: AccountDraft): AccountDraft {
  const email = normalizeEmail(draft.email);
  const uen = recognizeUen(draft.uen) ?? recognizeUen(draft.vat);
  return {
    ...draft,
    name: draft.name.trim(),
    uen,
    vat: text(draft.vat)?.replace(/\s/g, "").toUpperCase() ?? null,
    website: text(draft.website),
    email,
    phone: normalizePhone(draft.phone),
    countryCode: text(draft.countryCode)?.toUpperCase() ?? null,
    tags: normalizeTags(draft.tags),
  };
}

function normalizeContact(draft: ContactDraft): ContactDraft {
  return {
    ...draft,
    name: draft.name.trim(),
    email: normalizeEmail(draft.email),
    phone: normalizePhone(draft.phone),
    jobTitle: text(draft.jobTitle),
    companyName: text(draft.companyName),
  };
}

export function normalizeDraft(draft: CanonicalDraft): CanonicalDraft {
  switch (draft.kind) {
    case "account":
      return normalizeAccount(draft);
    case "contact":
      return normalizeContact(draft);
    case "user":
      return { ...draft, name: draft.name.trim(), email: normalizeEmail(draft.email), login: text(draft.login) };
    case "team":
      return { ...draft, name: draft.name.trim() };
    case "opportunity":
      return {
        ...draft,
        name: draft.name.trim(),
        currency: text(draft.currency)?.toUpperCase() ?? null,
        createdAt: normalizeInstant(draft.createdAt),
        stageEnteredAt: draft.stageEnteredAt ? normalizeInstant(draft.stageEnteredAt) : null,
        deadline: normalizeDate(draft.deadline),
        closedAt: draft.closedAt ? normalizeInstant(draft.closedAt) : null,
        tags: normalizeTags(draft.tags),
      };
    case "activity":
      return { ...draft, activityType: draft.activityType.trim(), summary: text(draft.summary), at: normalizeInstant(draft.at) };
  }
}
