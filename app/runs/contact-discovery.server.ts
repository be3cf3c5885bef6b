import { type AlertSeverity } from "~/alerts/alerts.server";
import { db } from "~/db.server";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { linkedinSearchNeeded, type WebsitePerson } from "~/enrichment/website-people.server";
import { type LeadFeature } from "~/generated/prisma/client";
import { APIFY_LINKEDIN_VENDOR, discoverContactsViaApify, type ApifyChainOutcome, type ApifyContact, type ApifyVendorCall } from "~/vendors/apify.server";
import { VendorError } from "~/vendors/errors.server";
import { type LushaContact } from "~/vendors/lusha.server";
import { raiseRunAlert, raiseVendorFailureAlert } from "./alerts.server";
import { dailyCapGuard } from "./caps.server";
import { type CompanyEnrichment } from "./enrichment-step.server";
import { recordCompanySteps, VENDOR_UNIT_COST_USD } from "./run-log.server";
import { recordVendorUsage } from "./vendor-calls.server";

/** A person found at the company, keyed by their LinkedIn profile. */
export type ContactFound = {
  fullName: string;
  title: string | null;
  companyCurrent: string | null;
  linkedinUrl: string;
  location: string | null;
  email: string | null;
  source: string;
};

/**
 * The contacts found for a company, and how the Apify LinkedIn chain ended
 * ("website" when it was not run because the company's own site named enough
 * role-qualified people).
 */
export type CompanyContacts = { outcome: ApifyChainOutcome | "website"; found: ContactFound[] };

/** Contacts found within this window are reused instead of bought again. */
const CONTACTS_FRESH_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Whether the contacts of the company's last enrichment can stand instead of
 * new ones: found without trouble less than 30 days ago. A vendor's results
 * are stored so that they are never paid for twice.
 */
export function contactsStillFresh(previous: Pick<LeadFeature, "contactsStatus" | "enrichedAt"> | null, now: Date): boolean {
  return previous?.contactsStatus === "ok" && !!previous.enrichedAt && now.getTime() - previous.enrichedAt.getTime() < CONTACTS_FRESH_MS;
}

/**
 * The contacts stage's first half: people with the wanted titles through the
 * Apify LinkedIn chain, which needs only the company's name, so it can run
 * alongside the website stages — or the stored ones while they are fresh and
 * the run does not recrawl.
 */
export function discoverLinkedinContacts(
  e: CompanyEnrichment,
  titles: readonly string[],
  websiteQualified: readonly WebsitePerson[],
): Promise<CompanyContacts> {
  const { run, uen, clients, company } = e;
  return e.step("contacts", "discover", async (note) => {
    if (contactsStillFresh(e.previous, e.now) && !run.options.forceRecrawl) {
      const found = await knownContacts(run.tenantId, uen);
      note({ tool: "cache", args: { outcome: "ok", contacts: found.length, reused: true } });
      return { outcome: "ok", found };
    }
    if (!linkedinSearchNeeded(websiteQualified.length, run.minWebsiteContacts)) {
      // Titles only: the names stay on the company's own page.
      note({
        tool: "website",
        status: "skipped",
        args: { outcome: "website", roleQualified: websiteQualified.length, minimum: run.minWebsiteContacts, titles: websiteQualified.map((p) => p.title) },
        message: `the website names ${websiteQualified.length} role-qualified people (minimum ${run.minWebsiteContacts}): no Apify LinkedIn search`,
      });
      return { outcome: "website", found: [] };
    }
    if (!clients.apify) {
      note({ status: "skipped", message: "no contact vendor configured" });
      return { outcome: "disabled", found: [] };
    }
    const vendorCalls: ApifyVendorCall[] = [];
    const result = await discoverContactsViaApify({
      client: clients.apify,
      companyName: company.name,
      companyId: uen,
      titles,
      matchesTitle: matchesContactTitle,
      flags: clients.apifyFlags,
      capGuard: dailyCapGuard(run.tenantId, clients.apifyDailyCap),
      onVendorCall: (call) => vendorCalls.push(call),
      // The companies of one run share the company and profile actors' runs.
      batchKey: run.runId,
    });
    await logContactVendorCalls(e, vendorCalls);
    const failed = result.outcome === "error" || result.outcome === "quota";
    await recordVendorUsage(run, APIFY_LINKEDIN_VENDOR, { calls: result.calls, units: result.units, errors: result.failedCalls });
    const alert = apifyOutcomeAlert(result.outcome, clients.apifyDailyCap);
    if (alert) await raiseRunAlert(run.tenantId, run.runId, alert.kind, alert.severity, alert.message);
    const found = result.contacts.map(contactFromApify);
    note({ tool: "apify_linkedin", args: { outcome: result.outcome, contacts: found.length }, status: failed ? "error" : "ok" });
    return { outcome: result.outcome, found };
  });
}

/** The alert an Apify chain's end deserves: its daily cap reached, or its quota used up; null otherwise. */
export function apifyOutcomeAlert(outcome: ApifyChainOutcome, dailyCap: number): { kind: string; severity: AlertSeverity; message: string } | null {
  if (outcome === "cap_reached")
    return {
      kind: "vendor_cap",
      severity: "info",
      message: `The daily Apify cap (${dailyCap} actor runs) is reached; remaining companies go without new LinkedIn contacts today.`,
    };
  if (outcome === "quota")
    return { kind: "vendor_quota", severity: "warning", message: "Apify reported its quota is used up; companies continue without LinkedIn contacts." };
  return null;
}

export function contactFromApify(c: ApifyContact): ContactFound {
  return {
    fullName: c.full_name,
    title: c.title ?? null,
    companyCurrent: c.company_current ?? null,
    linkedinUrl: c.linkedin_url,
    location: c.location ?? null,
    email: c.email ?? null,
    source: APIFY_LINKEDIN_VENDOR,
  };
}

/** Lusha is asked only when the website did not name enough people, LinkedIn found nobody, and either the website was thin or the LinkedIn chain did not finish. */
export function wantsLushaFallback(contacts: CompanyContacts, websiteThin: boolean): boolean {
  if (contacts.outcome === "website") return false;
  return contacts.found.length === 0 && (websiteThin || contacts.outcome !== "ok");
}

/** The contacts stage's optional second half: Lusha's people for the company, when LinkedIn gave none (see wantsLushaFallback). */
export async function withLushaFallback(
  e: CompanyEnrichment,
  input: { titles: readonly string[]; domain: string | null; websiteThin: boolean; contacts: CompanyContacts },
): Promise<CompanyContacts> {
  const { run, clients, company } = e;
  const { contacts } = input;
  const lusha = clients.lusha;
  if (!lusha || !wantsLushaFallback(contacts, input.websiteThin)) return contacts;
  return e.step("contacts", "lusha_fallback", async (note) => {
    try {
      const people = await lusha.searchContacts({ companyName: company.name, companyDomain: input.domain ?? undefined, jobTitles: input.titles });
      await recordVendorUsage(run, "lusha", { calls: 1, units: people.length });
      const found = contactsFromLusha(people);
      note({ tool: "lusha", args: { contacts: found.length } });
      return { ...contacts, found };
    } catch (error) {
      // A failed search is priced as one unit: whether Lusha billed it is not known here, so the run's cost errs high.
      await recordVendorUsage(run, "lusha", { calls: 1, errors: 1, costUsd: VENDOR_UNIT_COST_USD.lusha });
      if (error instanceof VendorError && error.name === "QuotaExceeded") {
        await raiseRunAlert(run.tenantId, run.runId, "vendor_quota", "warning", "Lusha quota reached; continuing without its contacts.");
      }
      note({ tool: "lusha", status: "error", message: `Lusha failed: ${(error as Error).message}` });
      return contacts;
    }
  });
}

/** Lusha's people as contacts; those without a LinkedIn profile have no stable key here, so they are left out. */
export function contactsFromLusha(people: readonly LushaContact[]): ContactFound[] {
  return people
    .filter((c) => c.linkedin_url)
    .map((c) => ({
      fullName: c.full_name,
      title: c.title,
      companyCurrent: c.company_current,
      linkedinUrl: c.linkedin_url!,
      location: c.location,
      email: c.emails[0]?.email ?? null,
      source: "lusha",
    }));
}

async function knownContacts(tenantId: string, uen: string): Promise<ContactFound[]> {
  return db.$withTenant(tenantId, async (tx) => {
    const contacts = await tx.leadContact.findMany({ where: { uen }, orderBy: { createdAt: "asc" } });
    const emails = await tx.leadEmail.findMany({ where: { uen, contactId: { not: null } }, select: { contactId: true, email: true } });
    const emailOf = new Map(emails.map((e) => [e.contactId!, e.email]));
    return contacts.map((c) => ({
      fullName: c.fullName,
      title: c.title,
      companyCurrent: c.companyCurrent,
      linkedinUrl: c.linkedinUrl,
      location: c.location,
      email: emailOf.get(c.id) ?? null,
      source: c.source,
    }));
  });
}

/**
 * Each Apify actor run gets its own event row (stage `contact_discovery`,
 * event `vendor_call`) with its status and duration, so an operator sees
 * which actor of the chain failed or was slow; a run another company of the
 * batch started and paid for is marked `shared`.
 */
async function logContactVendorCalls({ run, uen }: CompanyEnrichment, calls: ApifyVendorCall[]) {
  if (calls.length === 0) return;
  await recordCompanySteps(
    run.tenantId,
    calls.map((call) => ({
      runId: run.runId,
      uen,
      stage: "contact_discovery",
      event: "vendor_call",
      status: call.ok ? ("ok" as const) : ("error" as const),
      tool: APIFY_LINKEDIN_VENDOR,
      durationMs: call.durationMs,
      args: { actor: call.actorId, ...(call.shared ? { shared: true } : {}) },
      message: call.error,
    })),
  );
  // Quota is alerted from the chain's outcome; a rate limit only shows here, per call.
  if (calls.some((c) => c.errorName === "RateLimited")) await raiseVendorFailureAlert(run.tenantId, run.runId, "apify", "RateLimited");
}
