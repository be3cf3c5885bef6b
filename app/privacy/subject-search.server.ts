import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { withLakeScope } from "~/lake/hierarchy.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";
import { log } from "~/logger.server";
import { blacklistEntries, findSubjectPartners, openWorkspaceOdoo, type SubjectPartner } from "~/odoo/data-subject.server";
import { normalizeLinkedinUrl } from "~/settings/suppression";
import { containsPattern } from "~/utils/like-pattern";
import { snippetAround, type SubjectQuery } from "./subject-query";

/**
 * Everything a workspace holds about one person (a data-subject access
 * request): the contacts the lead engine found, their addresses and
 * verifications, crawled pages and chat messages that mention them, the
 * shortlist exports of runs that scored their company, the data lake's
 * records, and their partners in the workspace's Odoo. The search starts
 * from what the admin typed and widens once: a contact found by address or
 * LinkedIn URL brings its name and other addresses along. Names and
 * addresses match exactly, ignoring case, with `lower(…) = lower(…)`:
 * Prisma's `mode: "insensitive"` equality is an unescaped ILIKE
 * (prisma/prisma#20318), where a `%` or `_` in what the admin typed would be
 * a wildcard, and an erasure takes whatever the search found.
 */
export type SubjectIdentifiers = {
  emails: string[];
  names: string[];
  linkedinUrls: string[];
  contactIds: string[];
  lakeContactIds: string[];
  partnerIds: number[];
};

export type SubjectRecords = {
  query: SubjectQuery;
  identifiers: SubjectIdentifiers;
  contacts: Array<{
    id: string;
    uen: string;
    fullName: string;
    title: string | null;
    companyCurrent: string | null;
    linkedinUrl: string;
    location: string | null;
    source: string;
    createdAt: Date;
  }>;
  emails: Array<{ uen: string; email: string; source: string; verificationStatus: string; subStatus: string | null; verifiedAt: Date | null; createdAt: Date }>;
  verifications: Array<{ email: string; status: string; subStatus: string | null; checkedAt: Date }>;
  crawlSnippets: Array<{ uen: string; url: string; fetchedAt: Date; snippet: string }>;
  chatMessages: Array<{ threadId: string; ownerEmail: string | null; role: string; createdAt: Date; text: string }>;
  exports: Array<{ at: Date; by: string | null; runId: string; file: string }>;
  lakeContacts: Array<{
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    jobTitle: string | null;
    companyName: string | null;
    active: boolean;
  }>;
  lakeActivities: Array<{ id: string; activityType: string; summary: string | null; state: string; at: Date }>;
  lakeRawRecords: Array<{ id: string; source: string; entity: string; sourceId: string; fetchedAt: Date }>;
  /** The person's entries on the suppression list: kept after an erasure, so that no run collects them again. */
  suppressions: Array<{ kind: string; value: string; reason: string | null; createdAt: Date }>;
  odoo: OdooFindings;
};

export type OdooFindings =
  { status: "ok"; partners: SubjectPartner[]; blacklisted: string[] } | { status: "not_connected" } | { status: "unreachable"; message: string };

/** How many rows of each kind were found: what a receipt and the page's summary list (suppression entries are the platform's promise, not the person's data). */
export function recordCounts(records: SubjectRecords): Record<string, number> {
  return {
    contacts: records.contacts.length,
    emails: records.emails.length,
    verifications: records.verifications.length,
    crawlSnippets: records.crawlSnippets.length,
    chatMessages: records.chatMessages.length,
    exports: records.exports.length,
    lakeContacts: records.lakeContacts.length,
    lakeActivities: records.lakeActivities.length,
    lakeRawRecords: records.lakeRawRecords.length,
    odooPartners: records.odoo.status === "ok" ? records.odoo.partners.length : 0,
  };
}

/** Rows of free text (crawled pages, chat) looked at per search: enough for one person, bounded for a large workspace. */
const TEXT_MATCHES = 200;

export async function searchDataSubject(tenantId: string, query: SubjectQuery): Promise<SubjectRecords> {
  // A data-subject request covers the whole workspace: every owner's lake activities too.
  const found = await withLakeScope(tenantId, WHOLE_TENANT, (tx) => searchTables(tx, query), { timeout: 30_000 });
  const odoo = await searchOdoo(tenantId, found.identifiers);
  if (odoo.status === "ok") found.identifiers.partnerIds = odoo.partners.map((p) => p.id);
  return { ...found, odoo };
}

async function searchTables(tx: TenantTx, query: SubjectQuery): Promise<Omit<SubjectRecords, "odoo">> {
  const contactSelect = {
    id: true,
    uen: true,
    fullName: true,
    title: true,
    companyCurrent: true,
    linkedinUrl: true,
    location: true,
    source: true,
    createdAt: true,
  } as const;
  const seedEmails = query.kind === "email" ? [query.value] : [];
  let contacts: SubjectRecords["contacts"] = [];
  if (query.kind === "email") {
    const owners = await tx.leadEmail.findMany({ where: { email: query.value, contactId: { not: null } }, select: { contactId: true } });
    contacts = await tx.leadContact.findMany({ where: { id: { in: owners.map((o) => o.contactId!) } }, select: contactSelect });
  } else if (query.kind === "linkedin") {
    const slug = query.value.split("/").pop()!;
    const candidates = await tx.leadContact.findMany({ where: { linkedinUrl: { contains: slug, mode: "insensitive" } }, select: contactSelect });
    contacts = candidates.filter((c) => normalizeLinkedinUrl(c.linkedinUrl) === query.value);
  } else {
    const named = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM lead_contacts WHERE lower(full_name) = lower(${query.value})`;
    contacts = await tx.leadContact.findMany({ where: { id: { in: named.map((c) => c.id) } }, select: contactSelect });
  }
  const contactIds = contacts.map((c) => c.id);
  const emails = await tx.leadEmail.findMany({
    where: { OR: [{ email: { in: seedEmails } }, { contactId: { in: contactIds } }] },
    select: { uen: true, email: true, source: true, verificationStatus: true, subStatus: true, verifiedAt: true, createdAt: true },
    orderBy: [{ email: "asc" }, { uen: "asc" }],
  });
  const names = unique([...contacts.map((c) => c.fullName), ...(query.kind === "name" ? [query.value] : [])]);
  const lakeMatches = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text FROM lake_contacts
    WHERE lower(email) IN (SELECT lower(v) FROM unnest(${unique([...seedEmails, ...emails.map((e) => e.email)])}::text[]) v)
       OR lower(name) IN (SELECT lower(v) FROM unnest(${names}::text[]) v)`;
  const lakeContacts = await tx.lakeContact.findMany({
    where: { id: { in: lakeMatches.map((c) => c.id) } },
    select: { id: true, name: true, email: true, phone: true, jobTitle: true, companyName: true, active: true },
  });
  const allEmails = unique([...seedEmails, ...emails.map((e) => e.email), ...lakeContacts.flatMap((c) => (c.email ? [c.email.toLowerCase()] : []))]);
  const allNames = unique([...names, ...lakeContacts.map((c) => c.name)]);
  const identifiers: SubjectIdentifiers = {
    emails: allEmails,
    names: allNames,
    linkedinUrls: unique(contacts.map((c) => c.linkedinUrl)),
    contactIds,
    lakeContactIds: lakeContacts.map((c) => c.id),
    partnerIds: [],
  };
  const needles = [...identifiers.emails, ...identifiers.names, ...identifiers.linkedinUrls];
  const profiles = query.kind === "linkedin" ? [query.value] : identifiers.linkedinUrls.flatMap((url) => normalizeLinkedinUrl(url) ?? []);
  const [verifications, crawlSnippets, chatMessages, exports, lakeActivities, lakeRawRecords, suppressions] = await Promise.all([
    tx.emailVerification.findMany({ where: { email: { in: allEmails } }, select: { email: true, status: true, subStatus: true, checkedAt: true } }),
    crawlMentions(tx, needles),
    chatMentions(tx, needles),
    exportsOfTheirCompanies(tx, unique([...contacts.map((c) => c.uen), ...emails.map((e) => e.uen)])),
    tx.lakeActivity.findMany({
      where: { aboutKind: "contact", aboutId: { in: identifiers.lakeContactIds } },
      select: { id: true, activityType: true, summary: true, state: true, at: true },
      orderBy: { at: "desc" },
    }),
    rawMentions(tx, needles),
    tx.suppressionEntry.findMany({
      where: {
        OR: [
          { kind: "email", value: { in: allEmails } },
          { kind: "linkedin", value: { in: profiles } },
        ],
      },
      select: { kind: true, value: true, reason: true, createdAt: true },
      orderBy: { kind: "asc" },
    }),
  ]);
  return {
    query,
    identifiers,
    contacts,
    emails,
    verifications,
    crawlSnippets,
    chatMessages,
    exports,
    lakeContacts,
    lakeActivities,
    lakeRawRecords,
    suppressions,
  };
}

/** `column` contains one of the needles (case-insensitive); needles must not be empty. */
export function mentionsAny(column: Prisma.Sql, needles: readonly string[]): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(
    needles.map((n) => Prisma.sql`${column} ILIKE ${containsPattern(n)}`),
    " OR ",
  )})`;
}

async function crawlMentions(tx: TenantTx, needles: string[]): Promise<SubjectRecords["crawlSnippets"]> {
  if (needles.length === 0) return [];
  const pages = await tx.$queryRaw<Array<{ uen: string; url: string; fetchedAt: Date; text: string }>>`
    SELECT uen, url, fetched_at AS "fetchedAt", concat_ws(' ', title, text) AS text FROM crawl_pages
    WHERE ${mentionsAny(Prisma.sql`text`, needles)} OR ${mentionsAny(Prisma.sql`title`, needles)}
    ORDER BY fetched_at DESC LIMIT ${TEXT_MATCHES}`;
  return pages.map(({ text, ...page }) => ({ ...page, snippet: snippetAround(text, needles) ?? "" }));
}

async function chatMentions(tx: TenantTx, needles: string[]): Promise<SubjectRecords["chatMessages"]> {
  if (needles.length === 0) return [];
  return tx.$queryRaw`
    SELECT m.thread_id AS "threadId", t.owner_email AS "ownerEmail", m.role, m.created_at AS "createdAt", m.text
    FROM chat_messages m JOIN chat_threads t ON t.tenant_id = m.tenant_id AND t.id = m.thread_id
    WHERE ${mentionsAny(Prisma.sql`m.text`, needles)} OR ${mentionsAny(Prisma.sql`m.payload::text`, needles.map(jsonText))}
    ORDER BY m.id LIMIT ${TEXT_MATCHES}`;
}

/** Shortlist downloads (recorded in the audit log) of runs that scored one of the person's companies: their row may have carried the person. */
async function exportsOfTheirCompanies(tx: TenantTx, uens: string[]): Promise<SubjectRecords["exports"]> {
  if (uens.length === 0) return [];
  return tx.$queryRaw`
    SELECT a.created_at AS at, coalesce(a.actor_email, a.actor_sub) AS by, a.details->>'runId' AS "runId", a.details->>'file' AS file
    FROM audit_log a
    WHERE a.action = 'export.downloaded'
      AND EXISTS (SELECT 1 FROM lead_scores s WHERE s.run_id::text = a.details->>'runId' AND s.uen = ANY(${uens}::text[]))
    ORDER BY a.created_at DESC`;
}

async function rawMentions(tx: TenantTx, needles: string[]): Promise<SubjectRecords["lakeRawRecords"]> {
  if (needles.length === 0) return [];
  return tx.$queryRaw`
    SELECT id::text, source, entity, source_id AS "sourceId", fetched_at AS "fetchedAt" FROM lake_raw_records
    WHERE ${mentionsAny(Prisma.sql`payload::text`, needles.map(jsonText))}
    ORDER BY id LIMIT ${TEXT_MATCHES}`;
}

/** How a string appears inside a JSON document's text (quotes and backslashes escaped). */
export function jsonText(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

async function searchOdoo(tenantId: string, who: SubjectIdentifiers): Promise<OdooFindings> {
  try {
    const odoo = await openWorkspaceOdoo(tenantId);
    if (!odoo) return { status: "not_connected" };
    const partners = await findSubjectPartners(odoo, { emails: who.emails, names: who.names });
    const emails = unique([...who.emails, ...partners.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))]);
    const blacklisted = [...(await blacklistEntries(odoo, emails)).values()].filter((e) => e.active).map((e) => e.email);
    return { status: "ok", partners, blacklisted };
  } catch (error) {
    log().warn({ err: error, tenantId }, "data-subject search could not read Odoo");
    return { status: "unreachable", message: "The workspace's Odoo did not answer; its partners are not listed." };
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
