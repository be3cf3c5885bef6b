import { normalizeLinkedinUrl } from "~/settings/suppression";

/**
 * The people a workspace never wants collected again (an erased person
 * among them): by address and by LinkedIn profile, as the suppression list
 * stores them (lower-case address, one spelling of the profile URL).
 */
export type SuppressedPeople = { emails: ReadonlySet<string>; linkedinUrls: ReadonlySet<string> };

/** The contacts found, without those whose profile or address is suppressed; how many went. */
export function withoutSuppressedPeople<C extends { linkedinUrl: string; email: string | null }>(
  found: readonly C[],
  suppressed: SuppressedPeople,
): { kept: C[]; dropped: number } {
  const kept = found.filter(
    (c) => !suppressed.linkedinUrls.has(normalizeLinkedinUrl(c.linkedinUrl) ?? "") && !(c.email && suppressed.emails.has(c.email.trim().toLowerCase())),
  );
  return { kept, dropped: found.length - kept.length };
}
