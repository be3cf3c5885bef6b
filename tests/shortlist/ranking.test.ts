import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, type Tenant } from "~/generated/prisma/client";
import { type ShortlistQuery } from "~/shortlist/shortlist-query";
import { daysBefore, startWorkspace } from "./workspace";

/**
 * The shortlist's materialised ranking (shortlist_entries): every page the
 * reader serves equals what ranking the run's scores on the spot gives — the
 * query the page ran before, written out here — through re-enrich scores,
 * UEN suppressions, filters and pages; and each change of its inputs ranks
 * the shortlist again.
 */
let ws: Awaited<ReturnType<typeof startWorkspace>>;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;
let acmeRun: { runId: string; uens: string[]; highUens: string[] };
const actor = { sub: "ops-sub", email: "ops@acme.test" };

async function loadApp() {
  const [shortlist, suppression, finalize] = await Promise.all([
    import("~/shortlist/shortlist.server"),
    import("~/settings/suppression.server"),
    import("~/runs/finalize-run.server"),
  ]);
  return { ...shortlist, ...suppression, ...finalize };
}

beforeAll(async () => {
  ws = await startWorkspace();
  app = await loadApp();
  [acme, globex] = await Promise.all([ws.tenant("acme"), ws.tenant("globex")]);
  acmeRun = await ws.seedFinishedRun(acme.id, { companies: 120, seed: 31, runDate: ws.today });
  await ws.seedFinishedRun(globex.id, { companies: 5, seed: 32, runDate: ws.today });
  // Three industries and some without one, so the industry filter and its counts have something to tell apart.
  await ws.db.$withTenant(acme.id, async (tx) => {
    await tx.leadFeature.updateMany({ where: { uen: { in: acmeRun.uens.filter((_, i) => i % 4 === 1) } }, data: { industry: "Logistics" } });
    await tx.leadFeature.updateMany({ where: { uen: { in: acmeRun.uens.filter((_, i) => i % 10 === 7) } }, data: { industry: null } });
  });
}, 180_000);

afterAll(async () => {
  await ws?.standIns.stop();
});

const query = (q: Partial<ShortlistQuery>): ShortlistQuery => ({ date: null, bucket: null, industry: null, hasEmail: false, q: null, page: 1, ...q });

/** The page as the reader serves it. */
async function served(q: ShortlistQuery) {
  const { shortlist } = await app.shortlistForTenant(acme.id, q, ws.today);
  return shortlist!;
}

/** The same page ranked on the spot from lead_scores, re-enrich scores and suppressions (offset paging, a window count). */
async function rankedOnTheSpot(q: ShortlistQuery) {
  return ws.db.$withTenant(acme.id, async (tx) => {
    const [run] = await tx.$queryRaw<Array<{ id: string; run_date: string; finished_at: Date }>>`
      SELECT id, run_date::text, finished_at FROM runs
      WHERE status = 'succeeded' AND kind <> 're_enrich' AND run_date = ${ws.today}::date ORDER BY finished_at DESC LIMIT 1`;
    const ranked = Prisma.sql`
      overrides AS (
        SELECT DISTINCT ON (s.uen) s.uen, s.score, s.bucket, s.verified_contacts
        FROM runs r JOIN lead_scores s ON s.run_id = r.id
        WHERE r.kind = 're_enrich' AND r.status = 'succeeded' AND r.run_date = ${run!.run_date}::date AND r.finished_at > ${run!.finished_at}
        ORDER BY s.uen, r.finished_at DESC
      ),
      ranked AS (
        SELECT b.uen, COALESCE(o.score, b.score) AS score, COALESCE(o.bucket, b.bucket) AS bucket,
               COALESCE(o.verified_contacts, b.verified_contacts) AS verified_contacts,
               row_number() OVER (ORDER BY COALESCE(o.score, b.score) DESC, b.uen)::int AS rank
        FROM lead_scores b LEFT JOIN overrides o ON o.uen = b.uen
        WHERE b.run_id = ${run!.id}::uuid AND b.uen NOT IN (SELECT value FROM suppression_entries WHERE kind = 'uen')
      )`;
    const conditions = [Prisma.sql`true`];
    if (q.bucket) conditions.push(Prisma.sql`r.bucket = ${q.bucket}`);
    if (q.industry) conditions.push(Prisma.sql`f.industry = ${q.industry}`);
    if (q.hasEmail) conditions.push(Prisma.sql`r.uen IN (SELECT uen FROM lead_emails WHERE verification_status = 'verified')`);
    if (q.q) conditions.push(Prisma.sql`(r.uen ILIKE ${`%${q.q}%`} OR a.entity_name ILIKE ${`%${q.q}%`} OR f.domain ILIKE ${`%${q.q}%`})`);
    const rows = await tx.$queryRaw<Array<Record<string, unknown> & { total: number }>>`
      WITH ${ranked}
      SELECT r.rank, r.uen, a.entity_name AS name, r.bucket, r.score, f.domain, f.industry, f.headcount_estimate AS headcount,
             r.verified_contacts AS "verifiedContacts", (count(*) OVER ())::int AS total
      FROM ranked r LEFT JOIN staging_acra_companies a ON a.uen = r.uen LEFT JOIN lead_features f ON f.uen = r.uen
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY r.rank LIMIT 50 OFFSET ${(q.page - 1) * 50}`;
    const facets = await tx.$queryRaw<Array<{ bucket: "High" | "Medium" | "Low"; industry: string | null; n: number }>>`
      WITH ${ranked} SELECT r.bucket, f.industry, count(*)::int AS n FROM ranked r LEFT JOIN lead_features f ON f.uen = r.uen GROUP BY 1, 2`;
    const buckets = { High: 0, Medium: 0, Low: 0 };
    for (const f of facets) buckets[f.bucket] += f.n;
    const industries = [...new Set(facets.flatMap((f) => (f.industry ? [f.industry] : [])))].sort((x, y) => x.localeCompare(y));
    return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? null, buckets, industries };
  });
}

async function reEnrich(uen: string, score: number, bucket: "High" | "Medium" | "Low") {
  await ws.finishReEnrich(acme.id, uen, { score, bucket, verifiedContacts: 3 });
}

async function builtAt(runId: string): Promise<Date | null> {
  const [build] = await ws.platformDb.$queryRaw<Array<{ built_at: Date }>>`SELECT built_at FROM shortlist_builds WHERE run_id = ${runId}::uuid`;
  return build?.built_at ?? null;
}

describe("the materialised shortlist", () => {
  it("is built by its first reader when its run has none", async () => {
    expect(await builtAt(acmeRun.runId)).toBeNull();
    const first = await served(query({}));
    expect(first.total).toBe(120);
    expect(await builtAt(acmeRun.runId)).not.toBeNull();
  });

  it("serves every page, filtered or not, as ranking the scores on the spot does", async () => {
    // A re-enrich score on top (one up into High, one tied with others), and two suppressed companies.
    await reEnrich(acmeRun.uens[2]!, 99, "High");
    await reEnrich(acmeRun.uens[4]!, 80, "High");
    await app.addSuppressions(
      acme.id,
      actor,
      [
        { kind: "uen", value: acmeRun.uens[0]!, reason: null },
        { kind: "uen", value: acmeRun.uens[9]!, reason: null },
      ],
      "paste",
    );

    const queries = [
      query({}),
      query({ bucket: "High" }),
      query({ bucket: "Low" }),
      query({ industry: "Logistics" }),
      query({ industry: "Software" }),
      query({ bucket: "Medium", industry: "Software" }),
      query({ bucket: "High", industry: "Logistics" }),
      query({ hasEmail: true }),
      query({ q: "03100" }),
      query({ bucket: "High", hasEmail: true, q: ".com.sg" }),
    ];
    let compared = 0;
    for (const base of queries) {
      const firstPage = await served(base);
      for (let page = 1; page <= firstPage.pages + 1; page++) {
        const [mine, expected] = await Promise.all([served({ ...base, page }), rankedOnTheSpot({ ...base, page })]);
        expect(mine.rows, `${JSON.stringify(base)} page ${page}`).toEqual(expected.rows);
        if (expected.total !== null) expect(mine.total, `${JSON.stringify(base)} page ${page}`).toBe(expected.total);
        expect(mine.buckets).toEqual(expected.buckets);
        expect(mine.industries).toEqual(expected.industries);
        compared += mine.rows.length;
      }
      expect(firstPage.pages).toBe(Math.max(1, Math.ceil(firstPage.total / 50)));
    }
    const all = await served(query({}));
    expect(all.total).toBe(118);
    expect(all.rows[0]).toMatchObject({ uen: acmeRun.uens[2], rank: 1, score: 99, verifiedContacts: 3 });
    expect(compared).toBeGreaterThan(300);
  });

  it("drops a company suppressed after the run and moves the ones after it up; back when the entry goes", async () => {
    const before = await served(query({ page: 2 }));
    const gone = before.rows[10]!;
    const next = before.rows[11]!;
    await app.addSuppressions(acme.id, actor, [{ kind: "uen", value: gone.uen, reason: "Asked us not to call" }], "single");
    const after = await served(query({ page: 2 }));
    expect(after.total).toBe(before.total - 1);
    expect(after.rows.map((r) => r.uen)).not.toContain(gone.uen);
    expect(after.rows[10]).toMatchObject({ uen: next.uen, rank: gone.rank });

    const [entry] = await ws.platformDb.$queryRaw<Array<{ id: string }>>`SELECT id FROM suppression_entries WHERE value = ${gone.uen}`;
    await app.removeSuppression(acme.id, actor, entry!.id);
    expect((await served(query({ page: 2 }))).rows[10]).toEqual(gone);
  });

  it("ranks the day's shortlist again when a re-enrich run of that day succeeds, before anyone reads it", async () => {
    const last = (await served(query({ page: 3 }))).rows.at(-1)!;
    const builtBefore = (await builtAt(acmeRun.runId))!;
    await reEnrich(last.uen, 95, "High");
    const rebuilt = await builtAt(acmeRun.runId);
    expect(rebuilt!.getTime()).toBeGreaterThan(builtBefore.getTime());
    const top = await served(query({ bucket: "High" }));
    expect(top.rows[1]).toMatchObject({ uen: last.uen, rank: 2, score: 95, bucket: "High" });
    expect((await served(query({}))).rows[1]!.uen).toBe(last.uen);
  });

  it("builds a succeeded run's shortlist as it closes, and leaves the other days' to be built again", async () => {
    const day = daysBefore(ws.today, 5);
    const run = await ws.db.$withTenant(acme.id, async (tx) => {
      const created = await tx.run.create({ data: { tenantId: acme.id, kind: "manual", status: "running", runDate: new Date(`${day}T00:00:00Z`) } });
      for (const [i, uen] of acmeRun.uens.slice(0, 3).entries()) {
        await tx.leadScore.create({
          data: { runId: created.id, uen, score: 50 + i, bucket: "Medium", breakdown: [], rationale: "Fits.", rationaleSource: "template", contactWeight: 16 },
        });
      }
      return created;
    });
    await app.finalizeRun(acme.id, run.id);
    expect(await builtAt(run.id)).not.toBeNull();
    // Its enrichment may have changed any company's industry: today's build is gone until read again.
    expect(await builtAt(acmeRun.runId)).toBeNull();
    const old = await app.shortlistForTenant(acme.id, query({ date: day }), ws.today);
    expect(old.shortlist!.rows.map((r) => [r.rank, r.uen])).toEqual([
      [1, acmeRun.uens[2]],
      [2, acmeRun.uens[1]],
    ]);
    expect((await served(query({}))).total).toBe(118);
    expect(await builtAt(acmeRun.runId)).not.toBeNull();
  });

  it("keeps each tenant's ranking to itself", async () => {
    const seen = await ws.db.$withTenant(globex.id, (tx) => tx.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM shortlist_entries`);
    const globexShortlist = await app.shortlistForTenant(globex.id, query({}), ws.today);
    expect(globexShortlist.shortlist!.total).toBe(5);
    const after = await ws.db.$withTenant(globex.id, (tx) => tx.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM shortlist_entries`);
    expect(seen[0]!.n).toBe(0);
    expect(after[0]!.n).toBe(5);
    const foreign = await ws.db.$withTenant(
      globex.id,
      (tx) => tx.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM shortlist_entries WHERE run_id = ${acmeRun.runId}::uuid`,
    );
    expect(foreign[0]!.n).toBe(0);
  });
});
