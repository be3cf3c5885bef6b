import { applyEmailPolicy, type DroppedEmail, type EmailPolicy, type KeptEmail } from "~/enrichment/email-policy.server";
import { type IcpRules } from "~/icp/rules";
import { type ContactFound } from "./contact-discovery.server";
import { type CompanyEnrichment } from "./enrichment-step.server";

/** A verification result younger than this many days, and saying more than "unknown", is reused instead of paying ZeroBounce again. */
export const VERIFICATION_FRESH_DAYS = 90;

export type EmailCandidate = { email: string; source: string };

/** The addresses to consider: those the website shows, then those the contact vendors gave. Nothing is ever guessed. */
export function emailCandidates(websiteEmails: readonly string[], contacts: readonly ContactFound[]): EmailCandidate[] {
  return [
    ...websiteEmails.map((e) => ({ email: e, source: "website" })),
    ...contacts.filter((c) => c.email).map((c) => ({ email: c.email!, source: c.source })),
  ];
}

/** The ICP's free-mail rule as the email policy takes it: any "allow" keeps free-mail at low confidence. */
export function freeMailPolicy(rule: IcpRules["freeMail"]): EmailPolicy["freeMail"] {
  return rule === "allow" || rule === "allow_low_confidence" ? "allow_low_confidence" : "exclude";
}

/** An address to store for the company: its source, and the LinkedIn profile of the contact it belongs to, if any. */
export type AddressToQueue = { email: string; source: string; linkedinUrl: string | null };

/**
 * The emails stage's choice: the candidates the email policy keeps, each
 * with its source and its contact, and what it dropped. Whether a kept
 * address needs verifying is the cache's answer, read as it is stored (see
 * saveFindings).
 */
export function addressesToQueue(
  { run }: Pick<CompanyEnrichment, "run">,
  input: { websiteEmails: readonly string[]; contacts: readonly ContactFound[] },
): { kept: KeptEmail[]; dropped: DroppedEmail[]; addresses: AddressToQueue[] } {
  const candidates = emailCandidates(input.websiteEmails, input.contacts);
  const policy = applyEmailPolicy(
    candidates.map((c) => c.email),
    { freeMail: freeMailPolicy(run.rules.freeMail), suppression: run.suppression },
  );
  const sourceOf = new Map(candidates.map((c) => [c.email.toLowerCase(), c.source]));
  // An address two contacts share belongs to the last of them, as their rows are written.
  const contactOf = new Map(input.contacts.flatMap((c) => (c.email ? [[c.email.toLowerCase(), c.linkedinUrl] as const] : [])));
  const emails = [...new Set(policy.kept.map((kept) => kept.email))];
  return {
    ...policy,
    addresses: emails.map((email) => ({ email, source: sourceOf.get(email) ?? "website", linkedinUrl: contactOf.get(email) ?? null })),
  };
}
