import { z } from "zod";

/**
 * The lead companies and contacts the platform wants in Odoo as res.partner
 * records, and how one is told from another: a company by its UEN, a contact
 * within its company by lower-cased email, else by LinkedIn profile URL.
 */

const optionalText = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .nullish();

export const desiredContactSchema = z
  .object({
    name: z.string().trim().min(1),
    email: z.string().trim().email().nullish(),
    linkedinUrl: z.string().trim().url().nullish(),
    phone: optionalText,
    mobile: optionalText,
    jobTitle: optionalText,
  })
  .refine((c) => c.email || c.linkedinUrl, "a contact needs an email or a LinkedIn URL");

export const desiredCompanySchema = z.object({
  uen: z.string().trim().min(1),
  name: z.string().trim().min(1),
  website: optionalText,
  email: z.string().trim().email().nullish(),
  phone: optionalText,
  street: optionalText,
  street2: optionalText,
  zip: optionalText,
  city: optionalText,
  /** Plain text for the partner's Notes; sent as one escaped paragraph (see `commentHtml`). */
  comment: optionalText,
  countryCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((v) => v.toUpperCase())
    .nullish(),
  contacts: z.array(desiredContactSchema).default([]),
});

export type DesiredContact = z.output<typeof desiredContactSchema>;
export type DesiredCompany = z.output<typeof desiredCompanySchema>;
export type DesiredCompanyInput = z.input<typeof desiredCompanySchema>;

/** Canonical LinkedIn profile URL: https, www host, no query, fragment or trailing slash, lower-case path. */
export function normalizeLinkedInUrl(raw: string): string {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
  const host = url.hostname.toLowerCase();
  const linkedin = host === "linkedin.com" || host.endsWith(".linkedin.com");
  const path = url.pathname.replace(/\/+$/, "");
  return linkedin ? `https://www.linkedin.com${path.toLowerCase()}` : `https://${host}${path}`;
}

/** The contact's key within its company: lower-cased email, else its LinkedIn URL. */
export function contactKey(contact: Pick<DesiredContact, "email" | "linkedinUrl">): string {
  if (contact.email) return contact.email.trim().toLowerCase();
  if (contact.linkedinUrl) return normalizeLinkedInUrl(contact.linkedinUrl);
  throw new Error("a contact needs an email or a LinkedIn URL");
}

/**
 * Duplicate UENs in the input are merged (later non-empty fields win), and so
 * are contacts of one company that share an email or a LinkedIn URL: the same
 * person found by two sources must not become two partners.
 */
export function mergeDesired(companies: DesiredCompany[]): DesiredCompany[] {
  const byUen = new Map<string, DesiredCompany>();
  for (const company of companies) {
    const previous = byUen.get(company.uen);
    const merged: DesiredCompany = previous ? overlay(previous, company) : { ...company };
    merged.contacts = [...(previous?.contacts ?? []), ...company.contacts];
    byUen.set(company.uen, merged);
  }
  return [...byUen.values()].map((c) => ({ ...c, contacts: mergeContacts(c.contacts) }));
}

function mergeContacts(contacts: DesiredContact[]): DesiredContact[] {
  const out: DesiredContact[] = [];
  const email = (c: DesiredContact) => c.email?.trim().toLowerCase();
  const linkedin = (c: DesiredContact) => (c.linkedinUrl ? normalizeLinkedInUrl(c.linkedinUrl) : undefined);
  for (const contact of contacts) {
    const index = out.findIndex((o) => (email(contact) && email(o) === email(contact)) || (linkedin(contact) && linkedin(o) === linkedin(contact)));
    if (index < 0) out.push({ ...contact });
    else out[index] = overlay(out[index]!, contact);
  }
  return out;
}

function overlay<T extends object>(base: T, next: T): T {
  const merged = { ...base };
  for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== "") (merged as Record<string, unknown>)[k] = v;
  return merged;
}
