import { performance } from "node:perf_hooks";
import { extractWithRules } from "~/enrichment/profile-rules.server";
import { roleQualifiedPeople, websitePeople } from "~/enrichment/website-people.server";
import { leadEngineClients } from "./clients.server";
import { findCompanyDomain } from "./company-domain.server";
import { discoverLinkedinContacts, withLushaFallback, type CompanyContacts } from "./contact-discovery.server";
import { stepRecorder, type CompanyEnrichment } from "./enrichment-step.server";
import { extractProfile } from "./profile-extraction.server";
import { addressesToQueue } from "./queue-emails.server";
import { companyToEnrich, loadRunContext } from "./run-context.server";
import { queueSiteAddresses, saveFindings } from "./save-enrichment.server";
import { withoutSuppressedPeople } from "./suppressed-people";
import { readCompanyWebsite, type WebsitePage } from "./website-pages.server";

/**
 * One company of a run, from registry row to verified-email candidates:
 * domain discovery → deterministic crawl → Tavily fallback → merge → AI
 * extraction → contacts → emails queued for verification (the site's own
 * addresses as soon as its pages are read; `siteAddressesQueued` hears when
 * some wait for verification). A vendor's failure
 * never fails the company: it is caught where it happens and recorded, and
 * the company goes on with less. Results are written with their provenance.
 */
export async function enrichCompany(
  tenantId: string,
  runId: string,
  uen: string,
  siteAddressesQueued: () => Promise<void> = async () => {},
): Promise<{ pendingEmails: number }> {
  const run = await loadRunContext(tenantId, runId);
  const e: CompanyEnrichment = {
    run,
    uen,
    ...(await companyToEnrich(tenantId, uen)),
    clients: leadEngineClients(),
    step: stepRecorder(tenantId, runId, uen),
    now: new Date(),
  };

  // The paid LinkedIn chain runs only when the website's own pages name too
  // few role-qualified people; it starts as soon as the crawl's pages are
  // parsed, alongside Tavily and extraction. A rejection must not go
  // unhandled before it is awaited.
  const titles = run.rules.contactTitles?.length ? run.rules.contactTitles : e.clients.defaultContactTitles;
  let linkedinContacts: Promise<CompanyContacts> | undefined;
  const startLinkedinContacts = (pages: readonly WebsitePage[]) => {
    linkedinContacts = discoverLinkedinContacts(e, titles, roleQualifiedPeople(websitePeople(pages), titles));
    linkedinContacts.catch(() => {});
  };

  const domain = await findCompanyDomain(e);
  const website = await readCompanyWebsite(e, domain, startLinkedinContacts);
  // The rules read a page's addresses in full (the LLM may only copy them), so they need not wait for the extraction.
  const rules = extractWithRules(website.pages);
  const siteAddresses = addressesToQueue(e, { websiteEmails: rules.emails, contacts: [] }).addresses;
  if (siteAddresses.length > 0 && (await queueSiteAddresses(e, siteAddresses)).pending > 0) await siteAddressesQueued();
  const profile = await extractProfile(e, website.pages, rules);
  const discovered = await withLushaFallback(e, {
    titles,
    domain: domain.domain,
    websiteThin: !domain.domain || !website.crawl || website.crawl.status !== "ok",
    contacts: await linkedinContacts!,
  });
  // A suppressed person (an erased one among them) is dropped whole: neither their profile nor their address is stored or pushed.
  const people = withoutSuppressedPeople(discovered.found, run.suppressedPeople);
  const contacts = { ...discovered, found: people.kept };

  const started = performance.now();
  const queued = addressesToQueue(e, { websiteEmails: profile.emails, contacts: contacts.found });
  const { pending: pendingEmails } = await saveFindings(
    e,
    { domain, website, profile, contacts },
    {
      addresses: queued.addresses,
      queuedEarly: siteAddresses.map((a) => a.email),
      step: {
        runId,
        uen,
        stage: "emails",
        event: "queued",
        status: "ok",
        durationMs: performance.now() - started,
        // The statement adds how many addresses wait for verification (`pending`).
        args: { kept: queued.kept.length, dropped: queued.dropped.map((d) => d.reason), suppressedPeople: people.dropped },
      },
    },
    new Date().toISOString(),
  );
  return { pendingEmails };
}
