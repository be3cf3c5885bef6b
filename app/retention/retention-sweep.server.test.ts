import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { replayLake } from "~/lake/replay.server";
import { requestSyncIn } from "~/lake/sync-requests.server";
import { runSync, type SourceKit } from "~/lake/sync-runner.server";
import { sweepRetention } from "./retention-sweep.server";

/**
 * The daily sweep against real Postgres with an injected clock: data of every
 * class made at ages either side of its window, in two workspaces, one of
 * which overrides some windows. Exactly the old rows go (or lose their text),
 * audit values stay, the other workspace keeps to its own windows, each
 * class's sweep is recorded, and the raw zone still replays to the same
 * canonical zone.
 */
const NOW = new Date("2027-03-01T00:00:00.000Z");
const clock = () => NOW;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

let overriding: string;
let defaults: string;

beforeEach(async () => {
  const make = (slug: string) => platformDb.tenant.create({ data: { slug: `${slug}-${randomUUID().slice(0, 8)}`, name: slug, status: "active" } });
  overriding = (await make("keeps-less")).id;
  defaults = (await make("keeps-default")).id;
  // Step logs 30 days instead of 180; the raw zone 60 days instead of kept.
  await db.$withTenant(overriding, (tx) =>
    tx.retentionOverride.createMany({
      data: [
        { tenantId: overriding, dataClass: "step_logs", days: 30 },
        { tenantId: overriding, dataClass: "lake_raw", days: 60 },
      ],
    }),
  );
});

/** One of each lead-engine class at each age, with the audit values that must survive. */
async function seedLeadData(tenantId: string) {
  const run = await platformDb.run.create({ data: { tenantId, kind: "nightly", runDate: daysAgo(400), createdAt: daysAgo(400) } });
  await platformDb.leadScore.create({
    data: {
      tenantId,
      runId: run.id,
      uen: "UEN-OLD",
      score: 81,
      bucket: "High",
      breakdown: { icp: 40 },
      rationale: "Fits the ICP.",
      rationaleSource: "llm",
      contactWeight: 1,
      createdAt: daysAgo(400),
    },
  });
  for (const age of [29, 31, 179, 181]) {
    await platformDb.runEventLog.create({
      data: { tenantId, runId: run.id, stage: "crawl", event: `crawl-${age}`, status: "ok", args: { domain: "a.sg" }, createdAt: daysAgo(age) },
    });
  }
  for (const age of [89, 91]) {
    const uen = `UEN-${age}`;
    await platformDb.crawlPage.create({
      data: {
        tenantId,
        uen,
        url: `https://${age}.sg/about`,
        kind: "about",
        source: "crawler",
        status: 200,
        title: `About ${age}`,
        text: `We are ${age}.`,
        sha256: `hash-${age}`,
        bytes: 12,
        fetchedAt: daysAgo(age),
      },
    });
    await platformDb.leadFeature.create({
      data: {
        tenantId,
        uen,
        domain: `${age}.sg`,
        domainSource: "tavily_search",
        domainEvidence: [{ step: "tavily_search", url: `https://${age}.sg` }],
        contentSha256: `merged-${age}`,
        aboutText: `About ${age}`,
        updatedAt: daysAgo(age),
      },
    });
  }
  for (const [age, messages] of [
    [364, 2],
    [366, 3],
  ] as const) {
    const thread = await platformDb.chatThread.create({
      data: { tenantId, ownerSub: "ops-sub", title: `thread-${age}`, createdAt: daysAgo(age), updatedAt: daysAgo(age) },
    });
    for (let i = 0; i < messages; i++)
      await platformDb.chatMessage.create({ data: { tenantId, threadId: thread.id, role: "user", text: `message ${i}`, createdAt: daysAgo(age) } });
  }
}

async function leadData(tenantId: string) {
  return db.$withTenant(tenantId, async (tx) => ({
    logs: (await tx.runEventLog.findMany({ orderBy: { createdAt: "desc" }, select: { event: true } })).map((l) => l.event),
    pages: await tx.crawlPage.findMany({ orderBy: { uen: "asc" }, select: { uen: true, title: true, text: true, sha256: true } }),
    features: await tx.leadFeature.findMany({
      orderBy: { uen: "asc" },
      select: { uen: true, domain: true, domainEvidence: true, contentSha256: true, aboutText: true },
    }),
    threads: (await tx.chatThread.findMany({ select: { title: true } })).map((t) => t.title),
    messages: await tx.chatMessage.count(),
    scores: await tx.leadScore.findMany({ select: { uen: true, score: true, rationale: true } }),
  }));
}

/** A source of companies whose every change gets a new version, as Odoo's write_date. */
function companySource() {
  const companies = new Map<number, { id: number; name: string; seq: number }>();
  let seq = 0;
  const set = (id: number, name: string) => companies.set(id, { id, name, seq: ++seq });
  const kit: SourceKit = {
    connector: {
      source: "odoo",
      entities: ["companies"],
      check: async () => ({ missing: [] }),
      pages: (_entity, from) => {
        const after = from.mode === "full" || from.cursor === null ? 0 : Number(from.cursor);
        const rows = [...companies.values()].filter((c) => c.seq > after).sort((a, b) => a.seq - b.seq);
        return (async function* () {
          if (rows.length)
            yield {
              records: rows.map((c) => ({ entity: "companies", sourceId: String(c.id), version: String(c.seq), payload: { ...c } })),
              cursor: String(rows.at(-1)!.seq),
            };
        })();
      },
      liveIds: async () => new Set([...companies.keys()].map(String)),
    },
    mapper: {
      source: "odoo",
      map(record) {
        const name = String(record.payload.name);
        const draft = {
          kind: "account" as const,
          name,
          uen: null,
          vat: null,
          website: null,
          email: null,
          phone: null,
          countryCode: "sg",
          tags: [],
          active: true,
        };
        return { mapped: [{ ref: { source: "odoo", entity: record.entity, sourceId: record.sourceId }, draft }], rejected: [] };
      },
    },
  };
  return { set, remove: (id: number) => companies.delete(id), kit };
}

/**
 * Three syncs, dated 200, 100 and 10 days back: company 1 changes twice,
 * company 2 never, company 3 is deleted in the source. Returns the raw ids
 * of each sync.
 */
async function seedLake(tenantId: string) {
  const source = companySource();
  const syncAt = async (mode: "full" | "incremental", age: number) => {
    const { syncRunId } = await db.$withTenant(tenantId, (tx) => requestSyncIn(tx, tenantId, { source: "odoo", mode, trigger: "cli" }));
    expect(await runSync(tenantId, syncRunId, source.kit)).toMatchObject({ status: "succeeded" });
    await platformDb.lakeRawRecord.updateMany({ where: { tenantId, syncRunId }, data: { fetchedAt: daysAgo(age) } });
    return platformDb.lakeRawRecord.findMany({ where: { tenantId, syncRunId }, orderBy: { id: "asc" }, select: { id: true, sourceId: true, removed: true } });
  };
  source.set(1, "Codigo v1");
  source.set(2, "Kopi Co");
  source.set(3, "Gone Pte Ltd");
  const first = await syncAt("full", 200);
  source.set(1, "Codigo v2");
  source.remove(3);
  const second = await syncAt("full", 100);
  source.set(1, "Codigo v3");
  const third = await syncAt("incremental", 10);
  return { kit: source.kit, first, second, third };
}

async function canonical(tenantId: string) {
  return db.$withTenant(tenantId, async (tx) => ({
    // Timestamps say when a row was written, which a replay changes by design.
    accounts: (await tx.lakeAccount.findMany({ orderBy: { id: "asc" }, omit: { createdAt: true, updatedAt: true } })).map(({ deletedAt, ...account }) => ({
      ...account,
      deleted: deletedAt !== null,
    })),
    heads: await tx.lakeSourceRecord.findMany({ orderBy: { sourceId: "asc" }, omit: { seenAt: true, removedAt: true } }),
  }));
}

describe("the retention sweep", () => {
  it("removes or empties exactly what is past each window, keeps audit values, and keeps each workspace to its own windows", async () => {
    await seedLeadData(overriding);
    await seedLeadData(defaults);

    await sweepRetention({ clock, batchSize: 1 });

    const kept = await leadData(overriding);
    expect(kept.logs).toEqual(["crawl-29"]);
    expect(kept.pages).toEqual([
      { uen: "UEN-89", title: "About 89", text: "We are 89.", sha256: "hash-89" },
      { uen: "UEN-91", title: null, text: null, sha256: "hash-91" },
    ]);
    expect(kept.features).toEqual([
      { uen: "UEN-89", domain: "89.sg", domainEvidence: [{ step: "tavily_search", url: "https://89.sg" }], contentSha256: "merged-89", aboutText: "About 89" },
      { uen: "UEN-91", domain: "91.sg", domainEvidence: [], contentSha256: "merged-91", aboutText: "About 91" },
    ]);
    expect(kept.threads).toEqual(["thread-364"]);
    expect(kept.messages).toBe(2);
    expect(kept.scores).toEqual([{ uen: "UEN-OLD", score: 81, rationale: "Fits the ICP." }]);

    // The other workspace has no overrides: its step logs keep 180 days.
    const other = await leadData(defaults);
    expect(other.logs).toEqual(["crawl-29", "crawl-31", "crawl-179"]);
    expect(other.pages.map((p) => p.text)).toEqual(["We are 89.", null]);
    expect(other.threads).toEqual(["thread-364"]);

    const records = await db.$withTenant(overriding, (tx) =>
      tx.retentionSweep.findMany({
        orderBy: { dataClass: "asc" },
        select: { dataClass: true, cutoff: true, rowsDeleted: true, rowsCleared: true, startedAt: true, finishedAt: true },
      }),
    );
    expect(records).toEqual([
      { dataClass: "chat_threads", cutoff: daysAgo(365), rowsDeleted: 4, rowsCleared: 0, startedAt: NOW, finishedAt: NOW },
      { dataClass: "crawl_text", cutoff: daysAgo(90), rowsDeleted: 0, rowsCleared: 1, startedAt: NOW, finishedAt: NOW },
      { dataClass: "lake_raw", cutoff: daysAgo(60), rowsDeleted: 0, rowsCleared: 0, startedAt: NOW, finishedAt: NOW },
      { dataClass: "step_logs", cutoff: daysAgo(30), rowsDeleted: 3, rowsCleared: 0, startedAt: NOW, finishedAt: NOW },
      { dataClass: "vendor_payloads", cutoff: daysAgo(90), rowsDeleted: 0, rowsCleared: 1, startedAt: NOW, finishedAt: NOW },
    ]);
    // Without a window of its own, the other workspace's raw zone is not swept at all.
    const otherRecords = await db.$withTenant(defaults, (tx) => tx.retentionSweep.findMany({ select: { dataClass: true, cutoff: true, rowsDeleted: true } }));
    expect(otherRecords.map((r) => r.dataClass).sort()).toEqual(["chat_threads", "crawl_text", "step_logs", "vendor_payloads"]);
    expect(otherRecords.find((r) => r.dataClass === "step_logs")).toEqual({ dataClass: "step_logs", cutoff: daysAgo(180), rowsDeleted: 1 });

    // A second sweep the same day finds nothing more.
    const again = await sweepRetention({ clock });
    expect(again.find((s) => s.tenantId === overriding)!.classes.map((c) => c.rowsDeleted + c.rowsCleared)).toEqual([0, 0, 0, 0, 0]);
  });

  it("deletes only superseded raw versions past the window, so a replay rebuilds the same canonical zone", async () => {
    const lake = await seedLake(overriding);
    await seedLake(defaults);
    const before = await canonical(overriding);
    expect(before.accounts.map((a) => [a.name, a.deleted])).toEqual(
      expect.arrayContaining([
        ["Codigo v3", false],
        ["Kopi Co", false],
        ["Gone Pte Ltd", true],
      ]),
    );
    const rawBefore = await platformDb.lakeRawRecord.count({ where: { tenantId: defaults } });

    await sweepRetention({ clock, batchSize: 2 });

    const remaining = await db.$withTenant(overriding, (tx) => tx.lakeRawRecord.findMany({ orderBy: { id: "asc" }, select: { id: true } }));
    const byCompany = (rows: Array<{ id: bigint; sourceId: string; removed: boolean }>, sourceId: string, removed = false) =>
      rows.find((r) => r.sourceId === sourceId && r.removed === removed)!.id;
    // Gone: company 1's first two versions (200 and 100 days old, superseded by its third).
    // Kept: company 2's only version (still current), company 3's last live version and its deletion, company 1's current version.
    expect(remaining.map((r) => r.id)).toEqual([
      byCompany(lake.first, "2"),
      byCompany(lake.first, "3"),
      byCompany(lake.second, "3", true),
      byCompany(lake.third, "1"),
    ]);
    const record = await db.$withTenant(overriding, (tx) => tx.retentionSweep.findFirstOrThrow({ where: { dataClass: "lake_raw" } }));
    expect(record).toMatchObject({ rowsDeleted: 2, cutoff: daysAgo(60) });
    expect(await platformDb.lakeRawRecord.count({ where: { tenantId: defaults } })).toBe(rawBefore);

    await replayLake(overriding, { odoo: lake.kit.mapper });
    expect(await canonical(overriding)).toEqual(before);
  });
});
