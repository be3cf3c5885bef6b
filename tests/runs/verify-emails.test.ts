import { describe, expect, it } from "vitest";
import { zeroBounceSimulatorForFile } from "../support/zerobounce-env";

/**
 * A verification batch is written back in two statements: every company's
 * address gets ZeroBounce's verdict, and the 90-day cache one row per address
 * even when two companies share it.
 */
const zeroBounce = zeroBounceSimulatorForFile("zb-key");

describe("a verification batch", () => {
  it("stores each address's verdict for every company that has it, and caches each address once", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { verifyPendingEmails } = await import("~/runs/verify-emails.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "verify-batch", name: "verify-batch", status: "active" } });
    // The simulator's verdicts: a deliverable address, a bounce, a role address and a greylisted one.
    const addresses = {
      "201100001A": ["sales@shared-office.sg", "bounce.jane@alpha.sg", "greylist.ops@alpha.sg"],
      "201100002B": ["sales@shared-office.sg", "info@beta.sg"],
    };
    const run = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: 2 } });
      for (const [uen, emails] of Object.entries(addresses)) {
        await tx.runCompany.create({ data: { runId: run.id, uen, status: "awaiting_verification" } });
        for (const email of emails) await tx.leadEmail.create({ data: { uen, email, source: "website" } });
      }
      return run;
    });

    expect((await verifyPendingEmails(tenant.id, run.id)).sort()).toEqual(["201100001A", "201100002B"]);

    const stored = await db.$withTenant(tenant.id, async (tx) => ({
      emails: await tx.leadEmail.findMany({
        select: { uen: true, email: true, verificationStatus: true, subStatus: true },
        orderBy: [{ uen: "asc" }, { email: "asc" }],
      }),
      cache: await tx.emailVerification.findMany({ select: { email: true, status: true, subStatus: true }, orderBy: { email: "asc" } }),
    }));
    expect(stored.emails).toEqual([
      { uen: "201100001A", email: "bounce.jane@alpha.sg", verificationStatus: "invalid", subStatus: "mailbox_not_found" },
      { uen: "201100001A", email: "greylist.ops@alpha.sg", verificationStatus: "unknown", subStatus: "greylisted" },
      { uen: "201100001A", email: "sales@shared-office.sg", verificationStatus: "verified", subStatus: "" },
      { uen: "201100002B", email: "info@beta.sg", verificationStatus: "do_not_mail", subStatus: "role_based" },
      { uen: "201100002B", email: "sales@shared-office.sg", verificationStatus: "verified", subStatus: "" },
    ]);
    // The greylisted address is not cached (the next run asks again); the shared one is cached once.
    expect(stored.cache).toEqual([
      { email: "bounce.jane@alpha.sg", status: "invalid", subStatus: "mailbox_not_found" },
      { email: "info@beta.sg", status: "do_not_mail", subStatus: "role_based" },
      { email: "sales@shared-office.sg", status: "verified", subStatus: "" },
    ]);
    expect(zeroBounce().batchCalls).toHaveLength(1);
  });

  it("asks ZeroBounce once for an address several companies wait on, and fills each call with 200 different addresses", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { verifyPendingEmails } = await import("~/runs/verify-emails.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "verify-shared", name: "verify-shared", status: "active" } });
    // Two companies on one website share its 150 addresses; the second has 50 of its own, a third company 100.
    const shared = Array.from({ length: 150 }, (_, i) => `person${i}@shared-site.sg`);
    const addresses = {
      "201100011A": shared,
      "201100012B": [...shared, ...Array.from({ length: 50 }, (_, i) => `own${i}@beta.sg`)],
      "201100013C": Array.from({ length: 100 }, (_, i) => `staff${i}@gamma.sg`),
    };
    const run = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: 3 } });
      for (const [uen, emails] of Object.entries(addresses)) {
        await tx.runCompany.create({ data: { runId: run.id, uen, status: "awaiting_verification" } });
        await tx.leadEmail.createMany({ data: emails.map((email) => ({ uen, email, source: "website" })) });
      }
      return run;
    });
    const callsBefore = zeroBounce().batchCalls.length;
    const creditsBefore = zeroBounce().credits();

    expect((await verifyPendingEmails(tenant.id, run.id)).sort()).toEqual(["201100011A", "201100012B", "201100013C"]);

    // 300 addresses in two calls of 200 and 100, each address once: 450 companies' rows made three calls before.
    expect(zeroBounce().batchCalls.length - callsBefore).toBe(2);
    expect(creditsBefore - zeroBounce().credits()).toBe(300);
    const batches = await db.$withTenant(tenant.id, (tx) =>
      tx.runEventLog.findMany({ where: { runId: run.id, stage: "verify", event: "batch" }, select: { args: true }, orderBy: { id: "asc" } }),
    );
    expect(batches.map((b) => (b.args as { emails: number }).emails)).toEqual([200, 100]);
    expect(await db.$withTenant(tenant.id, (tx) => tx.leadEmail.count({ where: { verificationStatus: "pending" } }))).toBe(0);
  });

  it("settles an address another company of the run had verified since, without a call", async () => {
    const { db, platformDb } = await import("~/db.server");
    const { verifyPendingEmails } = await import("~/runs/verify-emails.server");
    const tenant = await platformDb.tenant.create({ data: { slug: "verify-since", name: "verify-since", status: "active" } });
    const run = await db.$withTenant(tenant.id, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: 1 } });
      await tx.runCompany.create({ data: { runId: run.id, uen: "201100021A", status: "awaiting_verification" } });
      await tx.leadEmail.create({ data: { uen: "201100021A", email: "sales@shared-office.sg", source: "website" } });
      // The address was queued before another company's batch verified it.
      await tx.emailVerification.create({ data: { email: "sales@shared-office.sg", status: "verified", subStatus: "", checkedAt: new Date() } });
      return run;
    });
    const callsBefore = zeroBounce().batchCalls.length;

    expect(await verifyPendingEmails(tenant.id, run.id)).toEqual(["201100021A"]);

    expect(zeroBounce().batchCalls.length - callsBefore).toBe(0);
    const stored = await db.$withTenant(tenant.id, async (tx) => ({
      email: await tx.leadEmail.findFirstOrThrow({ select: { verificationStatus: true, subStatus: true } }),
      usage: await tx.runVendorUsage.findMany({ where: { runId: run.id }, select: { vendor: true, calls: true, cacheHits: true } }),
    }));
    expect(stored).toEqual({
      email: { verificationStatus: "verified", subStatus: "" },
      usage: [{ vendor: "zerobounce", calls: 0, cacheHits: 1 }],
    });
  });
});
