import { type TenantTx } from "~/db.server";
import { applyEmailPolicy, type DroppedEmail, type EmailPolicy, type KeptEmail } from "~/enrichment/email-policy.server";
import { type IcpRules } from "~/icp/rules";
import { type ContactFound } from "./contact-discovery.server";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { addVendorUsage } from "./run-log.server";

/** A verification result younger than this is reused instead of paying ZeroBounce again. */
const VERIFICATION_FRESH_MS = 90 * 24 * 60 * 60 * 1000;

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

/** A cached verification stands when it is younger than 90 days and says more than "unknown". */
export function isFreshVerification(cached: { checkedAt: Date; status: string } | null, now: Date): boolean {
  return !!cached && now.getTime() - cached.checkedAt.getTime() < VERIFICATION_FRESH_MS && cached.status !== "unknown";
}

/**
 * The emails stage: the candidates the email policy keeps are stored, with a
 * fresh cached verification where there is one and as pending otherwise,
 * for the verification job. Returns what was kept and dropped, and how many wait.
 */
export async function queueEmails(
  tx: TenantTx,
  { run, uen, now }: CompanyEnrichment,
  input: { websiteEmails: readonly string[]; contacts: readonly ContactFound[]; contactIds: ReadonlyMap<string, string> },
): Promise<{ kept: KeptEmail[]; dropped: DroppedEmail[]; pending: number }> {
  const { tenantId } = run;
  const candidates = emailCandidates(input.websiteEmails, input.contacts);
  const policy = applyEmailPolicy(
    candidates.map((c) => c.email),
    { freeMail: freeMailPolicy(run.rules.freeMail), suppression: run.suppression },
  );
  const sourceOf = new Map(candidates.map((c) => [c.email.toLowerCase(), c.source]));
  let pending = 0;
  for (const kept of policy.kept) {
    const cached = await tx.emailVerification.findUnique({ where: { tenantId_email: { tenantId, email: kept.email } } });
    const fresh = isFreshVerification(cached, now);
    if (!fresh) pending++;
    const data = {
      contactId: input.contactIds.get(kept.email) ?? null,
      source: sourceOf.get(kept.email) ?? "website",
      verificationStatus: fresh ? cached!.status : "pending",
      subStatus: fresh ? cached!.subStatus : null,
      verifiedAt: fresh ? cached!.checkedAt : null,
      updatedAt: now,
    };
    await tx.leadEmail.upsert({
      where: { tenantId_uen_email: { tenantId, uen, email: kept.email } },
      create: { tenantId, uen, email: kept.email, ...data },
      update: data,
    });
  }
  if (policy.kept.length && pending < policy.kept.length) {
    await addVendorUsage(tx, run.runId, "zerobounce", { cacheHits: policy.kept.length - pending });
  }
  return { ...policy, pending };
}
