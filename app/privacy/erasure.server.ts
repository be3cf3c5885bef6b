import { z } from "zod";
import { recordAudit, type Actor } from "~/audit.server";
import { db, platformDb, type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { enqueue } from "~/jobs/enqueue.server";
import { withLakeScope } from "~/lake/hierarchy.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";
import { archiveAndAnonymisePartners, blacklistEmails, findSubjectPartners, openWorkspaceOdoo } from "~/odoo/data-subject.server";
import { normalizeLinkedinUrl } from "~/settings/suppression";
import { addSuppressions } from "~/settings/suppression.server";
import { ERASURE_STEPS, type ErasureStep } from "./erasure-steps";
import { redactText, type SubjectQuery } from "./subject-query";
import { jsonText, mentionsAny, recordCounts, searchDataSubject, type SubjectIdentifiers } from "./subject-search.server";

/**
 * A deletion request: the person's identifiers as the search found them are
 * kept on the request, and the erase_data_subject job works through the
 * steps below, each idempotent and recorded when done, so a retried job
 * resumes after the last finished one. The address goes on the workspace's
 * suppression list first, so no run collects it again even while the rest
 * is under way. When the last step is done, the receipt (what was found,
 * what was erased, when, by whom) goes into the audit log.
 */
const identifiersSchema = z.object({
  emails: z.array(z.string()),
  names: z.array(z.string()),
  linkedinUrls: z.array(z.string()),
  contactIds: z.array(z.string()),
  lakeContactIds: z.array(z.string()),
  partnerIds: z.array(z.number()),
});

export type ErasureCounts = Record<string, number>;

export type ErasureView = {
  id: string;
  query: string;
  status: string;
  stepsDone: string[];
  found: ErasureCounts;
  erased: ErasureCounts;
  error: string | null;
  requestedByEmail: string | null;
  requestedAt: Date;
  finishedAt: Date | null;
};

const erasureSelect = {
  id: true,
  query: true,
  status: true,
  stepsDone: true,
  found: true,
  erased: true,
  error: true,
  requestedByEmail: true,
  requestedAt: true,
  finishedAt: true,
} as const;

export class NothingToEraseError extends Error {
  constructor() {
    super("Nothing was found for this person: there is nothing to erase.");
  }
}

/** Finds the person once more, stores the request with what was found, and queues the job (in the same transaction). */
export async function requestErasure(tenantId: string, actor: Actor, query: SubjectQuery): Promise<{ id: string }> {
  const records = await searchDataSubject(tenantId, query);
  const found = recordCounts(records);
  const { identifiers } = records;
  if (Object.values(found).every((n) => n === 0)) throw new NothingToEraseError();
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const request = await tx.erasureRequest.create({
        data: {
          tenantId,
          query: query.value,
          identifiers: identifiers as Prisma.InputJsonValue,
          found,
          requestedBySub: actor.sub,
          requestedByEmail: actor.email ?? null,
        },
        select: { id: true },
      });
      await recordAudit(tenantId, actor, "privacy.erasure_requested", `erasure:${request.id}`, { subject: query.value, found }, tx);
      await enqueue("erase_data_subject", { tenantId, requestId: request.id }, { tx, jobKey: `erase_data_subject:${request.id}` });
      return request;
    },
    { actor },
  );
}

export async function erasureRequest(tenantId: string, id: string): Promise<ErasureView | null> {
  const row = await db.$tenantRead(tenantId, (tx) => tx.erasureRequest.findFirst({ where: { tenantId, id }, select: erasureSelect }));
  return row ? toView(row) : null;
}

export async function recentErasures(tenantId: string, take = 10): Promise<ErasureView[]> {
  const rows = await db.$tenantRead(tenantId, (tx) => tx.erasureRequest.findMany({ orderBy: { requestedAt: "desc" }, take, select: erasureSelect }));
  return rows.map(toView);
}

function toView(row: Omit<ErasureView, "found" | "erased"> & { found: Prisma.JsonValue; erased: Prisma.JsonValue }): ErasureView {
  return { ...row, found: row.found as ErasureCounts, erased: row.erased as ErasureCounts };
}

/** The receipt of a finished erasure, as the audit log keeps it; null while it runs or for another workspace's id. */
export async function erasureReceipt(tenantId: string, id: string): Promise<Record<string, unknown> | null> {
  const entry = await db.$tenantRead(tenantId, (tx) =>
    tx.auditLog.findFirst({ where: { action: "privacy.erased", target: `erasure:${id}` }, select: { details: true, createdAt: true } }),
  );
  return entry ? (entry.details as Record<string, unknown>) : null;
}

// ---------------------------------------------------------------- the job

type Request = { id: string; tenantId: string; query: string; identifiers: SubjectIdentifiers; requestedBySub: string; requestedByEmail: string | null };

/** Runs the remaining steps of one request; a step that throws leaves the earlier ones recorded, and the retried job starts at it. */
export async function eraseDataSubject(tenantId: string, requestId: string): Promise<void> {
  const row = await db.$withTenant(tenantId, async (tx) => {
    const found = await tx.erasureRequest.findUnique({ where: { tenantId_id: { tenantId, id: requestId } } });
    if (!found || found.status === "succeeded") return null;
    await tx.erasureRequest.update({ where: { tenantId_id: { tenantId, id: requestId } }, data: { status: "running", error: null } });
    return found;
  });
  if (!row) return;
  const request: Request = { ...row, identifiers: identifiersSchema.parse(row.identifiers) };
  const done = new Set(row.stepsDone);
  for (const step of ERASURE_STEPS) {
    if (done.has(step)) continue;
    try {
      const counts = await STEPS[step](request);
      await db.$withTenant(
        tenantId,
        (tx) =>
          tx.$executeRaw`
          UPDATE erasure_requests SET steps_done = array_append(steps_done, ${step}), erased = erased || ${JSON.stringify(counts)}::jsonb
          WHERE id = ${requestId}::uuid AND NOT (${step} = ANY(steps_done))`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.$withTenant(tenantId, (tx) =>
        tx.erasureRequest.update({ where: { tenantId_id: { tenantId, id: requestId } }, data: { error: `${step}: ${message}`.slice(0, 500) } }),
      );
      throw error;
    }
  }
  await finish(request);
}

async function finish(request: Request): Promise<void> {
  const actor = { sub: request.requestedBySub, email: request.requestedByEmail };
  await db.$withTenant(
    request.tenantId,
    async (tx) => {
      const finishedAt = new Date();
      const row = await tx.erasureRequest.update({
        where: { tenantId_id: { tenantId: request.tenantId, id: request.id } },
        data: { status: "succeeded", finishedAt, error: null },
        select: { found: true, erased: true, requestedAt: true },
      });
      const receipt = {
        request: request.id,
        subject: request.query,
        requestedBy: request.requestedByEmail ?? request.requestedBySub,
        requestedAt: row.requestedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        found: row.found,
        erased: row.erased,
        suppressed: request.identifiers.emails,
      };
      await recordAudit(request.tenantId, actor, "privacy.erased", `erasure:${request.id}`, receipt, tx);
    },
    { actor },
  );
}

type StepRunner = (request: Request) => Promise<ErasureCounts>;

const STEPS: Record<ErasureStep, StepRunner> = {
  suppress: async ({ tenantId, identifiers, requestedBySub, requestedByEmail }) => {
    const profiles = identifiers.linkedinUrls.flatMap((url) => normalizeLinkedinUrl(url) ?? []);
    const rows = [
      ...identifiers.emails.map((value) => ({ kind: "email" as const, value, reason: "Erasure request" })),
      ...[...new Set(profiles)].map((value) => ({ kind: "linkedin" as const, value, reason: "Erasure request" })),
    ];
    const result = await addSuppressions(tenantId, { sub: requestedBySub, email: requestedByEmail }, rows, "erasure");
    return { suppressed: result.added + result.alreadyListed };
  },
  platform: (request) => withLakeScope(request.tenantId, WHOLE_TENANT, (tx) => erasePlatformRecords(tx, request), { timeout: 120_000 }),
  lake_raw: (request) => anonymiseRawHistory(request),
  odoo: async ({ tenantId, identifiers }) => {
    const odoo = await openWorkspaceOdoo(tenantId);
    if (!odoo) return { odooPartners: 0, odooBlacklisted: 0 };
    const partners = await findSubjectPartners(odoo, { emails: identifiers.emails, names: identifiers.names, ids: identifiers.partnerIds });
    const ids = partners.map((p) => p.id);
    if (ids.length) await archiveAndAnonymisePartners(odoo, ids);
    const emails = [...new Set([...identifiers.emails, ...partners.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))])];
    await blacklistEmails(odoo, emails);
    return { odooPartners: ids.length, odooBlacklisted: emails.length };
  },
};

function needlesOf(identifiers: SubjectIdentifiers): string[] {
  return [...identifiers.emails, ...identifiers.names, ...identifiers.linkedinUrls];
}

async function erasePlatformRecords(tx: TenantTx, { identifiers }: Request): Promise<ErasureCounts> {
  const { emails, contactIds, lakeContactIds } = identifiers;
  const needles = needlesOf(identifiers);
  const emailRows = await tx.leadEmail.deleteMany({ where: { OR: [{ email: { in: emails } }, { contactId: { in: contactIds } }] } });
  const verifications = await tx.emailVerification.deleteMany({ where: { email: { in: emails } } });
  const contacts = await tx.leadContact.deleteMany({ where: { id: { in: contactIds } } });
  const links = await forgetPushedContacts(tx, [...emails, ...identifiers.linkedinUrls]);

  let crawlPages = 0;
  let chatMessages = 0;
  if (needles.length) {
    const pages = await tx.$queryRaw<Array<{ uen: string; url: string; title: string | null; text: string | null }>>`
      SELECT uen, url, title, text FROM crawl_pages WHERE ${mentionsAny(Prisma.sql`concat_ws(' ', title, text)`, needles)}`;
    for (const page of pages) {
      await tx.crawlPage.updateMany({
        where: { uen: page.uen, url: page.url },
        data: { title: page.title && redactText(page.title, needles), text: page.text && redactText(page.text, needles) },
      });
    }
    crawlPages = pages.length;
    const jsonNeedles = needles.map(jsonText);
    const messages = await tx.$queryRaw<Array<{ id: bigint; text: string; payload: Prisma.JsonValue }>>`
      SELECT id, text, payload FROM chat_messages WHERE ${mentionsAny(Prisma.sql`text`, needles)} OR ${mentionsAny(Prisma.sql`payload::text`, jsonNeedles)}`;
    for (const message of messages) {
      const payload =
        message.payload === null ? Prisma.DbNull : (JSON.parse(redactText(JSON.stringify(message.payload), jsonNeedles)) as Prisma.InputJsonValue);
      await tx.chatMessage.updateMany({ where: { id: message.id }, data: { text: redactText(message.text, needles), payload } });
    }
    chatMessages = messages.length;
  }

  const activities = await tx.lakeActivity.findMany({ where: { aboutKind: "contact", aboutId: { in: lakeContactIds } }, select: { id: true, summary: true } });
  for (const activity of activities) {
    if (activity.summary) await tx.lakeActivity.updateMany({ where: { id: activity.id }, data: { summary: redactText(activity.summary, needles) } });
  }
  const lakeContacts = await tx.lakeContact.updateMany({
    where: { id: { in: lakeContactIds } },
    data: { name: "[erased]", email: null, phone: null, jobTitle: null, updatedAt: new Date() },
  });
  return {
    contacts: contacts.count,
    emails: emailRows.count,
    verifications: verifications.count,
    crawlPages,
    chatMessages,
    pushedContactLinks: links,
    lakeContacts: lakeContacts.count,
    lakeActivities: activities.length,
  };
}

/** The push's memory of which Odoo partner a contact became (keyed by address or LinkedIn URL) loses the person's keys. */
async function forgetPushedContacts(tx: TenantTx, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const lowered = new Set(keys.map((k) => k.toLowerCase()));
  const links = await tx.odooPartnerLink.findMany({ select: { uen: true, contactIds: true } });
  let forgotten = 0;
  for (const link of links) {
    const contactIds = (link.contactIds ?? {}) as Record<string, number>;
    const kept = Object.fromEntries(Object.entries(contactIds).filter(([key]) => !lowered.has(key.toLowerCase())));
    const dropped = Object.keys(contactIds).length - Object.keys(kept).length;
    if (dropped === 0) continue;
    forgotten += dropped;
    await tx.odooPartnerLink.updateMany({ where: { uen: link.uen }, data: { contactIds: kept } });
  }
  return forgotten;
}

/**
 * The raw zone is append-only for the application, so the platform client
 * rewrites the versions that mention the person (each statement names the
 * tenant). The versions stay, so a replay still rebuilds the same records —
 * anonymised.
 */
async function anonymiseRawHistory({ tenantId, identifiers }: Request): Promise<ErasureCounts> {
  const needles = needlesOf(identifiers).map(jsonText);
  if (needles.length === 0) return { lakeRawRecords: 0 };
  const rows = await platformDb.$queryRaw<Array<{ id: bigint; payload: Prisma.JsonValue }>>`
    SELECT id, payload FROM lake_raw_records WHERE tenant_id = ${tenantId}::uuid AND (${mentionsAny(Prisma.sql`payload::text`, needles)})`;
  for (const row of rows) {
    const payload = JSON.parse(redactText(JSON.stringify(row.payload), needles)) as Prisma.InputJsonValue;
    await platformDb.lakeRawRecord.update({ where: { tenantId_id: { tenantId, id: row.id } }, data: { payload } });
  }
  return { lakeRawRecords: rows.length };
}
