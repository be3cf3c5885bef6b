import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, platformDb } from "~/db.server";
import { type CompanyProfile } from "~/enrichment/extract.server";
import { PROFILE_FIELDS } from "~/enrichment/profile-rules.server";
import { type ContactFound } from "~/runs/contact-discovery.server";
import { type CompanyEnrichment } from "~/runs/enrichment-step.server";
import { queueEmails } from "~/runs/queue-emails.server";
import { saveEnrichment } from "~/runs/save-enrichment.server";
import { type WebsitePage } from "~/runs/website-pages.server";

/**
 * A company's findings are written in one transaction. Each statement in it
 * is a round trip during which the transaction holds a pool connection and
 * the rows it wrote; a worker short of CPU makes every round trip long, and
 * in the three-worker run a save of one statement per page and per contact
 * outlasted the transaction's 15 s and failed the company's job. So the pages
 * and the contacts are one statement each, however many there are.
 */
const sendQuery = pg.Client.prototype.query;
afterEach(() => vi.restoreAllMocks());

/** The statements sent to Postgres while `fn` runs, by their first words. */
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

describe("saving a company's findings", () => {
  it("writes its pages and its contacts in one statement each, however many, and maps each address to its contact", async () => {
    const tenant = await platformDb.tenant.create({ data: { slug: "save-findings", name: "Save findings", status: "active" } });
    const tenantId = tenant.id;
    const run = await db.$withTenant(tenantId, (tx) =>
      tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1 } }),
    );
    const uen = "201800021A";
    const e = { run: { tenantId, runId: run.id }, uen, now: new Date("2026-12-18T02:00:00Z") } as unknown as CompanyEnrichment;
    // A page the crawl and Tavily both returned is saved once, as it came last.
    const pages = [...Array.from({ length: 12 }, (_, i) => page(i)), { ...page(5), text: "Tavily's copy", source: "tavily" as const }];
    const found = [person(0, "p0@acme.example.sg"), person(1, null), ...Array.from({ length: 6 }, (_, i) => person(i + 2, `p${i + 2}@acme.example.sg`))];
    const findings = (contacts: ContactFound[]) => ({
      domain: { domain: "acme.example.sg", source: "crawler_discovery", evidence: [] },
      website: { crawl: null, pages, tavilyUsed: true, contentSha256: "all" },
      profile,
      contacts: { outcome: "ok" as const, found: contacts },
    });

    const { result: ids, sent } = await statementsOf(() =>
      db.$withTenant(tenantId, (tx) => saveEnrichment(tx, e, findings(found), "2026-12-18T02:00:00.000Z")),
    );
    const writes = sent.filter((text) => /^(INSERT|UPDATE)/i.test(text));
    expect(writes).toHaveLength(3);

    const stored = await db.$withTenant(tenantId, async (tx) => ({
      pages: await tx.crawlPage.findMany({
        where: { uen },
        orderBy: { url: "asc" },
        select: { url: true, text: true, source: true, status: true, bytes: true },
      }),
      contacts: await tx.leadContact.findMany({ where: { uen }, select: { id: true, linkedinUrl: true, title: true, provenance: true } }),
    }));
    expect(stored.pages).toHaveLength(12);
    expect(stored.pages.find((p) => p.url.endsWith("page-5"))).toMatchObject({ text: "Tavily's copy", source: "tavily" });
    expect(stored.pages.find((p) => p.url.endsWith("page-3"))).toMatchObject({ status: null, bytes: 1003 });
    expect(stored.contacts).toHaveLength(8);
    expect(stored.contacts[0]!.provenance).toEqual({ source: "apify", at: "2026-12-18T02:00:00.000Z" });
    const idOf = new Map(stored.contacts.map((c) => [c.linkedinUrl, c.id]));
    expect([...ids].sort()).toEqual(
      found
        .filter((c) => c.email)
        .map((c) => [c.email!, idOf.get(c.linkedinUrl)!])
        .sort(),
    );

    // Saved again (a repeated job): the same rows, updated in place, with the same contact ids.
    const again = await db.$withTenant(tenantId, (tx) => saveEnrichment(tx, e, findings([{ ...found[0]!, title: "CEO" }]), "2026-12-19T02:00:00.000Z"));
    expect(again.get("p0@acme.example.sg")).toBe(ids.get("p0@acme.example.sg"));
    const updated = await db.$withTenant(tenantId, (tx) => tx.leadContact.findFirstOrThrow({ where: { uen, linkedinUrl: found[0]!.linkedinUrl } }));
    expect(updated).toMatchObject({ title: "CEO", provenance: { source: "apify", at: "2026-12-19T02:00:00.000Z" } });
    expect(await db.$withTenant(tenantId, (tx) => tx.crawlPage.count({ where: { uen } }))).toBe(12);
  });

  it("queues its addresses with one read of the cached verifications and one write, however many, reusing the fresh ones", async () => {
    const tenant = await platformDb.tenant.create({ data: { slug: "queue-emails", name: "Queue emails", status: "active" } });
    const tenantId = tenant.id;
    const run = await db.$withTenant(tenantId, (tx) =>
      tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1 } }),
    );
    const uen = "201800022B";
    const now = new Date("2026-12-18T02:00:00Z");
    const e = { run: { tenantId, runId: run.id, rules: {}, suppression: { emails: [], domains: [] } }, uen, now } as unknown as CompanyEnrichment;
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    await db.$withTenant(tenantId, (tx) =>
      tx.emailVerification.createMany({
        data: [
          { email: "fresh@acme.example.sg", status: "verified", subStatus: "ok", checkedAt: daysAgo(3) },
          { email: "stale@acme.example.sg", status: "verified", checkedAt: daysAgo(120) },
          { email: "unsure@acme.example.sg", status: "unknown", checkedAt: daysAgo(1) },
        ],
      }),
    );
    const contact = await db.$withTenant(tenantId, (tx) =>
      tx.leadContact.create({ data: { uen, fullName: "Person 1", linkedinUrl: "https://www.linkedin.com/in/person-1", source: "apify" } }),
    );
    const contacts = [person(1, "fresh@acme.example.sg"), person(2, "new@acme.example.sg")];
    const input = {
      websiteEmails: ["sales@acme.example.sg", "stale@acme.example.sg", "unsure@acme.example.sg"],
      contacts,
      contactIds: new Map([["fresh@acme.example.sg", contact.id]]),
    };

    const { result, sent } = await statementsOf(() => db.$withTenant(tenantId, (tx) => queueEmails(tx, e, input)));
    // The cache read, the addresses, and the run's ZeroBounce cache hit.
    expect(sent.filter((text) => /^(SELECT|INSERT|UPDATE)/i.test(text))).toHaveLength(3);
    expect(result.pending).toBe(4);

    const stored = await db.$withTenant(tenantId, (tx) =>
      tx.leadEmail.findMany({
        where: { uen },
        orderBy: { email: "asc" },
        select: { email: true, contactId: true, source: true, verificationStatus: true, subStatus: true, verifiedAt: true },
      }),
    );
    expect(stored).toEqual([
      { email: "fresh@acme.example.sg", contactId: contact.id, source: "apify", verificationStatus: "verified", subStatus: "ok", verifiedAt: daysAgo(3) },
      { email: "new@acme.example.sg", contactId: null, source: "apify", verificationStatus: "pending", subStatus: null, verifiedAt: null },
      { email: "sales@acme.example.sg", contactId: null, source: "website", verificationStatus: "pending", subStatus: null, verifiedAt: null },
      { email: "stale@acme.example.sg", contactId: null, source: "website", verificationStatus: "pending", subStatus: null, verifiedAt: null },
      { email: "unsure@acme.example.sg", contactId: null, source: "website", verificationStatus: "pending", subStatus: null, verifiedAt: null },
    ]);
    const usage = await db.$withTenant(tenantId, (tx) => tx.runVendorUsage.findMany({ where: { runId: run.id }, select: { vendor: true, cacheHits: true } }));
    expect(usage).toEqual([{ vendor: "zerobounce", cacheHits: 1 }]);

    // Queued again (a repeated job): the same rows, updated in place.
    await db.$withTenant(tenantId, (tx) => queueEmails(tx, e, input));
    expect(await db.$withTenant(tenantId, (tx) => tx.leadEmail.count({ where: { uen } }))).toBe(5);
  });
});
