import { createHash } from "node:crypto";
import { emailDomain, isBusinessEmail, isRoleAddress, normalizeEmail } from "~/enrichment/email-policy.server";
import { contactKey, type DesiredCompany } from "./desired-partners.server";

/**
 * How the platform's lead rows become Odoo partner values: the address
 * layout, the note, which emails may leave the platform and the hash of what
 * was sent. Pure functions; `buildPushSet` reads the rows they map.
 */

const ABOUT_MAX_CHARS = 500;

export type RegistryAddressParts = {
  block: string | null;
  street_name: string | null;
  level_no: string | null;
  unit_no: string | null;
  building_name: string | null;
  postal_code: string | null;
};

export type WithheldEmailReason = "unverified" | "suppressed" | "invalid";

export type Suppressions = { uens: Set<string>; domains: string[]; emails: Set<string>; profiles: Set<string> };

/** The tenant's suppression entries, normalised for lookups (UENs upper case, domains bare, emails canonical). */
export function suppressionLists(entries: Array<{ kind: string; value: string }>): Suppressions {
  const out: Suppressions = { uens: new Set(), domains: [], emails: new Set(), profiles: new Set() };
  for (const { kind, value } of entries) {
    if (kind === "uen") out.uens.add(value.trim().toUpperCase());
    else if (kind === "domain") out.domains.push(normalizeDomain(value.replace(/^@/, "")));
    else if (kind === "linkedin") out.profiles.add(value);
    else if (kind === "email") {
      const email = normalizeEmail(value);
      if (email) out.emails.add(email);
    }
  }
  return out;
}

/** A suppressed domain covers its subdomains too. */
export function isSuppressedDomain(domain: string, suppressed: string[]): boolean {
  return suppressed.some((d) => domain === d || domain.endsWith(`.${d}`));
}

export type EmailVerdict = { kind: "push"; email: string; role: boolean } | { kind: WithheldEmailReason };

/**
 * Whether a found address may go to Odoo: when ZeroBounce said `verified`,
 * or said `unknown` (its API failed or the server would not say) for a
 * business address on the company's own domain. Never a suppressed address,
 * and never `pending`, `catch_all`, `invalid` or `do_not_mail`.
 */
export function emailVerdict(
  row: { email: string; verificationStatus: string },
  companyDomain: string | undefined,
  suppressed: Pick<Suppressions, "domains" | "emails">,
): EmailVerdict {
  const email = normalizeEmail(row.email);
  if (!email) return { kind: "invalid" };
  const domain = emailDomain(email);
  if (suppressed.emails.has(email) || isSuppressedDomain(domain, suppressed.domains)) return { kind: "suppressed" };
  const onCompanyDomain = companyDomain !== undefined && (domain === companyDomain || domain.endsWith(`.${companyDomain}`));
  const pushable = row.verificationStatus === "verified" || (row.verificationStatus === "unknown" && isBusinessEmail(email) && onCompanyDomain);
  if (!pushable) return { kind: "unverified" };
  return { kind: "push", email, role: isRoleAddress(email) };
}

/** The company's own address among pushable ones: verified first, then the shared mailbox (info@…) over a person's address. */
export function companyEmailRank(email: { status: string; role: boolean }): number {
  return (email.status === "verified" ? 0 : 2) + (email.role ? 0 : 1);
}

/** "https://WWW.Acme.com.sg/" → "acme.com.sg". */
export function normalizeDomain(raw: string): string {
  const trimmed = raw.trim().toLowerCase();
  const host = /^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? new URL(trimmed).hostname : trimmed.split(/[/?#]/)[0]!;
  return host.replace(/^www\./, "").replace(/\.$/, "");
}

/** Vendors store LinkedIn URLs with and without a scheme; Odoo's website field wants one. */
export function withHttps(url: string): string {
  const trimmed = url.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** ACRA's address parts in Singapore's usual layout: "10 ANSON ROAD" / "#12-01 INTERNATIONAL PLAZA". */
export function registryAddress(entity: RegistryAddressParts) {
  const clean = (v: string | null) => v?.trim() || undefined;
  const street = [clean(entity.block), clean(entity.street_name)].filter(Boolean).join(" ");
  const level = clean(entity.level_no);
  const unit = clean(entity.unit_no);
  const unitPart = level && unit ? `#${level}-${unit}` : level ? `#${level}` : unit ? `#${unit}` : undefined;
  const street2 = [unitPart, clean(entity.building_name)].filter(Boolean).join(" ");
  const zip = clean(entity.postal_code);
  if (!street && !zip) return {};
  return { street: street || null, street2: street2 || null, zip: zip ?? null, city: "Singapore", countryCode: "SG" };
}

/** A short plain-text note: the about text (cut at a word near 500 characters) and the industry. */
export function aboutComment(about: string | null | undefined, industry: string | null | undefined): string | null {
  const lines: string[] = [];
  const text = about?.replace(/\s+/g, " ").trim();
  if (text) {
    if (text.length <= ABOUT_MAX_CHARS) lines.push(text);
    else {
      const cut = text.slice(0, ABOUT_MAX_CHARS);
      const space = cut.lastIndexOf(" ");
      lines.push(`${(space > ABOUT_MAX_CHARS * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, "")}…`);
    }
  }
  const sector = industry?.replace(/\s+/g, " ").trim();
  if (sector) lines.push(`Industry: ${sector}`);
  return lines.length ? lines.join("\n") : null;
}

/**
 * What was sent for a company, to skip it next time when nothing changed.
 * The target is part of it, so a tenant moved to another Odoo gets a full push.
 */
export function pushHash(company: DesiredCompany, target: { database: string; companyId: number | null }): string {
  const contacts = [...company.contacts].sort((a, b) => contactKey(a).localeCompare(contactKey(b)));
  const canonical = { v: 1, target, company: sortKeys({ ...company, contacts }) };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
