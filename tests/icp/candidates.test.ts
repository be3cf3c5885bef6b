import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openAlerts } from "../../app/alerts/alerts.server";
import { db } from "../../app/db.server";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import {
  addCandidates,
  CANDIDATE_ALERTS,
  candidateMatchedBySql,
  candidateTotal,
  latestCandidateRefresh,
  listCandidates,
  refreshCandidates,
} from "../../app/icp/candidates.server";
import { currentIcpRules, icpHistory, previewCandidates, saveIcpRules } from "../../app/icp/icp.server";
import { InvalidIcpRulesError } from "../../app/icp/rules";
import { ACRA_COLUMN_NAMES } from "../../app/registry/acra-columns";
import { ingestAcraFiles } from "../../app/registry/ingest.server";
import { csvField } from "../../app/registry/sample-generator";
import { expectErrorLogs } from "../support/error-logs";
import { recordSentStatements } from "../support/sent-statements";

let owner: pg.Client;
let tenantA: string;
let tenantB: string;
const alice = { sub: "alice-sub", email: "alice@a.example" };
const asOf = new Date("2026-10-01T00:00:00Z");

async function createTenant(slug: string) {
  const { rows } = await owner.query<{ id: string }>("INSERT INTO tenants (slug, name, status) VALUES ($1, $1, 'active') RETURNING id", [slug]);
  return rows[0]!.id;
}

/** The tenant's blocks in UEN order, with the transaction that last wrote each. */
async function blocksOf(tenantId: string) {
  const { rows } = await owner.query<{ first_uen: string; uens: string[]; written: string }>(
    "SELECT first_uen, uens, xmin::text AS written FROM icp_candidate_blocks WHERE tenant_id = $1 ORDER BY first_uen",
    [tenantId],
  );
  return rows;
}

/** How many of the tenant's blocks are stored compressed: a lookup in one of them would decompress it first. */
async function compressedBlocks(tenantId: string) {
  const { rows } = await owner.query<{ compressed: number }>(
    "SELECT count(pg_column_compression(uens))::int AS compressed FROM icp_candidate_blocks WHERE tenant_id = $1",
    [tenantId],
  );
  return rows[0]!.compressed;
}

async function lookup(tenantId: string, uen: string) {
  return db.$withTenant(tenantId, async (tx) => (await tx.$queryRaw<Array<{ matched_by: string }>>(candidateMatchedBySql(uen)))[0]?.matched_by ?? null);
}

async function candidateUens(tenantId: string) {
  return db.$withTenant(tenantId, async (tx) =>
    (await tx.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM icp_candidate_companies ORDER BY uen`).map((r) => r.uen),
  );
}

beforeAll(async () => {
  owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await owner.connect();
  await ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: 2000 });
  tenantA = await createTenant("tenant-a");
  tenantB = await createTenant("tenant-b");
});
afterAll(async () => {
  await owner.end();
});

describe("ICP rules", () => {
  it("versions every change with its author, skips saves that change nothing, and queues a refresh", async () => {
    const first = await saveIcpRules(tenantA, alice, { industries: ["software"], employees: { min: 10, max: 200 } });
    expect(first).toMatchObject({ changed: true, version: { version: 1, authorSub: "alice-sub", authorEmail: "alice@a.example" } });
    const same = await saveIcpRules(tenantA, alice, { industries: ["SaaS"], employees: { min: 10, max: 200 } });
    expect(same).toMatchObject({ changed: false, version: { version: 1 } });
    const second = await saveIcpRules(tenantA, { sub: "bob-sub" }, { industries: ["software", "IT services"], employees: { min: 10, max: 200 } });
    expect(second.version.version).toBe(2);
    expect(second.changes).toEqual([
      { path: "industries", kind: "changed", before: ["software"], after: ["software", "it_services"], addedItems: ["it_services"], removedItems: [] },
    ]);
    expect((await currentIcpRules(tenantA))?.rules.industries).toEqual(["software", "it_services"]);
    const history = await icpHistory(tenantA);
    expect(history.map((h) => [h.version, h.authorSub, h.changes.length])).toEqual([
      [2, "bob-sub", 1],
      [1, "alice-sub", 3],
    ]);

    const { rows: jobs } = await owner.query(
      `SELECT t.identifier AS task_identifier, j.key, j.payload FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.key = $1`,
      [`refresh_candidates:${tenantA}`],
    );
    expect(jobs).toEqual([
      { task_identifier: "refresh_candidates", key: `refresh_candidates:${tenantA}`, payload: { tenantId: tenantA, reason: "icp_changed:v2" } },
    ]);
    const { rows: audit } = await owner.query("SELECT action, target, actor_sub FROM audit_log WHERE tenant_id = $1 ORDER BY id", [tenantA]);
    expect(audit).toEqual([
      { action: "icp.update", target: "icp_rules:v1", actor_sub: "alice-sub" },
      { action: "icp.update", target: "icp_rules:v2", actor_sub: "bob-sub" },
    ]);
  });

  it("refuses invalid rules with a message per problem", async () => {
    await expect(saveIcpRules(tenantB, alice, { industries: ["softwear"] })).rejects.toThrow(InvalidIcpRulesError);
    expect(await currentIcpRules(tenantB)).toBeNull();
  });

  it("previews matches with a sample, and the fallback count when nothing matches", async () => {
    const preview = await previewCandidates(tenantA, { industries: ["software"] }, { asOf });
    expect(preview.count).toBeGreaterThan(20);
    expect(preview.sample).toHaveLength(20);
    expect(preview.sample.every((r) => String(r.primary_ssic_code).match(/^(5820|6201)/))).toBe(true);
    const codigo = await previewCandidates(tenantA, { industries: ["software"], nameKeywords: { include: ["codigo"] } }, { asOf });
    expect(codigo).toMatchObject({ count: 1, sample: [{ uen: "201190001C", entity_name: "CODIGO PTE. LTD." }] });
    const none = await previewCandidates(tenantA, { industries: ["software"], nameKeywords: { include: ["no such company"] } }, { asOf });
    expect(none).toEqual({ count: 0, sample: [], fallbackCount: preview.count });
  });
});

describe("candidate refresh", () => {
  it("keeps each tenant's candidates to itself (RLS)", async () => {
    await saveIcpRules(tenantB, alice, { industries: ["logistics"] });
    const a = await refreshCandidates(tenantA, { reason: "test", floor: 1, asOf });
    const b = await refreshCandidates(tenantB, { reason: "test", floor: 1, asOf });
    expect(a).toMatchObject({ status: "ok", icpVersion: 2, degradedReason: null });
    expect(a.candidateCount).toBe(a.added);
    expect(b.candidateCount).toBeGreaterThan(0);
    const aUens = await candidateUens(tenantA);
    const bUens = await candidateUens(tenantB);
    expect(aUens).toHaveLength(a.candidateCount);
    expect(bUens).toHaveLength(b.candidateCount);
    expect(aUens.filter((u) => bUens.includes(u))).toEqual([]);

    const app = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
    await app.connect();
    try {
      expect((await app.query("SELECT count(*)::int AS n FROM icp_candidate_companies")).rows[0].n).toBe(0);
      await app.query("BEGIN");
      await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenantA]);
      expect((await app.query("SELECT count(*)::int AS n FROM icp_candidate_companies")).rows[0].n).toBe(a.candidateCount);
      expect((await app.query("SELECT count(*)::int AS n FROM icp_candidate_companies WHERE tenant_id = $1", [tenantB])).rows[0].n).toBe(0);
      await expect(
        app.query("INSERT INTO icp_candidate_blocks (tenant_id, first_uen, uens, matched_by) VALUES ($1, 'X', '{X}', 'rules')", [tenantB]),
      ).rejects.toThrow(/row-level security/);
      await app.query("ROLLBACK");
    } finally {
      await app.end();
    }
    const listed = await listCandidates(tenantA, { limit: 5 });
    expect(listed).toHaveLength(5);
    expect(listed[0]).toMatchObject({ matchedBy: "rules", entityStatus: expect.stringMatching(/^Live/) });
  });

  it("a second refresh changes only what changed", async () => {
    const again = await refreshCandidates(tenantA, { reason: "nightly", floor: 1, asOf });
    expect(again).toMatchObject({ status: "ok", added: 0, removed: 0 });
    await saveIcpRules(tenantA, alice, { industries: ["software", "it_services"], employees: { min: 10, max: 200 }, postal: { regions: ["central"] } });
    const narrowed = await refreshCandidates(tenantA, { reason: "icp_changed:v3", floor: 1, asOf });
    expect(narrowed.added).toBe(0);
    expect(narrowed.removed).toBe(again.candidateCount - narrowed.candidateCount);
    expect(narrowed.removed).toBeGreaterThan(0);
  });

  it("falls back to industry only when the rules match nothing, flags the refresh degraded and raises an alert", async () => {
    await saveIcpRules(tenantA, alice, { industries: ["software"], nameKeywords: { include: ["no such company anywhere"] } });
    const refresh = await refreshCandidates(tenantA, { reason: "test", floor: 1, asOf });
    expect(refresh).toMatchObject({ status: "degraded", matchedByRules: 0 });
    expect(refresh.candidateCount).toBeGreaterThan(0);
    expect(refresh.degradedReason).toMatch(/ICP v4 matched no company; using the industry-only fallback \(Software and SaaS\): \d+ candidates/);
    const listed = await listCandidates(tenantA, { limit: 1000 });
    expect(new Set(listed.map((c) => c.matchedBy))).toEqual(new Set(["industry_fallback"]));
    expect(await latestCandidateRefresh(tenantA)).toMatchObject({ status: "degraded", icpVersion: 4, candidateCount: refresh.candidateCount });
    const alerts = await openAlerts(tenantA);
    expect(alerts).toMatchObject([{ kind: CANDIDATE_ALERTS.empty, severity: "warning", message: refresh.degradedReason }]);

    await refreshCandidates(tenantA, { reason: "again", floor: 1, asOf });
    expect(await openAlerts(tenantA)).toHaveLength(1);

    await saveIcpRules(tenantA, alice, { industries: ["software"] });
    const healthy = await refreshCandidates(tenantA, { reason: "fixed", floor: 1, asOf });
    expect(healthy.status).toBe("ok");
    expect(await openAlerts(tenantA)).toEqual([]);
  });

  it("raises a critical alert when even the fallback is empty, and a floor alert below the floor", async () => {
    await saveIcpRules(tenantB, alice, { industries: ["agriculture"], ssic: { include: ["99999"] }, excludedIndustries: ["agriculture"] });
    const empty = await refreshCandidates(tenantB, { reason: "test", floor: 10, asOf });
    expect(empty).toMatchObject({ status: "degraded", candidateCount: 0, belowFloor: true });
    expect(empty.degradedReason).toMatch(/the industry-only fallback .* matched none either/);
    expect(await candidateUens(tenantB)).toEqual([]);
    const alerts = await openAlerts(tenantB);
    expect(alerts.map((a) => [a.kind, a.severity]).sort()).toEqual([
      [CANDIDATE_ALERTS.belowFloor, "warning"],
      [CANDIDATE_ALERTS.empty, "critical"],
    ]);
  });

  it("keeps the previous candidate set when a refresh fails, and says so", async () => {
    expectErrorLogs(/candidate refresh failed .*quantum basket weaving/);
    await saveIcpRules(tenantB, alice, { industries: ["logistics"] });
    const ok = await refreshCandidates(tenantB, { reason: "test", floor: 1, asOf });
    const before = await candidateUens(tenantB);
    expect(before).toHaveLength(ok.candidateCount);
    // A version saved by an older release that today's schema cannot read.
    await owner.query(`INSERT INTO icp_rules (tenant_id, version, rules) VALUES ($1, 99, '{"industries": ["quantum basket weaving"]}')`, [tenantB]);
    await expect(refreshCandidates(tenantB, { reason: "test", floor: 1, asOf })).rejects.toThrow();
    expect(await candidateUens(tenantB)).toEqual(before);
    expect(await latestCandidateRefresh(tenantB)).toMatchObject({ status: "failed", error: expect.stringContaining("quantum basket weaving") });
    expect((await openAlerts(tenantB)).map((a) => a.kind)).toContain(CANDIDATE_ALERTS.failed);
  });

  it("records what a refresh was computed from, skips the work when none of it changed, and after a load evaluates only what the load changed", async () => {
    const tenantC = await createTenant("tenant-c");
    await saveIcpRules(tenantC, alice, { industries: ["software"] });
    const first = await refreshCandidates(tenantC, { reason: "test", floor: 1, asOf });
    const latestRun = async () => (await owner.query("SELECT id FROM acra_ingestion_runs ORDER BY started_at DESC LIMIT 1")).rows[0].id;
    const basis = async () =>
      (
        await owner.query(
          "SELECT registry_run_id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM icp_candidate_refreshes WHERE tenant_id = $1 ORDER BY started_at DESC LIMIT 1",
          [tenantC],
        )
      ).rows[0];
    expect(await basis()).toEqual({ registry_run_id: await latestRun(), as_of: null });
    const versions = async () =>
      new Map(
        (await owner.query("SELECT first_uen, uens, xmin::text AS v FROM icp_candidate_blocks WHERE tenant_id = $1", [tenantC])).rows.map((r) => [
          r.first_uen,
          { v: r.v, uens: r.uens as string[] },
        ]),
      );
    const before = await versions();
    expect(await refreshCandidates(tenantC, { reason: "nightly", floor: 1, asOf })).toMatchObject({
      added: 0,
      removed: 0,
      candidateCount: first.candidateCount,
    });
    expect(await versions()).toEqual(before);

    // A load that strikes off one candidate and adds a new software company.
    const [gone] = await candidateUens(tenantC);
    const { rows } = await owner.query("SELECT * FROM staging_acra_companies WHERE uen = $1", [gone]);
    const text = (v: unknown) => (v === null ? "na" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
    const line = (r: Record<string, unknown>) => ACRA_COLUMN_NAMES.map((c) => csvField(text(r[c]))).join(",");
    const csv = [
      ACRA_COLUMN_NAMES.join(","),
      line({ ...rows[0], entity_status_description: "Struck Off" }),
      line({ ...rows[0], uen: "202699999Z", entity_name: "NEW SOFTWARE PTE. LTD." }),
    ].join("\n");
    const load = await ingestAcraFiles({
      connectionString: process.env.DATABASE_URL!,
      source: "delta",
      files: [{ name: "delta.csv", open: async () => ({ stream: Readable.from([Buffer.from(csv)]) }) }],
    });
    expect(load).toMatchObject({ inserted: 1, updated: 1 });
    const after = await refreshCandidates(tenantC, { reason: "nightly", floor: 1, asOf });
    expect(after).toMatchObject({ added: 1, removed: 1, candidateCount: first.candidateCount });
    expect(await basis()).toEqual({ registry_run_id: load.runId, as_of: null });
    const uens = await candidateUens(tenantC);
    expect(uens).toContain("202699999Z");
    expect(uens).not.toContain(gone);
    expect(uens).toHaveLength((await previewCandidates(tenantC, { industries: ["software"] }, { asOf })).count);
    // Only the blocks that held or now hold a changed company were written.
    const changed = await versions();
    const rewritten = [...changed].filter(([first, block]) => before.get(first)?.v !== block.v).flatMap(([, block]) => block.uens);
    expect(rewritten).toContain("202699999Z");
    expect([...changed.values()].flatMap((b) => b.uens)).not.toContain(gone);

    // Rules with company ages depend on the day as well.
    await saveIcpRules(tenantC, alice, { industries: ["software"], ageYears: { min: 1 } });
    await refreshCandidates(tenantC, { reason: "icp_changed", floor: 1, asOf });
    expect((await basis()).as_of).toBe("2026-10-01");
    await refreshCandidates(tenantC, { reason: "nightly", floor: 1, asOf: new Date("2026-10-02T00:00:00Z") });
    expect((await basis()).as_of).toBe("2026-10-02");
  });

  it("keeps the cache UNLOGGED and refills it when crash recovery emptied it under an unchanged basis", async () => {
    const { rows } = await owner.query("SELECT relpersistence FROM pg_class WHERE oid = 'icp_candidate_blocks'::regclass");
    expect(rows[0].relpersistence).toBe("u");
    const tenantD = await createTenant("tenant-d");
    const tenantE = await createTenant("tenant-e");
    await saveIcpRules(tenantD, alice, { industries: ["software"] });
    await saveIcpRules(tenantE, alice, { industries: ["logistics"] });
    const first = await refreshCandidates(tenantD, { reason: "test", floor: 1, asOf });
    expect(first.candidateCount).toBeGreaterThan(0);
    expect((await refreshCandidates(tenantE, { reason: "test", floor: 1, asOf })).candidateCount).toBeGreaterThan(0);
    const filled = await candidateUens(tenantD);
    const others = await candidateUens(tenantE);

    // Crash recovery resets an unlogged table to empty, for every tenant; the refresh rows survive.
    await owner.query("TRUNCATE icp_candidate_blocks");
    const refilled = await refreshCandidates(tenantD, { reason: "nightly", floor: 1, asOf });
    expect(refilled).toMatchObject({ candidateCount: first.candidateCount, added: first.candidateCount, removed: 0, status: "ok" });
    expect(await candidateUens(tenantD)).toEqual(filled);
    // Another tenant's set comes back with its own refresh, not with this one.
    expect(await candidateUens(tenantE)).toEqual([]);
    expect((await refreshCandidates(tenantE, { reason: "nightly", floor: 1, asOf })).added).toBe(others.length);
    expect(await candidateUens(tenantE)).toEqual(others);
    // Once refilled, an unchanged basis skips the work again.
    expect(await refreshCandidates(tenantD, { reason: "nightly", floor: 1, asOf })).toMatchObject({ added: 0, removed: 0 });
  });

  it("stores a fill as blocks of consecutive UENs in UEN order, even where the registry's rows lie in another order, and finds a UEN at a block's edges", async () => {
    // Rewriting the lowest companies moves them behind the rest of the registry's pages.
    await owner.query("UPDATE staging_acra_companies SET entity_name = entity_name WHERE uen IN (SELECT uen FROM staging_acra_companies ORDER BY uen LIMIT 5)");
    const tenantF = await createTenant("tenant-f");
    // Every live company: enough candidates for several blocks.
    await saveIcpRules(tenantF, alice, {});
    const fill = await refreshCandidates(tenantF, { reason: "test", floor: 1, asOf });
    expect(fill.added).toBe(fill.candidateCount);
    expect(fill.candidateCount).toBe((await previewCandidates(tenantF, {}, { asOf })).count);
    const blocks = await blocksOf(tenantF);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    // A fill cuts the set into blocks of 240 (the last one holds the rest), each starting with its lowest UEN.
    expect(blocks.slice(0, -1).map((b) => b.uens.length)).toEqual(blocks.slice(0, -1).map(() => 240));
    expect(blocks.every((b) => b.uens[0] === b.first_uen)).toBe(true);
    // Each block (about 4 kB) is stored inline and uncompressed: a lookup decompresses nothing.
    expect(await compressedBlocks(tenantF)).toBe(0);
    const all = blocks.flatMap((b) => b.uens);
    expect(all).toEqual([...new Set(all)].sort());
    expect(all).toEqual(await candidateUens(tenantF));
    const registryOrder = (await owner.query<{ uen: string }>("SELECT uen FROM staging_acra_companies WHERE uen = ANY ($1) ORDER BY ctid", [all])).rows;
    expect(registryOrder.map((r) => r.uen)).not.toEqual(all);

    for (const [i, block] of blocks.entries()) {
      const last = block.uens.at(-1)!;
      expect(await lookup(tenantF, block.first_uen), `first of block ${i}`).toBe("rules");
      expect(await lookup(tenantF, last), `last of block ${i}`).toBe("rules");
      // Between this block's last UEN and the next block's first, and between two UENs inside the block.
      expect(await lookup(tenantF, `${last}0`), `after block ${i}`).toBeNull();
      expect(await lookup(tenantF, `${block.uens[100]}0`), `inside block ${i}`).toBeNull();
    }
    expect(await lookup(tenantF, "0")).toBeNull();
    // Another tenant's probe finds none of these blocks.
    expect(await lookup(tenantA, blocks[1]!.first_uen)).toBeNull();
  });

  it("after a load rewrites only the block it changed: a block's first UEN and one in its middle struck off, a new company inside its range", async () => {
    const tenantF = (await owner.query("SELECT id FROM tenants WHERE slug = 'tenant-f'")).rows[0].id as string;
    const before = await blocksOf(tenantF);
    const middle = before[1]!;
    const [first, second] = middle.uens;
    const struck = middle.uens[120]!;
    // A UEN the registry doesn't hold yet, between two of this block's candidates.
    const registry = new Set((await owner.query<{ uen: string }>("SELECT uen FROM staging_acra_companies")).rows.map((r) => r.uen));
    const added = middle.uens
      .slice(150, -1)
      .map((uen, i) => ({ uen: `${uen.slice(0, -1)}${uen.at(-1) === "Z" ? "Y" : "Z"}`, below: middle.uens[150 + i + 1]! }))
      .find(({ uen, below }) => uen > middle.uens[150]! && uen < below && !registry.has(uen))!.uen;
    expect(added > first! && added < middle.uens.at(-1)!).toBe(true);
    const { rows } = await owner.query("SELECT * FROM staging_acra_companies WHERE uen = ANY ($1) ORDER BY uen", [[first, struck]]);
    const text = (v: unknown) => (v === null ? "na" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
    const line = (r: Record<string, unknown>) => ACRA_COLUMN_NAMES.map((c) => csvField(text(r[c]))).join(",");
    const csv = [
      ACRA_COLUMN_NAMES.join(","),
      ...rows.map((r) => line({ ...r, entity_status_description: "Struck Off" })),
      line({ ...rows[0], uen: added, entity_name: "NEW BLOCK PTE. LTD." }),
    ].join("\n");
    await ingestAcraFiles({
      connectionString: process.env.DATABASE_URL!,
      source: "delta",
      files: [{ name: "delta.csv", open: async () => ({ stream: Readable.from([Buffer.from(csv)]) }) }],
    });
    const after = await refreshCandidates(tenantF, { reason: "nightly", floor: 1, asOf });
    expect(after).toMatchObject({ added: 1, removed: 2 });

    const blocks = await blocksOf(tenantF);
    const expected = [...middle.uens.filter((u) => u !== first && u !== struck), added].sort();
    expect(blocks.map((b) => [b.first_uen, b.uens])).toEqual(before.map((b) => (b === middle ? [second, expected] : [b.first_uen, b.uens])));
    // The other blocks were not written at all.
    expect(blocks.filter((b) => b.first_uen !== second)).toEqual(before.filter((b) => b !== middle));
    // The rewritten block is stored inline and uncompressed, as a fill stores its blocks.
    expect(await compressedBlocks(tenantF)).toBe(0);
    expect(await lookup(tenantF, first!)).toBeNull();
    expect(await lookup(tenantF, struck)).toBeNull();
    expect(await lookup(tenantF, second!)).toBe("rules");
    expect(await lookup(tenantF, added)).toBe("rules");
    expect(await lookup(tenantF, before[0]!.uens.at(-1)!)).toBe("rules");
  });

  it("sends a first fill as six statements and an unchanged refresh as four, each a round trip that waits its turn on a busy server", async () => {
    const tenantH = await createTenant("tenant-h");
    await saveIcpRules(tenantH, alice, { industries: ["software"] });
    try {
      const sent = recordSentStatements();
      const fill = await refreshCandidates(tenantH, { reason: "test", floor: 1, asOf });
      expect(fill.added).toBe(fill.candidateCount);
      // The lock (with the tenant setting), what the refresh depends on, the evaluation, the blocks, the refresh and its alerts, the commit.
      expect(sent).toEqual(["SELECT", "SELECT", "CREATE", "WITH", "WITH", "COMMIT"]);
      sent.length = 0;
      expect(await refreshCandidates(tenantH, { reason: "test", floor: 1, asOf })).toMatchObject({ added: 0, removed: 0 });
      expect(sent).toEqual(["SELECT", "SELECT", "WITH", "COMMIT"]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("splits a block evenly once it outgrows 480 UENs, and starts a new block below the first one", async () => {
    const tenantG = await createTenant("tenant-g");
    const uen = (n: number) => `T${String(n).padStart(8, "0")}A`;
    const add = (uens: string[]) => db.$withTenant(tenantG, (tx) => addCandidates(tx, tenantG, uens));
    expect(await add(Array.from({ length: 300 }, (_, i) => uen(1000 + 2 * i)))).toBe(300);
    expect((await blocksOf(tenantG)).map((b) => b.uens.length)).toEqual([300]);
    // A block written as the refresh built it (about 5 kB) is stored inline and uncompressed.
    expect(await compressedBlocks(tenantG)).toBe(0);
    // Already there: nothing to write.
    const [unchanged] = await blocksOf(tenantG);
    expect(await add([uen(1000), uen(1598)])).toBe(0);
    expect(await blocksOf(tenantG)).toEqual([unchanged]);

    expect(await add(Array.from({ length: 200 }, (_, i) => uen(1001 + 2 * i)))).toBe(200);
    const split = await blocksOf(tenantG);
    expect(split.map((b) => b.uens.length)).toEqual([250, 250]);
    expect(split.flatMap((b) => b.uens)).toEqual([...unchanged!.uens, ...Array.from({ length: 200 }, (_, i) => uen(1001 + 2 * i))].sort());
    expect(await lookup(tenantG, split[0]!.uens.at(-1)!)).toBe("rules");
    expect(await lookup(tenantG, split[1]!.first_uen)).toBe("rules");

    expect(await add([uen(5)])).toBe(1);
    const grown = await blocksOf(tenantG);
    expect(grown.map((b) => [b.first_uen, b.uens.length])).toEqual([[uen(5), 1], ...split.map((b) => [b.first_uen, 250])]);
    expect(grown.slice(1)).toEqual(split);
    // Split blocks are stored uncompressed too.
    expect(await compressedBlocks(tenantG)).toBe(0);
    expect(await lookup(tenantG, uen(5))).toBe("rules");
    expect(await lookup(tenantG, uen(6))).toBeNull();
    expect(await db.$withTenant(tenantG, candidateTotal)).toBe(501);
  });

  it("fails a fill rather than store a UEN cut in two, when a registry UEN holds the separator a fill cuts its blocks at", async () => {
    expectErrorLogs(/candidate refresh failed .*a UEN holds a separator/);
    // A load admits only [0-9A-Z]{9,10}; this row comes in some other way.
    const odd = "T0000001\u001fA";
    await owner.query(
      `INSERT INTO staging_acra_companies
       SELECT (jsonb_populate_record(NULL::staging_acra_companies, to_jsonb(s) || jsonb_build_object('uen', $1::text))).*
       FROM staging_acra_companies s WHERE s.uen = (SELECT min(uen) FROM staging_acra_companies WHERE entity_status_description ILIKE 'live%')`,
      [odd],
    );
    try {
      const tenantJ = await createTenant("tenant-j");
      await saveIcpRules(tenantJ, alice, {});
      const matching = (await previewCandidates(tenantJ, {}, { asOf })).count;
      // The odd UEN came out as two.
      await expect(refreshCandidates(tenantJ, { reason: "test", floor: 1, asOf })).rejects.toThrow(
        `a fill cut ${matching} matching UENs into blocks of ${matching + 1}: a UEN holds a separator`,
      );
      expect(await blocksOf(tenantJ)).toEqual([]);
      expect(await latestCandidateRefresh(tenantJ)).toMatchObject({ status: "failed", error: expect.stringContaining("a UEN holds a separator") });
    } finally {
      await owner.query("DELETE FROM staging_acra_companies WHERE uen = $1", [odd]);
    }
  });
});
