import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, platformDb } from "~/db.server";
import { type CompanyProfile } from "~/enrichment/extract.server";
import { PROFILE_FIELDS } from "~/enrichment/profile-rules.server";
import { type ContactFound } from "~/runs/contact-discovery.server";
import { type CompanyEnrichment } from "~/runs/enrichment-step.server";
import { addressesToQueue } from "~/runs/queue-emails.server";
import { type StepEvent } from "~/runs/run-log.server";
import { saveFindings } from "~/runs/save-enrichment.server";
import { type WebsitePage } from "~/runs/website-pages.server";

/**
 * A company's findings — features, pages, contacts, its addresses with their
 * cached verifications, the run's cache hits and the emails step — are one
 * statement that the server commits itself, however many pages, contacts and
 * addresses there are. As a transaction they were a statement each and a
 * COMMIT: round trips during which it held a pool connection and the rows it
 * wrote, and a worker short of CPU made each of them long (in the
 * three-worker run a save of one statement per page and per contact outlasted
 * the transaction's 15 s and failed the company's job).
 */
const sendQuery = pg.Client.prototype.query;
afterEach(() => vi.restoreAllMocks());

/** The statements sent to Postgres while `fn` runs, by their first words (the tenant setting travels inside the first). */
async function statementsOf<T>(fn: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [config] = args as [{ text?: string } | string];
    const text = typeof config === "string" ? config : config?.text;
    if (text) sent.push(text.trim().replace(/\s+/g, " ").slice(0, 40));
    return (sendQuery as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  const result = await fn();
  vi.restoreAllMocks();
  return { result, sent };
}

const page = (i: number): WebsitePage => ({
  url: `https://acme.example.sg/page-${i}`,
  kind: i === 0 ? "home" : "other",
  title: `Page ${i}`,
  text: `Text of page ${i}`,
  sha256: `sha-${i}`,
  source: "crawler",
  status: i === 3 ? null : 200,
  bytes: 1000 + i,
});

const person = (i: number, email: string | null): ContactFound => ({
  fullName: `Person ${i}`,
  title: i % 2 ? "Director" : null,
  companyCurrent: "Acme",
  linkedinUrl: `https://www.linkedin.com/in/person-${i}`,
  location: null,
  email,
  source: "apify",
});

const profile: CompanyProfile = {
  about_text: "We make things.",
  industry: "IT services",
  headcount_estimate: 40,
  products: ["Widgets"],
  locations: ["Singapore"],
  emails: [],
  phones: [],
  provenance: Object.fromEntries(PROFILE_FIELDS.map((field) => [field, "rules"])) as CompanyProfile["provenance"],
};

const emailsStep = (runId: string, uen: string): StepEvent => ({
  runId,
  uen,
  stage: "emails",
  event: "queued",
  status: "ok",
  durationMs: 3,
  args: { kept: 0, dropped: [], suppressedPeople: 0 },
});

async function newRun(slug: string) {
  const tenant = await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  const run = await db.$withTenant(tenant.id, (tx) =>
    tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1 } }),
  );
  return { tenantId: tenant.id, runId: run.id };
}

describe("saving a company's findings", () => {
  it("writes its features, pages and contacts in one statement, however many, and maps each address to its contact", async () => {
    const { tenantId, runId } = await newRun("save-findings");
    const uen = "201800021A";
    const e = {
      run: { tenantId, runId, rules: {}, suppression: { emails: [], domains: [] } },
      uen,
      now: new Date("2026-12-18T02:00:00Z"),
    } as unknown as CompanyEnrichment;
    // A page the crawl and Tavily both returned is saved once, as it came last.
    const pages = [...Array.from({ length: 12 }, (_, i) => page(i)), { ...page(5), text: "Tavily's copy", source: "tavily" as const }];
    const found = [person(0, "p0@acme.example.sg"), person(1, null), ...Array.from({ length: 6 }, (_, i) => person(i + 2, `p${i + 2}@acme.example.sg`))];
    const findings = (contacts: ContactFound[]) => ({
      domain: { domain: "acme.example.sg", source: "crawler_discovery", evidence: [{ step: "guess" }] },
      website: { crawl: null, pages, tavilyUsed: true, contentSha256: "all" },
      profile,
      contacts: { outcome: "ok" as const, found: contacts },
    });
    const save = (contacts: ContactFound[], at: string) =>
      saveFindings(e, findings(contacts), { addresses: addressesToQueue(e, { websiteEmails: [], contacts }).addresses, step: emailsStep(runId, uen) }, at);

    const { result, sent } = await statementsOf(() => save(found, "2026-12-18T02:00:00.000Z"));
    expect(sent).toEqual(["WITH features AS ( INSERT INTO lead_feat"]);
    expect(result).toEqual({ pending: 7 });

    const stored = await db.$withTenant(tenantId, async (tx) => ({
      features: await tx.leadFeature.findFirstOrThrow({
        where: { uen },
        select: {
          runId: true,
          domain: true,
          domainEvidence: true,
          crawlStatus: true,
          tavilyUsed: true,
          headcountEstimate: true,
          products: true,
          enrichedAt: true,
        },
      }),
      pages: await tx.crawlPage.findMany({
        where: { uen },
        orderBy: { url: "asc" },
        select: { url: true, text: true, source: true, status: true, bytes: true },
      }),
      contacts: await tx.leadContact.findMany({ where: { uen }, select: { id: true, linkedinUrl: true, title: true, provenance: true } }),
      emails: await tx.leadEmail.findMany({ where: { uen }, orderBy: { email: "asc" }, select: { email: true, contactId: true } }),
    }));
    expect(stored.features).toEqual({
      runId,
      domain: "acme.example.sg",
      domainEvidence: [{ step: "guess" }],
      crawlStatus: "error",
      tavilyUsed: true,
      headcountEstimate: 40,
      products: ["Widgets"],
      enrichedAt: new Date("2026-12-18T02:00:00Z"),
    });
    expect(stored.pages).toHaveLength(12);
    expect(stored.pages.find((p) => p.url.endsWith("page-5"))).toMatchObject({ text: "Tavily's copy", source: "tavily" });
    expect(stored.pages.find((p) => p.url.endsWith("page-3"))).toMatchObject({ status: null, bytes: 1003 });
    expect(stored.contacts).toHaveLength(8);
    expect(stored.contacts[0]!.provenance).toEqual({ source: "apify", at: "2026-12-18T02:00:00.000Z" });
    const idOf = new Map(stored.contacts.map((c) => [c.linkedinUrl, c.id]));
    expect(stored.emails).toEqual(
      found
        .filter((c) => c.email)
        .map((c) => ({ email: c.email!, contactId: idOf.get(c.linkedinUrl)! }))
        .sort((a, b) => a.email.localeCompare(b.email)),
    );

    // Saved again (a repeated job): the same rows, updated in place, with the same contact ids.
    await save([{ ...found[0]!, title: "CEO" }], "2026-12-19T02:00:00.000Z");
    const again = await db.$withTenant(tenantId, async (tx) => ({
      contact: await tx.leadContact.findFirstOrThrow({ where: { uen, linkedinUrl: found[0]!.linkedinUrl } }),
      email: await tx.leadEmail.findFirstOrThrow({ where: { uen, email: "p0@acme.example.sg" }, select: { contactId: true } }),
      pages: await tx.crawlPage.count({ where: { uen } }),
    }));
    expect(again.contact).toMatchObject({ title: "CEO", provenance: { source: "apify", at: "2026-12-19T02:00:00.000Z" } });
    expect(again.email.contactId).toBe(idOf.get(found[0]!.linkedinUrl));
    expect(again.pages).toBe(12);
  });

  it("queues its addresses with the fresh cached verifications reused, counts the cache hits and logs the emails step", async () => {
    const { tenantId, runId } = await newRun("queue-emails");
    const uen = "201800022B";
    const now = new Date("2026-12-18T02:00:00Z");
    const e = { run: { tenantId, runId, rules: {}, suppression: { emails: [], domains: [] } }, uen, now } as unknown as CompanyEnrichment;
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    await db.$withTenant(tenantId, (tx) =>
      tx.emailVerification.createMany({
        data: [
          { email: "fresh@acme.example.sg", status: "verified", subStatus: "ok", checkedAt: daysAgo(3) },
          { email: "edge@acme.example.sg", status: "invalid", subStatus: "mailbox_not_found", checkedAt: daysAgo(89) },
          { email: "stale@acme.example.sg", status: "verified", checkedAt: daysAgo(90) },
          { email: "unsure@acme.example.sg", status: "unknown", checkedAt: daysAgo(1) },
        ],
      }),
    );
    const contact = await db.$withTenant(tenantId, (tx) =>
      tx.leadContact.create({ data: { uen, fullName: "Person 1", linkedinUrl: "https://www.linkedin.com/in/person-1", source: "apify" } }),
    );
    const contacts = [person(1, "fresh@acme.example.sg"), person(2, "new@acme.example.sg")];
    const queued = addressesToQueue(e, {
      websiteEmails: ["sales@acme.example.sg", "stale@acme.example.sg", "unsure@acme.example.sg", "edge@acme.example.sg"],
      contacts,
    });
    const findings = {
      domain: { domain: "acme.example.sg", source: "crawler_discovery", evidence: [] },
      website: { crawl: null, pages: [], tavilyUsed: false, contentSha256: null },
      profile,
      contacts: { outcome: "ok" as const, found: contacts },
    };
    const step = { ...emailsStep(runId, uen), args: { kept: queued.kept.length, dropped: [], suppressedPeople: 0 } };
    const { result, sent } = await statementsOf(() => saveFindings(e, findings, { addresses: queued.addresses, step }, now.toISOString()));
    expect(sent).toHaveLength(1);
    expect(result).toEqual({ pending: 4 });

    const stored = await db.$withTenant(tenantId, (tx) =>
      tx.leadEmail.findMany({
        where: { uen },
        orderBy: { email: "asc" },
        select: { email: true, contactId: true, source: true, verificationStatus: true, subStatus: true, verifiedAt: true },
      }),
    );
    // The contact saved before keeps its id; the new one's is the id the same statement gave it.
    const newContact = await db.$withTenant(tenantId, (tx) => tx.leadContact.findFirstOrThrow({ where: { uen, linkedinUrl: contacts[1]!.linkedinUrl } }));
    expect(stored).toEqual([
      {
        email: "edge@acme.example.sg",
        contactId: null,
        source: "website",
        verificationStatus: "invalid",
        subStatus: "mailbox_not_found",
        verifiedAt: daysAgo(89),
      },
      { email: "fresh@acme.example.sg", contactId: contact.id, source: "apify", verificationStatus: "verified", subStatus: "ok", verifiedAt: daysAgo(3) },
      { email: "new@acme.example.sg", contactId: newContact.id, source: "apify", verificationStatus: "pending", subStatus: null, verifiedAt: null },
      { email: "sales@acme.example.sg", contactId: null, source: "website", verificationStatus: "pending", subStatus: null, verifiedAt: null },
      { email: "stale@acme.example.sg", contactId: null, source: "website", verificationStatus: "pending", subStatus: null, verifiedAt: null },
      { email: "unsure@acme.example.sg", contactId: null, source: "website", verificationStatus: "pending", subStatus: null, verifiedAt: null },
    ]);
    const logged = await db.$withTenant(tenantId, (tx) =>
      tx.runEventLog.findMany({ where: { runId }, select: { uen: true, stage: true, event: true, status: true, args: true, durationMs: true } }),
    );
    expect(logged).toEqual([
      { uen, stage: "emails", event: "queued", status: "ok", args: { kept: 6, dropped: [], suppressedPeople: 0, pending: 4 }, durationMs: expect.any(Number) },
    ]);
    expect(logged[0]!.durationMs).toBeGreaterThanOrEqual(3);
    const usage = () =>
      db.$withTenant(tenantId, (tx) => tx.runVendorUsage.findMany({ where: { runId }, select: { vendor: true, cacheHits: true, calls: true } }));
    expect(await usage()).toEqual([{ vendor: "zerobounce", cacheHits: 2, calls: 0 }]);

    // Queued again (a repeated job): the same rows, updated in place.
    await saveFindings(e, findings, { addresses: queued.addresses, step }, now.toISOString());
    expect(await db.$withTenant(tenantId, (tx) => tx.leadEmail.count({ where: { uen } }))).toBe(6);
    expect(await usage()).toEqual([{ vendor: "zerobounce", cacheHits: 4, calls: 0 }]);
  });

  it("adds no cache hits when no address was verified before, and stores a company without pages, contacts or addresses", async () => {
    const { tenantId, runId } = await newRun("save-bare");
    const uen = "201800023C";
    const e = {
      run: { tenantId, runId, rules: {}, suppression: { emails: [], domains: [] } },
      uen,
      now: new Date("2026-12-18T02:00:00Z"),
    } as unknown as CompanyEnrichment;
    const findings = {
      domain: { domain: null, source: null, evidence: [] },
      website: { crawl: null, pages: [], tavilyUsed: false, contentSha256: null },
      profile: { ...profile, products: [], about_text: null },
      contacts: { outcome: "error" as const, found: [] },
    };
    expect(await saveFindings(e, findings, { addresses: [], step: emailsStep(runId, uen) }, "2026-12-18T02:00:00.000Z")).toEqual({ pending: 0 });
    const stored = await db.$withTenant(tenantId, async (tx) => ({
      features: await tx.leadFeature.findFirstOrThrow({ where: { uen }, select: { domain: true, crawlStatus: true, contactsStatus: true, aboutText: true } }),
      usage: await tx.runVendorUsage.count({ where: { runId } }),
      events: await tx.runEventLog.count({ where: { runId, uen, stage: "emails" } }),
    }));
    expect(stored).toEqual({ features: { domain: null, crawlStatus: "none", contactsStatus: "error", aboutText: null }, usage: 0, events: 1 });
  });
});
