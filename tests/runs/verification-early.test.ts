import { describe, expect, it } from "vitest";
import { mapZeroBounceStatus } from "~/vendors/zerobounce.server";
import { createDefaultWorld } from "../sims/vendors/default-world";
import { runWith, verificationState } from "../support/verification-run";
import { zeroBounceSimulatorForFile } from "../support/zerobounce-env";

/**
 * A company's own site addresses are queued as soon as its pages are read,
 * and the run's verification job takes them while the company is still being
 * enriched: in a large run, ZeroBounce's window (5 calls a minute) sets the
 * end, and it no longer waits on each company's extraction and contacts.
 * The company is handed to scoring by its own job once it saves the rest; an
 * address verified meanwhile keeps its verdict, and a cache hit counts once.
 * A pass's calls go out together, each taking its place in the window at once.
 */
/** Calls the simulator has received and not yet answered, and the most at once. */
let inFlight = 0;
let mostInFlight = 0;
const zeroBounce = zeroBounceSimulatorForFile("zb-early-key", {
  latencyMs: () => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    return 1_000;
  },
  onServed: () => {
    inFlight -= 1;
  },
});
const world = createDefaultWorld();
/** The verdict the simulator's world gives the address, as the product stores it. */
const verdictOf = (email: string) => {
  const { status, sub_status } = world.emailStatus(email);
  return mapZeroBounceStatus(status, sub_status);
};

async function enrichingCompany(slug: string, uen: string) {
  const { db, platformDb } = await import("~/db.server");
  const tenant = await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  const run = await db.$withTenant(tenant.id, async (tx) => {
    const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-07"), targetCount: 1 } });
    await tx.runCompany.create({ data: { runId: run.id, uen, status: "running", stage: "crawl" } });
    return run;
  });
  const e = {
    run: { tenantId: tenant.id, runId: run.id, rules: {}, suppression: { emails: [], domains: [] } },
    uen,
    now: new Date(),
  };
  return { tenantId: tenant.id, runId: run.id, e };
}

describe("verifying a company's site addresses while it is still enriching", () => {
  it("verifies them in the run's next call, keeps their verdicts when the company saves its contacts, and scores it without waiting", async () => {
    const { db } = await import("~/db.server");
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    const { addressesToQueue } = await import("~/runs/queue-emails.server");
    const { queueSiteAddresses, saveFindings } = await import("~/runs/save-enrichment.server");
    type Enrichment = Parameters<typeof saveFindings>[0];
    const uen = "201900031C";
    const { tenantId, runId, e } = await enrichingCompany("verify-early", uen);
    const enrichment = e as unknown as Enrichment;
    // One of the site's addresses has a fresh verdict from an earlier run: no call, one cache hit.
    await db.$withTenant(tenantId, (tx) =>
      tx.emailVerification.create({ data: { email: "cached@harbour.example.sg", status: "verified", subStatus: "ok", checkedAt: new Date() } }),
    );
    const site = addressesToQueue(enrichment, {
      websiteEmails: ["sales@harbour.example.sg", "ops@harbour.example.sg", "cached@harbour.example.sg"],
      contacts: [],
    }).addresses;
    expect(await queueSiteAddresses(enrichment, site)).toEqual({ pending: 2 });

    const callsBefore = zeroBounce().batchCalls.length;
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(1);
    const verdicts = await db.$withTenant(tenantId, (tx) =>
      tx.leadEmail.findMany({ where: { uen }, orderBy: { email: "asc" }, select: { email: true, verificationStatus: true, contactId: true } }),
    );
    expect(verdicts).toEqual([
      { email: "cached@harbour.example.sg", verificationStatus: "verified", contactId: null },
      { email: "ops@harbour.example.sg", verificationStatus: verdictOf("ops@harbour.example.sg"), contactId: null },
      { email: "sales@harbour.example.sg", verificationStatus: verdictOf("sales@harbour.example.sg"), contactId: null },
    ]);
    // Still enriching: its own job hands it to scoring, not the verification job.
    expect((await verificationState(tenantId, runId)).jobs.filter((j) => j.task === "score_company")).toEqual([]);

    // The company saves what its contacts gave: a new address to verify, and one of the site's that is a contact's.
    const person = (name: string, email: string) => ({
      fullName: name,
      title: "Director",
      companyCurrent: "Harbour",
      linkedinUrl: `https://www.linkedin.com/in/${name.toLowerCase()}`,
      location: null,
      email,
      source: "apify",
    });
    const contacts = [person("Tan", "tan@harbour.example.sg"), person("Lee", "ops@harbour.example.sg")];
    const queued = addressesToQueue(enrichment, { websiteEmails: site.map((a) => a.email), contacts });
    const saved = await saveFindings(
      enrichment,
      {
        domain: { domain: "harbour.example.sg", source: "crawler_discovery", evidence: [] },
        website: { crawl: null, pages: [], tavilyUsed: false, contentSha256: null },
        profile: {
          about_text: null,
          industry: null,
          headcount_estimate: null,
          products: [],
          locations: [],
          emails: [],
          phones: [],
          provenance: {} as never,
        },
        contacts: { outcome: "ok", found: contacts },
      },
      {
        addresses: queued.addresses,
        queuedEarly: site.map((a) => a.email),
        step: { runId, uen, stage: "emails", event: "queued", status: "ok", durationMs: 1, args: {} },
      },
      new Date().toISOString(),
    );
    expect(saved).toEqual({ pending: 1 });
    const after = await db.$withTenant(tenantId, async (tx) => ({
      emails: await tx.leadEmail.findMany({ where: { uen }, orderBy: { email: "asc" }, select: { email: true, verificationStatus: true } }),
      lee: await tx.leadContact.findFirstOrThrow({ where: { uen, fullName: "Lee" }, select: { id: true } }),
      linked: await tx.leadEmail.findFirstOrThrow({ where: { uen, email: "ops@harbour.example.sg" }, select: { contactId: true } }),
      usage: await tx.runVendorUsage.findMany({ where: { runId }, select: { vendor: true, calls: true, units: true, cacheHits: true } }),
      logged: await tx.runEventLog.findFirstOrThrow({ where: { runId, stage: "emails" }, select: { args: true } }),
    }));
    expect(after.emails).toEqual([
      { email: "cached@harbour.example.sg", verificationStatus: "verified" },
      { email: "ops@harbour.example.sg", verificationStatus: verdictOf("ops@harbour.example.sg") },
      { email: "sales@harbour.example.sg", verificationStatus: verdictOf("sales@harbour.example.sg") },
      { email: "tan@harbour.example.sg", verificationStatus: "pending" },
    ]);
    expect(after.linked.contactId).toBe(after.lee.id);
    expect(after.usage).toEqual([{ vendor: "zerobounce", calls: 1, units: 2, cacheHits: 1 }]);
    expect(after.logged.args).toEqual({ pending: 1 });
  });

  it("counts the site addresses still out for verification as the company's pending ones when it saves", async () => {
    const { addressesToQueue } = await import("~/runs/queue-emails.server");
    const { queueSiteAddresses, saveFindings } = await import("~/runs/save-enrichment.server");
    type Enrichment = Parameters<typeof saveFindings>[0];
    const uen = "201900032D";
    const { runId, e } = await enrichingCompany("verify-early-out", uen);
    const enrichment = e as unknown as Enrichment;
    const site = addressesToQueue(enrichment, { websiteEmails: ["hello@quay.example.sg"], contacts: [] }).addresses;
    expect(await queueSiteAddresses(enrichment, site)).toEqual({ pending: 1 });
    // The extraction's own reading of the pages left that address out: it still waits, and the company with it.
    const saved = await saveFindings(
      enrichment,
      {
        domain: { domain: "quay.example.sg", source: "crawler_discovery", evidence: [] },
        website: { crawl: null, pages: [], tavilyUsed: false, contentSha256: null },
        profile: { about_text: null, industry: null, headcount_estimate: null, products: [], locations: [], emails: [], phones: [], provenance: {} as never },
        contacts: { outcome: "website", found: [] },
      },
      { addresses: [], queuedEarly: site.map((a) => a.email), step: { runId, uen, stage: "emails", event: "queued", status: "ok", args: {} } },
      new Date().toISOString(),
    );
    expect(saved).toEqual({ pending: 1 });
  });

  it("sends a pass's calls together, not one after another", async () => {
    const { runVerifyEmailsJob } = await import("~/runs/company-job.server");
    // 15 companies with 40 addresses each and nothing left to enrich: 600 addresses, three calls of 200.
    const { tenantId, runId } = await runWith("verify-together", 15, 40, 0);
    const callsBefore = zeroBounce().batchCalls.length;
    mostInFlight = 0;
    await runVerifyEmailsJob(tenantId, runId);
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(3);
    expect(mostInFlight).toBe(3);
    expect((await verificationState(tenantId, runId)).pending).toBe(0);
  });
});
