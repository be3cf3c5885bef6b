import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { type CrawledPage, type CrawlResult } from "~/crawler/crawl-site.server";
import { nameMatchScore } from "~/crawler/domain-discovery.server";
import { type PageText } from "~/crawler/html-text.server";
import { db, type TenantTx } from "~/db.server";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { applyEmailPolicy } from "~/enrichment/email-policy.server";
import { extractCompanyProfile } from "~/enrichment/extract.server";
import { type SourcePage } from "~/enrichment/source-pages.server";
import { log } from "~/logger.server";
import { withTokenBudget } from "~/scoring/token-budget.server";
import {
  APIFY_LINKEDIN_VENDOR,
  companyLookupInput,
  DEFAULT_ACTORS,
  discoverContactsViaApify,
  type ApifyChainOutcome,
  type ApifyVendorCall,
} from "~/vendors/apify.server";
import { VendorError } from "~/vendors/errors.server";
import { raiseRunAlert, raiseVendorFailureAlert } from "./alerts.server";
import { dailyCapGuard } from "./caps.server";
import { leadEngineClients, type LeadEngineClients } from "./clients.server";
import { loadRunContext, type RunContext, type RegistryCompany } from "./run-context.server";
import { addVendorUsage, llmUsageDelta, logStep, VENDOR_UNIT_COST_USD } from "./run-log.server";
import { robotsRefusedSite, tavilyExtractUrls } from "./tavily-fallback.server";

/**
 * One company of a run, from registry row to verified-email candidates:
 * domain discovery → deterministic crawl → Tavily fallback → merge → AI
 * extraction → contacts → emails queued for verification. Every vendor
 * failure is caught where it happens and recorded; the company goes on with
 * less (seed 000 §11). Results are written with their provenance.
 */
export type EnrichOutcome = { pendingEmails: number; filtered: boolean };

type Stage = "domain" | "crawl" | "tavily" | "merge" | "extract" | "contacts" | "emails";

/** Hosts that describe companies without being their websites. */
const NOT_A_COMPANY_SITE =
  /(^|\.)(linkedin\.com|facebook\.com|instagram\.com|twitter\.com|x\.com|sgpbusiness\.com|opengovsg\.com|recordowl\.com|bizfile\.gov\.sg|acra\.gov\.sg|yellowpages\.com\.sg|crunchbase\.com|glassdoor\.com|jobstreet\.com|indeed\.com|youtube\.com|wikipedia\.org)$/i;

export async function enrichCompany(tenantId: string, runId: string, uen: string): Promise<EnrichOutcome> {
  const run = await loadRunContext(tenantId, runId);
  const company = await run.company(uen);
  const clients = leadEngineClients();
  const step = stepRecorder(tenantId, runId, uen);
  const now = new Date();

  const previous = await db.$withTenant(tenantId, (tx) => tx.leadFeature.findUnique({ where: { tenantId_uen: { tenantId, uen } } }));

  const titles = run.rules.contactTitles?.length ? run.rules.contactTitles : clients.defaultContactTitles;
  const linkedinContacts = step("contacts", "discover", async (note) => {
    const reusable = previous?.contactsStatus === "ok" && previous.enrichedAt && now.getTime() - previous.enrichedAt.getTime() < CONTACTS_FRESH_MS;
    if (reusable && !run.options.forceRecrawl) {
      // Contacts bought recently are reused (seed §10: store vendor results, do not pay twice).
      const found = await knownContacts(tenantId, uen);
      note({ tool: "cache", args: { outcome: "ok", contacts: found.length, reused: true } });
      return { outcome: "ok" as ApifyChainOutcome, found, available: true };
    }
    if (!clients.apify) {
      note({ status: "skipped", message: "no contact vendor configured" });
      return { outcome: "disabled" as ApifyChainOutcome, found: [] as ContactFound[], available: false };
    }
    const vendorCalls: ApifyVendorCall[] = [];
    const result = await discoverContactsViaApify({
      client: clients.apify,
      companyName: company.name,
      companyId: uen,
      titles,
      matchesTitle: matchesContactTitle,
      flags: clients.apifyFlags,
      capGuard: dailyCapGuard(tenantId, clients.apifyDailyCap),
      onVendorCall: (call) => vendorCalls.push(call),
    });
    await logContactVendorCalls(tenantId, runId, uen, vendorCalls);
    await usage(tenantId, runId, APIFY_LINKEDIN_VENDOR, {
      calls: result.calls,
      units: result.units,
      errors: result.outcome === "error" || result.outcome === "quota" ? 1 : 0,
    });
    if (result.outcome === "cap_reached")
      await raiseRunAlert(
        tenantId,
        runId,
        "vendor_cap",
        "info",
        `The daily Apify cap (${clients.apifyDailyCap} actor runs) is reached; remaining companies go without new LinkedIn contacts today.`,
      );
    if (result.outcome === "quota")
      await raiseRunAlert(tenantId, runId, "vendor_quota", "warning", "Apify reported its quota is used up; companies continue without LinkedIn contacts.");
    const found: ContactFound[] = result.contacts.map((c) => ({
      fullName: c.full_name,
      title: c.title ?? null,
      companyCurrent: c.company_current ?? null,
      linkedinUrl: c.linkedin_url,
      location: c.location ?? null,
      email: c.email ?? null,
      source: APIFY_LINKEDIN_VENDOR,
    }));
    note({
      tool: "apify_linkedin",
      args: { outcome: result.outcome, contacts: found.length },
      status: result.outcome === "error" || result.outcome === "quota" ? "error" : "ok",
    });
    return { outcome: result.outcome, found, available: result.outcome === "ok" };
  });
  // Awaited after the website stages; a rejection must not go unhandled meanwhile.
  linkedinContacts.catch(() => {});

  // --- domain discovery
  const domain = await step("domain", "discover", async (note) => {
    if (previous?.domain && !run.options.forceRecrawl) {
      note({ tool: "cache", args: { domain: previous.domain } });
      return { domain: previous.domain, source: previous.domainSource ?? "cache", evidence: previous.domainEvidence as unknown[] };
    }
    const found = await clients.crawler.discover(company.name);
    if (found.domain && found.confidence !== "low") {
      note({ tool: "crawler", args: { domain: found.domain, confidence: found.confidence } });
      return { domain: found.domain, source: `crawler:${found.confidence}`, evidence: found.evidence };
    }
    const searched = await domainFromSearch(clients, run, company);
    if (searched) {
      note({ tool: "tavily", args: { domain: searched.domain } });
      return { domain: searched.domain, source: "tavily_search", evidence: [...found.evidence, searched.evidence] };
    }
    if (found.domain) {
      note({ tool: "crawler", args: { domain: found.domain, confidence: found.confidence } });
      return { domain: found.domain, source: `crawler:${found.confidence}`, evidence: found.evidence };
    }
    const fromLinkedin = await domainFromApifyCompany(clients, run, company);
    if (fromLinkedin) {
      note({ tool: "apify", args: { domain: fromLinkedin.domain } });
      return { domain: fromLinkedin.domain, source: "apify_company", evidence: [...found.evidence, fromLinkedin.evidence] };
    }
    note({ status: "skipped", message: "no website found: going straight to contacts by company name" });
    return { domain: null, source: null, evidence: found.evidence };
  });

  // --- deterministic crawl
  let crawl: CrawlResult | null = null;
  if (domain.domain) {
    crawl = await step("crawl", "crawl", async (note) => {
      const result = await clients.crawler.crawl(domain.domain!, { includeCareers: run.options.includeCareers ?? false });
      note({
        tool: "crawler",
        status: result.status === "ok" ? "ok" : result.status === "error" ? "error" : "info",
        args: { domain: result.domain, pages: result.pages.length, words: result.wordCount, status: result.status },
        message: result.reason,
      });
      return result;
    });
  }

  // --- Tavily fallback when the crawl was blocked, thin or failed
  const pages: Array<SourcePage & { sha256: string; source: "crawler" | "tavily"; status: number | null; bytes: number }> = (crawl?.pages ?? []).map(
    (p: CrawledPage) => ({ url: p.url, kind: p.kind, title: p.title, text: p.text, sha256: p.sha256, source: "crawler", status: p.status, bytes: p.bytes }),
  );
  let tavilyUsed = false;
  if (clients.tavily && domain.domain && crawl && crawl.status !== "ok") {
    if (robotsRefusedSite(crawl)) {
      // The site's robots.txt refuses us: Extract would fetch it for us, so only public search snippets (and the registry) are used.
      await step("tavily", "search_snippets", async (note) => {
        tavilyUsed = true;
        const extra = await tavilySnippets(clients, run, company, domain.domain!);
        pages.push(...extra);
        note({
          tool: "tavily",
          status: "info",
          args: { domain: domain.domain, pages: extra.length, extract: false },
          message: "robots.txt disallows this site: not read through Tavily Extract; Tavily Search snippets and the registry used instead",
        });
      });
    } else {
      await step("tavily", "extract", async (note) => {
        tavilyUsed = true;
        const extra = await tavilyPages(clients, run, domain.domain!, crawl!);
        pages.push(...extra);
        note({ tool: "tavily", args: { domain: domain.domain, pages: extra.length } });
      });
    }
  }

  // --- merge raw content; its hash is stored so the scored content is reproducible
  const merged = await step("merge", "merge", async (note) => {
    const text = pages.map((p) => `# ${p.url}\n${p.text}`).join("\n\n");
    const sha256 = createHash("sha256").update(text).digest("hex");
    note({ args: { pages: pages.length, sha256 } });
    return { sha256: pages.length ? sha256 : null };
  });

  // --- AI extraction (or the deterministic extractor)
  const profile = await step("extract", "extract", async (note) => {
    const result = await extractWithinBudget(tenantId, runId, pages, clients);
    note({
      tool: result.usage ? "llm" : "rules",
      status: result.llmError ? "error" : "ok",
      args: { about: Boolean(result.about_text), headcount: result.headcount_estimate, emails: result.emails.length, overBudget: result.overBudget },
      message: result.llmError ? `LLM failed, rules used: ${result.llmError}` : result.overBudget ? "daily token budget reached: rules used" : undefined,
    });
    return result;
  });

  // --- contacts: the Apify LinkedIn chain needs only the company's name, so it
  // runs alongside the website stages; Lusha (optional) falls back after them.
  const thin = !domain.domain || !crawl || crawl.status !== "ok";
  let contacts = await linkedinContacts;
  if (clients.lusha && contacts.found.length === 0 && (thin || contacts.outcome !== "ok")) {
    contacts = await step("contacts", "lusha_fallback", async (note) => {
      try {
        const lusha = await clients.lusha!.searchContacts({ companyName: company.name, companyDomain: domain.domain ?? undefined, jobTitles: titles });
        await usage(tenantId, runId, "lusha", { calls: 1, units: lusha.length });
        // Lusha people without a LinkedIn profile have no stable key here; they are left out.
        const found: ContactFound[] = lusha
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
        note({ tool: "lusha", args: { contacts: found.length } });
        return { ...contacts, found, available: true };
      } catch (error) {
        await usage(tenantId, runId, "lusha", { calls: 1, errors: 1 });
        if (error instanceof VendorError && error.name === "QuotaExceeded") {
          await raiseRunAlert(tenantId, runId, "vendor_quota", "warning", "Lusha quota reached; continuing without its contacts.");
        }
        note({ tool: "lusha", status: "error", message: `Lusha failed: ${(error as Error).message}` });
        return contacts;
      }
    });
  }

  // --- persist features and contacts, queue emails (no guessed addresses, ever)
  const pendingEmails = await db.$withTenant(tenantId, async (tx) => {
    const started = performance.now();
    const at = new Date().toISOString();
    const provenance = Object.fromEntries(
      Object.entries(profile.provenance).map(([field, by]) => [field, { source: by === "llm" ? "llm_extraction" : "rules_extraction", at }]),
    );
    Object.assign(provenance, {
      domain: { source: domain.source ?? "none", at },
      crawl: { source: tavilyUsed ? "crawler+tavily" : "crawler", at },
    });
    const features = {
      runId,
      domain: domain.domain,
      domainSource: domain.source,
      domainEvidence: domain.evidence as object,
      crawlStatus: crawl?.status ?? (domain.domain ? "error" : "none"),
      crawlReason: crawl?.reason ?? null,
      tavilyUsed,
      contentSha256: merged.sha256,
      aboutText: profile.about_text,
      industry: profile.industry,
      headcountEstimate: profile.headcount_estimate,
      products: profile.products,
      locations: profile.locations,
      phones: profile.phones,
      contactsStatus: contacts.outcome,
      provenance: provenance as object,
      enrichedAt: now,
      updatedAt: now,
    };
    await tx.leadFeature.upsert({ where: { tenantId_uen: { tenantId, uen } }, create: { tenantId, uen, ...features }, update: features });
    for (const page of pages) {
      const row = {
        kind: page.kind,
        source: page.source,
        status: page.status,
        title: page.title,
        text: page.text,
        sha256: page.sha256,
        bytes: page.bytes,
        fetchedAt: now,
      };
      await tx.crawlPage.upsert({
        where: { tenantId_uen_url: { tenantId, uen, url: page.url } },
        create: { tenantId, uen, url: page.url, ...row },
        update: row,
      });
    }
    const contactIds = new Map<string, string>();
    for (const c of contacts.found) {
      const data = {
        fullName: c.fullName,
        title: c.title,
        companyCurrent: c.companyCurrent,
        location: c.location,
        source: c.source,
        provenance: { source: c.source, at } as object,
        updatedAt: now,
      };
      const saved = await tx.leadContact.upsert({
        where: { tenantId_uen_linkedinUrl: { tenantId, uen, linkedinUrl: c.linkedinUrl } },
        create: { tenantId, uen, linkedinUrl: c.linkedinUrl, ...data },
        update: data,
        select: { id: true },
      });
      if (c.email) contactIds.set(c.email.toLowerCase(), saved.id);
    }

    const candidates = [
      ...profile.emails.map((e) => ({ email: e, source: "website" })),
      ...contacts.found.filter((c) => c.email).map((c) => ({ email: c.email!, source: c.source })),
    ];
    const policy = applyEmailPolicy(
      candidates.map((c) => c.email),
      {
        freeMail: run.rules.freeMail === "allow" || run.rules.freeMail === "allow_low_confidence" ? "allow_low_confidence" : "exclude",
        suppression: run.suppression,
      },
    );
    const sourceOf = new Map(candidates.map((c) => [c.email.toLowerCase(), c.source]));
    let pending = 0;
    for (const kept of policy.kept) {
      const cached = await tx.emailVerification.findUnique({ where: { tenantId_email: { tenantId, email: kept.email } } });
      const fresh = cached && now.getTime() - cached.checkedAt.getTime() < 90 * 24 * 60 * 60 * 1000 && cached.status !== "unknown";
      const status = fresh ? cached.status : "pending";
      if (!fresh) pending++;
      const data = {
        contactId: contactIds.get(kept.email) ?? null,
        source: sourceOf.get(kept.email) ?? "website",
        verificationStatus: status,
        subStatus: fresh ? cached.subStatus : null,
        verifiedAt: fresh ? cached.checkedAt : null,
        updatedAt: now,
      };
      await tx.leadEmail.upsert({
        where: { tenantId_uen_email: { tenantId, uen, email: kept.email } },
        create: { tenantId, uen, email: kept.email, ...data },
        update: data,
      });
    }
    if (policy.kept.length && pending < policy.kept.length) {
      await addVendorUsage(tx, runId, "zerobounce", { cacheHits: policy.kept.length - pending });
    }
    await logStep(tx, {
      runId,
      uen,
      stage: "emails",
      event: "queued",
      status: "ok",
      durationMs: performance.now() - started,
      args: { kept: policy.kept.length, dropped: policy.dropped.map((d) => d.reason), pending },
    });
    return pending;
  });

  return { pendingEmails, filtered: false };

  async function usage(t: string, r: string, vendor: string, delta: Parameters<typeof addVendorUsage>[3]) {
    const unitCost = VENDOR_UNIT_COST_USD[vendor] ?? 0;
    await db.$withTenant(t, (tx) => addVendorUsage(tx, r, vendor, { ...delta, costUsd: (delta.units ?? delta.calls ?? 0) * unitCost }));
  }
}

/** Completion tokens an extraction may use; reserved in full against the daily budget. */
const EXTRACTION_MAX_TOKENS = 800;

/**
 * AI extraction under the tenant's hard daily token budget; past the budget
 * (or without an LLM) the deterministic extractor does the job.
 */
async function extractWithinBudget(tenantId: string, runId: string, pages: SourcePage[], clients: LeadEngineClients) {
  if (!clients.llm || pages.length === 0) return { ...(await extractCompanyProfile(pages)), overBudget: false };
  const promptChars = pages.reduce((n, p) => n + p.text.length, 0);
  const reserve = Math.ceil(Math.min(promptChars, 24_000) / 3) + EXTRACTION_MAX_TOKENS;
  const noUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const budgeted = await withTokenBudget(db, tenantId, reserve, async () => {
    const profile = await extractCompanyProfile(pages, { llm: clients.llm, maxTokens: EXTRACTION_MAX_TOKENS });
    return { profile, usage: profile.usage ?? noUsage };
  });
  if (budgeted.status === "over_budget") return { ...(await extractCompanyProfile(pages)), overBudget: true };
  if (budgeted.usage.total_tokens > 0) await db.$withTenant(tenantId, (tx) => addVendorUsage(tx, runId, "llm", llmUsageDelta(budgeted.usage.total_tokens)));
  if (budgeted.value.profile.llmError) {
    await db.$withTenant(tenantId, (tx) => addVendorUsage(tx, runId, "llm", { calls: 1, errors: 1 }));
    await raiseVendorFailureAlert(tenantId, runId, "llm", budgeted.value.profile.llmErrorName);
  }
  return { ...budgeted.value.profile, overBudget: false };
}

/** Contacts found within this window are reused instead of bought again. */
const CONTACTS_FRESH_MS = 30 * 24 * 60 * 60 * 1000;

type ContactFound = {
  fullName: string;
  title: string | null;
  companyCurrent: string | null;
  linkedinUrl: string;
  location: string | null;
  email: string | null;
  source: string;
};

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

/** Seed §16's event rows: stage `contact_discovery`, event `vendor_call`, one per actor run with its status and duration. */
async function logContactVendorCalls(tenantId: string, runId: string, uen: string, calls: ApifyVendorCall[]) {
  if (calls.length === 0) return;
  await db.$withTenant(tenantId, async (tx) => {
    for (const call of calls) {
      await logStep(tx, {
        runId,
        uen,
        stage: "contact_discovery",
        event: "vendor_call",
        status: call.ok ? "ok" : "error",
        tool: APIFY_LINKEDIN_VENDOR,
        durationMs: call.durationMs,
        args: { actor: call.actorId },
        message: call.error,
      });
    }
  });
  // Quota is alerted from the chain's outcome; a rate limit only shows here, per call.
  if (calls.some((c) => c.errorName === "RateLimited")) await raiseVendorFailureAlert(tenantId, runId, "apify", "RateLimited");
}

type Note = (update: { tool?: string; status?: "ok" | "error" | "skipped" | "info"; args?: Record<string, unknown>; message?: string }) => void;

/**
 * Runs one stage, timing it and writing its step event (which the progress
 * stream pushes). A stage that throws is recorded as an error and rethrown:
 * only unexpected failures (not vendor trouble, caught inside) get here.
 */
function stepRecorder(tenantId: string, runId: string, uen: string) {
  return async function step<T>(stage: Stage, event: string, work: (note: Note) => Promise<T>): Promise<T> {
    const started = performance.now();
    const noted: Parameters<Note>[0] = {};
    try {
      const value = await work((update) => Object.assign(noted, update));
      // One short transaction per stage: the company's current stage and the step's event.
      await db.$withTenant(tenantId, async (tx) => {
        await tx.runCompany.updateMany({ where: { runId, uen }, data: { stage, updatedAt: new Date() } });
        await logStep(tx, {
          runId,
          uen,
          stage,
          event,
          status: noted.status ?? "ok",
          tool: noted.tool,
          args: noted.args,
          message: noted.message,
          durationMs: performance.now() - started,
        });
      });
      return value;
    } catch (error) {
      await db.$withTenant(tenantId, (tx) =>
        logStep(tx, {
          runId,
          uen,
          stage,
          event,
          status: "error",
          tool: noted.tool,
          args: noted.args,
          message: (error as Error).message,
          durationMs: performance.now() - started,
        }),
      );
      throw error;
    }
  };
}

/** Tavily search for the company's own site, skipping directories and social networks. */
async function domainFromSearch(clients: LeadEngineClients, run: RunContext, company: RegistryCompany) {
  if (!clients.tavily) return null;
  try {
    const result = await clients.tavily.search({ query: `${company.name} Singapore official website`, maxResults: 5 });
    await recordUsage(run, "tavily", { calls: 1, units: result.credits });
    for (const hit of result.results) {
      const host = hostOf(hit.url);
      if (!host || NOT_A_COMPANY_SITE.test(host)) continue;
      const score = nameMatchScore(company.name, searchHitAsPage(hit));
      if (score >= 0.5) return { domain: host.replace(/^www\./, ""), evidence: { step: "tavily_search", url: hit.url, score } };
    }
  } catch (error) {
    await recordUsage(run, "tavily", { calls: 1, errors: 1 });
    await vendorAlertFor(run, "tavily", error);
  }
  return null;
}

/** A search result read like a page, so the name check that verifies crawled homepages applies to it too. */
function searchHitAsPage(hit: { title: string; content: string }): PageText {
  return {
    title: hit.title,
    description: "",
    text: hit.content,
    boilerplate: "",
    headings: [],
    links: [],
    emails: [],
    phones: [],
    organizations: [],
    wordCount: hit.content.split(/\s+/).length,
  };
}

/** The website field of the company's LinkedIn page, through the Apify company actor (counts against the cap). */
async function domainFromApifyCompany(clients: LeadEngineClients, run: RunContext, company: RegistryCompany) {
  if (!clients.apify || !clients.apifyFlags.enabled) return null;
  const guard = dailyCapGuard(run.tenantId, clients.apifyDailyCap);
  if (!(await guard.tryConsume(APIFY_LINKEDIN_VENDOR, 1))) return null;
  try {
    const actor = clients.apify.config.actors?.company ?? DEFAULT_ACTORS.company;
    const items = await clients.apify.runActorSync(actor, companyLookupInput(company.name));
    await recordUsage(run, APIFY_LINKEDIN_VENDOR, { calls: 1, units: 1 });
    const first = (items as Array<{ website?: string | null; name?: string | null }>)[0];
    const host = first?.website ? hostOf(first.website) : null;
    if (host && !NOT_A_COMPANY_SITE.test(host)) return { domain: host.replace(/^www\./, ""), evidence: { step: "apify_company", website: first!.website } };
  } catch (error) {
    await recordUsage(run, APIFY_LINKEDIN_VENDOR, { calls: 1, units: 1, errors: 1 });
    await vendorAlertFor(run, "apify", error);
  }
  return null;
}

/** The fallback stops early once it has a solid about text. */
const STRONG_SIGNAL_WORDS = 120;

type TavilyPage = SourcePage & { sha256: string; source: "tavily"; status: null; bytes: number };

/** A page of text Tavily gave us, in the shape the merge step stores. */
function tavilyPage(url: string, kind: SourcePage["kind"], title: string, text: string): TavilyPage {
  return { url, kind, title, text, sha256: createHash("sha256").update(text).digest("hex"), source: "tavily", status: null, bytes: Buffer.byteLength(text) };
}

async function tavilyPages(clients: LeadEngineClients, run: RunContext, domain: string, crawl: CrawlResult) {
  const urls = tavilyExtractUrls(domain, crawl);
  const out: TavilyPage[] = [];
  try {
    const result = await clients.tavily!.extract({ urls });
    await recordUsage(run, "tavily", { calls: 1, units: result.credits });
    let words = 0;
    for (const page of result.results) {
      if (words >= STRONG_SIGNAL_WORDS * 3) break;
      const text = page.raw_content.trim();
      if (!text) continue;
      words += text.split(/\s+/).length;
      const kind = /about|who-we-are/i.test(page.url) ? "about" : /contact/i.test(page.url) ? "contact" : "home";
      out.push(tavilyPage(page.url, kind, text.split("\n")[0]!.slice(0, 200), text));
    }
  } catch (error) {
    await recordUsage(run, "tavily", { calls: 1, errors: 1 });
    await vendorAlertFor(run, "tavily", error);
  }
  return out;
}

/** What search engines show publicly about a site that refuses crawlers: the hits on the company's own domain. */
async function tavilySnippets(clients: LeadEngineClients, run: RunContext, company: RegistryCompany, domain: string) {
  const out: TavilyPage[] = [];
  try {
    const result = await clients.tavily!.search({ query: `${company.name} ${domain}`, maxResults: 5 });
    await recordUsage(run, "tavily", { calls: 1, units: result.credits });
    for (const hit of result.results) {
      const host = hostOf(hit.url)?.replace(/^www\./, "");
      const text = hit.content.trim();
      if (!text || !host || (host !== domain && !host.endsWith(`.${domain}`))) continue;
      out.push(tavilyPage(hit.url, "search_snippet", hit.title, text));
    }
  } catch (error) {
    await recordUsage(run, "tavily", { calls: 1, errors: 1 });
    await vendorAlertFor(run, "tavily", error);
  }
  return out;
}

async function recordUsage(run: RunContext, vendor: string, delta: Parameters<typeof addVendorUsage>[3]) {
  const unitCost = VENDOR_UNIT_COST_USD[vendor] ?? 0;
  await db.$withTenant(run.tenantId, (tx: TenantTx) => addVendorUsage(tx, run.runId, vendor, { ...delta, costUsd: (delta.units ?? 0) * unitCost }));
}

async function vendorAlertFor(run: RunContext, vendor: string, error: unknown) {
  log().warn({ vendor, reason: (error as Error).message }, "vendor call failed; continuing");
  await raiseVendorFailureAlert(run.tenantId, run.runId, vendor, (error as Error).name);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url.includes("://") ? url : `https://${url}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}
