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
  // One read of the cached verifications and one write of the addresses, whatever their number: inside the
  // company's transaction every round trip holds a pool connection while a busy worker gets round to the next.
  const emails = [...new Set(policy.kept.map((kept) => kept.email))];
  const cached = new Map(emails.length ? (await tx.emailVerification.findMany({ where: { tenantId, email: { in: emails } } })).map((v) => [v.email, v]) : []);
  const rows = emails.map((email) => {
    const verification = cached.get(email) ?? null;
    const fresh = isFreshVerification(verification, now);
    return {
      email,
      fresh,
      contactId: input.contactIds.get(email) ?? null,
      source: sourceOf.get(email) ?? "website",
      status: fresh ? verification!.status : "pending",
      subStatus: fresh ? verification!.subStatus : null,
      verifiedAt: fresh ? verification!.checkedAt.toISOString() : null,
    };
  });
  if (rows.length > 0) {
    await tx.$executeRaw`
      INSERT INTO lead_emails (tenant_id, uen, email, contact_id, source, verification_status, sub_status, verified_at, updated_at)
      SELECT ${tenantId}::uuid, ${uen}, r.email, r.contact_id, r.source, r.status, r.sub_status, r.verified_at, ${now}
      FROM unnest(${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.contactId)}::uuid[], ${rows.map((r) => r.source)}::text[],
                  ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.subStatus)}::text[], ${rows.map((r) => r.verifiedAt)}::timestamptz[])
        AS r(email, contact_id, source, status, sub_status, verified_at)
      ON CONFLICT (tenant_id, uen, email) DO UPDATE SET contact_id = EXCLUDED.contact_id, source = EXCLUDED.source,
        verification_status = EXCLUDED.verification_status, sub_status = EXCLUDED.sub_status, verified_at = EXCLUDED.verified_at,
        updated_at = EXCLUDED.updated_at`;
  }
  const pending = rows.filter((r) => !r.fresh).length;
  if (rows.length && pending < rows.length) {
    await addVendorUsage(tx, run.runId, "zerobounce", { cacheHits: rows.length - pending });
  }
  return { ...policy, pending };
}
