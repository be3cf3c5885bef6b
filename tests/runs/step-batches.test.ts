import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, platformDb } from "~/db.server";
import { recordCompanySteps } from "~/runs/run-log.server";
import { recordSentStatements } from "../support/sent-statements";

afterEach(() => vi.restoreAllMocks());

const UENS = ["201800031A", "201800032B", "201800033C"];

async function runOf(slug: string) {
  const tenantId = (await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } })).id;
  const runId = await db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 3 } });
    await tx.runCompany.createMany({ data: UENS.map((uen) => ({ runId: run.id, uen, status: "running" })) });
    return run.id;
  });
  return { tenantId, runId };
}

/**
 * The step events companies record at about the same time share one
 * statement: every stage of every company records one, and a statement each
 * was a fifth of a run's statements and a progress notification each.
 */
describe("step events", () => {
  it("of several companies, recorded together, are one statement that moves each company's stage", async () => {
    const { tenantId, runId } = await runOf("step-batch");
    const sent = recordSentStatements();
    await Promise.all([
      recordCompanySteps(
        tenantId,
        [{ runId, uen: UENS[0]!, stage: "crawl", event: "crawl", status: "ok", tool: "crawler", durationMs: 12.4, args: { pages: 3 } }],
        "crawl",
      ),
      recordCompanySteps(tenantId, [
        { runId, uen: UENS[1]!, stage: "contact_discovery", event: "vendor_call", status: "ok", args: { actor: "a" } },
        { runId, uen: UENS[1]!, stage: "contact_discovery", event: "vendor_call", status: "error", message: "mail me at tan@example.sg" },
      ]),
      recordCompanySteps(tenantId, [{ runId, uen: UENS[2]!, stage: "domain", event: "discover", status: "skipped" }], "domain"),
    ]);
    expect(sent).toEqual(["WITH"]);
    vi.restoreAllMocks();
    const stored = await db.$withTenant(tenantId, async (tx) => ({
      companies: await tx.runCompany.findMany({ where: { runId }, orderBy: { uen: "asc" }, select: { uen: true, stage: true } }),
      events: await tx.runEventLog.findMany({
        where: { runId },
        orderBy: { id: "asc" },
        select: { uen: true, stage: true, event: true, status: true, tool: true, durationMs: true, args: true, message: true },
      }),
    }));
    expect(stored.companies).toEqual([
      { uen: UENS[0], stage: "crawl" },
      { uen: UENS[1], stage: null },
      { uen: UENS[2], stage: "domain" },
    ]);
    expect(stored.events).toEqual([
      { uen: UENS[0], stage: "crawl", event: "crawl", status: "ok", tool: "crawler", durationMs: 12, args: { pages: 3 }, message: null },
      { uen: UENS[1], stage: "contact_discovery", event: "vendor_call", status: "ok", tool: null, durationMs: null, args: { actor: "a" }, message: null },
      {
        uen: UENS[1],
        stage: "contact_discovery",
        event: "vendor_call",
        status: "error",
        tool: null,
        durationMs: null,
        args: {},
        message: "mail me at t***@example.sg",
      },
      { uen: UENS[2], stage: "domain", event: "discover", status: "skipped", tool: null, durationMs: null, args: {}, message: null },
    ]);
  });

  it("of one company that cannot be written do not fail the others of its batch", async () => {
    const { tenantId, runId } = await runOf("step-batch-bad");
    const gone = randomUUID();
    const [bad, good] = await Promise.allSettled([
      recordCompanySteps(tenantId, [{ runId: gone, uen: UENS[0]!, stage: "crawl", event: "crawl", status: "ok" }], "crawl"),
      recordCompanySteps(tenantId, [{ runId, uen: UENS[1]!, stage: "crawl", event: "crawl", status: "ok" }], "crawl"),
    ]);
    expect(bad.status).toBe("rejected");
    expect(good.status).toBe("fulfilled");
    const events = await db.$withTenant(tenantId, (tx) => tx.runEventLog.findMany({ where: {}, select: { runId: true, uen: true } }));
    expect(events).toEqual([{ runId, uen: UENS[1] }]);
  });
});
