import { performance } from "node:perf_hooks";
import pg from "pg";
import { benchDatabase, percentile, round } from "./bench-database";
import { benchRequestHandler } from "./bench-server";
import { generateCrmWorld, type CrmWorldSize } from "./crm-world";

/**
 * `npm run bench:dashboards`: one tenant with DEALS (default 1,000,000)
 * canonical opportunities and about five activities each across 50 teams and
 * 500 reps, beside a small tenant (so row-level security has rows to keep
 * out), serving zone rebuilt. Each dashboard read runs SAMPLES times (default
 * 30, after 3 warm-ups) through `withLakeAccess` — the real policies and the
 * hierarchy setting — as a tenant admin, a manager of two teams and a rep
 * (the busiest rep and the teams with the most deals): each read is the JSON
 * API of its page (same loader functions) through the real Remix handler of
 * the server build, signed in with a session cookie, so authentication and
 * the hierarchy lookup count too. Then 1 % of the deals
 * change as an incremental sync leaves them (see `incrementalSync`) and the
 * serving refresh is timed.
 *
 * Run `npm run build` first. Embedded Postgres on BENCH_PG_PORT (default 54360). DASHBOARDS_REUSE=1 keeps
 * the generated database of an earlier run instead of generating again (for
 * trying an index; the earlier run's sync is then in the data). Stdout: a
 * table per role, then the JSON line
 * { p95_ms: { overview, pipeline, kpis, opportunities, activities }, serving_refresh_s } (p95: worst role, worst variant).
 */
const DEALS = Number(process.env.DEALS ?? 1_000_000);
const SAMPLES = Number(process.env.SAMPLES ?? 30);
const WARMUP = 3;
const BIG: CrmWorldSize = { teams: 50, reps: 500, deals: DEALS, accounts: Math.max(100, DEALS / 10) };
const SMALL: CrmWorldSize = { teams: 2, reps: 6, deals: 1_000, accounts: 100 };
process.env.BENCH_PG_PORT ??= "54360";
const log = (message: string) => process.stderr.write(`[bench:dashboards] ${message}\n`);

const database = await benchDatabase("nexius_bench_dashboards", { reuse: process.env.DASHBOARDS_REUSE === "1" });
const handler = await benchRequestHandler(database, process.env.LOG_LEVEL ?? "warn");
const { db, platformDb } = await import("../../app/db.server");
const { createSession } = await import("../../app/auth/session.server");
const { withLakeAccess, withLakeScope } = await import("../../app/lake/hierarchy.server");
const { markDirty } = await import("../../app/lake/loader.server");
const { WHOLE_TENANT } = await import("../../app/lake/serving-reads.server");
const { rebuildServing, refreshServing } = await import("../../app/lake/serving.server");
(await import("../../app/logger.server")).rootLogger.level = process.env.LOG_LEVEL!;
type TenantTx = import("../../app/db.server").TenantTx;
const { encodeOpportunityCursor } = await import("../../app/lake/opportunity-cursor");
type OpportunityPosition = import("../../app/lake/opportunity-cursor").OpportunityPosition;

const owner = new pg.Client({ connectionString: database.ownerUrl });
await owner.connect();

async function tenantNamed(slug: string): Promise<{ id: string; slug: string; name: string; status: "active" }> {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO tenants (slug, name, status) VALUES ($1, $1, 'active') ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [slug],
  );
  return { id: rows[0]!.id, slug, name: slug, status: "active" };
}

const big = await tenantNamed("bench-sales");
const small = await tenantNamed("bench-small");
if (database.reused) {
  // An earlier run's sync and any new migration's tables: statistics and visibility as autovacuum would leave them.
  await owner.query("VACUUM ANALYZE");
}
if (!database.reused) {
  const started = performance.now();
  log(`generating ${DEALS.toLocaleString()} deals with their activities…`);
  const generated = await generateCrmWorld(owner, big.id, BIG);
  await generateCrmWorld(owner, small.id, SMALL);
  log(
    `canonical: ${generated.deals.toLocaleString()} deals, ${generated.activities.toLocaleString()} activities in ${round((performance.now() - started) / 1000, 1)} s`,
  );
  await owner.query("VACUUM ANALYZE");
  const serving = performance.now();
  for (const tenant of [big, small]) await withLakeScope(tenant.id, WHOLE_TENANT, (tx) => rebuildServing(tx), { timeout: 3_600_000 });
  // The serving tables as autovacuum would leave them after a rebuild this size: analysed.
  await owner.query("VACUUM ANALYZE");
  log(`serving zone rebuilt in ${round((performance.now() - serving) / 1000, 1)} s; generation took ${round((performance.now() - started) / 1000, 1)} s`);
}

const viewerOf = (roles: string[], n: number) => ({
  userId: null,
  sub: `bench-${n}`,
  email: `rep${n}@bench.example`,
  emailVerified: true,
  roles,
  tenant: big,
  via: "bearer" as const,
  session: null,
});
// Rep 0 leads teams 0 and 1 (the generator's manager); rep 1 is the busiest rep who leads nothing.
const roles = [
  { role: "admin", viewer: viewerOf(["admin"], 499) },
  { role: "manager", viewer: viewerOf(["ops"], 0) },
  { role: "rep", viewer: viewerOf(["ops"], 1) },
] as const;

// Each role must get the access the hierarchy gives it, and see only its own records.
for (const { role, viewer } of roles) {
  const seen = await withLakeAccess(viewer, async (tx, access) => {
    const [row] = await tx.$queryRaw<[{ owners: number; tenants: number }]>`
      SELECT count(DISTINCT owner_id)::int AS owners, count(DISTINCT tenant_id)::int AS tenants FROM lake_pipeline_summary`;
    return { access, ...row };
  });
  const owners = { admin: BIG.reps, manager: (2 * BIG.reps) / BIG.teams, rep: 1 }[role];
  if (seen.access.role !== role || seen.owners !== owners || seen.tenants !== 1)
    throw new Error(`${role} resolved to ${seen.access.role} seeing ${seen.owners} owners in ${seen.tenants} tenants`);
}

/** A session cookie for each role's user: their address is their lake user's, verified, so the hierarchy maps them as sign-in would. */
async function signIn({ viewer }: (typeof roles)[number]): Promise<string> {
  const user = await platformDb.user.upsert({
    where: { sub: viewer.sub },
    create: { sub: viewer.sub, email: viewer.email, emailVerified: true },
    update: { email: viewer.email, emailVerified: true },
  });
  await platformDb.tenantUser.upsert({
    where: { tenantId_userId: { tenantId: big.id, userId: user.id } },
    create: { tenantId: big.id, userId: user.id, roles: viewer.roles },
    update: { roles: viewer.roles },
  });
  const { setCookie } = await createSession(
    { userId: user.id, tenantId: big.id, sub: viewer.sub, email: viewer.email, roles: viewer.roles, idToken: null, refreshToken: null, tokensExpireAt: null },
    new Request(`${process.env.APP_URL}/auth/callback`),
  );
  return setCookie.split(";")[0]!;
}
const cookies = new Map<string, string>();
for (const role of roles) cookies.set(role.role, await signIn(role));

/** A cursor half-way down the caller's list in `sort` order: the deep page a reader scrolling far would ask for. */
async function deepCursor(tx: TenantTx, sort: "-updated" | "-value"): Promise<string> {
  const [half] = await tx.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM lake_opportunities WHERE deleted_at IS NULL`;
  const rows =
    sort === "-updated"
      ? await tx.$queryRaw<Array<{ key: Date; id: string }>>`
          SELECT updated_at AS key, id FROM lake_opportunities WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC OFFSET ${Math.floor(half.count / 2)} LIMIT 1`
      : await tx.$queryRaw<Array<{ key: string; id: string }>>`
          SELECT expected_revenue::text AS key, id FROM lake_opportunities WHERE deleted_at IS NULL ORDER BY value_cents DESC, id DESC OFFSET ${Math.floor(half.count / 2)} LIMIT 1`;
  const row = rows[0]!;
  const position: OpportunityPosition = { key: row.key instanceof Date ? row.key.toISOString() : row.key, id: row.id };
  return encodeURIComponent(encodeOpportunityCursor(sort, position));
}
const deep = new Map<string, { updated: string; value: string }>();
for (const { role, viewer } of roles) {
  deep.set(role, await withLakeAccess(viewer, async (tx) => ({ updated: await deepCursor(tx, "-updated"), value: await deepCursor(tx, "-value") })));
}

type Figure = "overview" | "pipeline" | "kpis" | "opportunities" | "activities";
/** The JSON APIs of the dashboard pages, each the same loader functions as its page, at the page's defaults. */
const reads: Array<{ name: string; figure: Figure; path: (role: string) => string }> = [
  { name: "overview", figure: "overview", path: () => "/api/dashboard/overview" },
  { name: "pipeline (last 12 months)", figure: "pipeline", path: () => "/api/dashboard/pipeline" },
  { name: "kpis (last 90 days)", figure: "kpis", path: () => "/api/dashboard/kpis" },
  { name: "opportunities, first page", figure: "opportunities", path: () => "/api/opportunities?sort=-updated&limit=50" },
  { name: "opportunities, deep page", figure: "opportunities", path: (role) => `/api/opportunities?sort=-updated&limit=50&cursor=${deep.get(role)!.updated}` },
  { name: "opportunities by value, first page", figure: "opportunities", path: () => "/api/opportunities?sort=-value&limit=50" },
  {
    name: "opportunities by value, deep page",
    figure: "opportunities",
    path: (role) => `/api/opportunities?sort=-value&limit=50&cursor=${deep.get(role)!.value}`,
  },
  { name: "activities (feed, overdue per owner, weekly volume)", figure: "activities", path: () => "/api/dashboard/activities" },
];

async function load(role: string, pathAndQuery: string): Promise<number> {
  const started = performance.now();
  const response = await handler(new Request(new URL(pathAndQuery, process.env.APP_URL), { headers: { cookie: cookies.get(role)! } }));
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${role} ${pathAndQuery} answered ${response.status}: ${body.slice(0, 300)}`);
  return ms;
}

const p95: Record<Figure, number> = { overview: 0, pipeline: 0, kpis: 0, opportunities: 0, activities: 0 };
for (const { role } of roles) {
  const table: Array<{ read: string; p50_ms: number; p95_ms: number }> = [];
  for (const { name, figure, path: pathOf } of reads) {
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const ms = await load(role, pathOf(role));
      if (i >= WARMUP) samples.push(ms);
    }
    const figures = { read: name, p50_ms: round(percentile(samples, 50), 1), p95_ms: round(percentile(samples, 95), 1) };
    table.push(figures);
    p95[figure] = Math.max(p95[figure], figures.p95_ms);
  }
  console.log(`\n${role}`);
  console.table(table);
}

/**
 * 1 % of the deals changed as an incremental sync finds them: open deals
 * moved on (a fifth closed today, half of those won; the rest a stage on),
 * their planned activities done today and one new activity each logged today
 * — written as the loader writes (serving groups marked before and after).
 */
async function incrementalSync(tx: TenantTx): Promise<{ deals: number; activities: number }> {
  const picked = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM lake_opportunities WHERE outcome = 'open' AND active AND deleted_at IS NULL ORDER BY random() LIMIT ${DEALS / 100}`;
  const ids = picked.map((p) => p.id);
  await markDirty(tx, "opportunity", ids);
  await tx.$executeRaw`
    UPDATE lake_opportunities SET
      outcome = CASE WHEN r < 0.1 THEN 'won' WHEN r < 0.2 THEN 'lost' ELSE 'open' END,
      stage_name = CASE WHEN r < 0.1 THEN 'Won' WHEN r < 0.2 THEN stage_name ELSE 'Negotiation' END,
      probability = CASE WHEN r < 0.1 THEN 100 WHEN r < 0.2 THEN 0 ELSE 85 END,
      active = NOT (r >= 0.1 AND r < 0.2),
      closed_at = CASE WHEN r < 0.2 THEN now() END, updated_at = now(), content_hash = '\\x01'
    FROM (SELECT id AS pick, random() AS r FROM unnest(${ids}::uuid[]) id) p WHERE id = p.pick`;
  await markDirty(tx, "opportunity", ids);
  const planned = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM lake_activities WHERE about_kind = 'opportunity' AND about_id = ANY(${ids}::uuid[]) AND state = 'planned'`;
  const plannedIds = planned.map((p) => p.id);
  await markDirty(tx, "activity", plannedIds);
  await tx.$executeRaw`UPDATE lake_activities SET state = 'done', at = now(), updated_at = now(), content_hash = '\\x01' WHERE id = ANY(${plannedIds}::uuid[])`;
  const logged = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO lake_activities (activity_type, summary, state, at, owner_id, about_kind, about_id, content_hash)
    SELECT 'Call', 'Bench follow-up', 'done', now(), owner_id, 'opportunity', id, '\\x01' FROM lake_opportunities WHERE id = ANY(${ids}::uuid[])
    RETURNING id`;
  const loggedIds = logged.map((l) => l.id);
  await markDirty(tx, "activity", [...plannedIds, ...loggedIds]);
  return { deals: ids.length, activities: plannedIds.length + loggedIds.length };
}

const changed = await withLakeScope(big.id, WHOLE_TENANT, incrementalSync, { timeout: 600_000 });
const refreshStarted = performance.now();
const refreshed = await withLakeScope(big.id, WHOLE_TENANT, (tx) => refreshServing(tx), { timeout: 600_000 });
const servingRefreshS = (performance.now() - refreshStarted) / 1000;
console.log(
  `\nserving refresh after ${changed.deals.toLocaleString()} deals and ${changed.activities.toLocaleString()} activities changed: ` +
    `${round(servingRefreshS, 2)} s (${refreshed.pipelineMonths.length} months, ${refreshed.kpiDays.length} days recomputed)`,
);

await owner.end();
await db.$disconnect();
await database.stop();
console.log(JSON.stringify({ p95_ms: p95, serving_refresh_s: round(servingRefreshS, 2) }));
process.exit(0);
