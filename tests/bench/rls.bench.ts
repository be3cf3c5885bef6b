import { performance } from "node:perf_hooks";
import { benchDatabase, percentile, round } from "./bench-database";

/**
 * `npm run bench:rls`: the cost of tenant scoping. The same indexed query —
 * a tenant's latest 50 audit entries — over 1,000,000 rows across 100
 * tenants, through the RLS-bound tenant-scoped client (`$tenantRead`: the
 * tenant setting and the query before one Sync, a single round trip) and
 * through the platform client (a plain WHERE tenant_id = …), interleaved so
 * both see the same cache and load. A third series runs the platform query
 * inside a Prisma interactive transaction on a connection of its own, as the
 * scoped read once was (four round trips). Before timing, it checks that the scoped
 * read runs as the application role, returns only the tenant's rows, and that
 * nothing is visible on the same client without the setting.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TENANTS = 100;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2_000);
const WARMUP = 200;

const database = await benchDatabase("nexius_bench_rls");
process.env.DATABASE_URL = database.ownerUrl;
process.env.APP_DATABASE_URL = database.appUrl;
process.env.LOG_LEVEL = "silent";
const { db, platformDb } = await import("../../app/db.server");
const { PrismaClient } = await import("../../app/generated/prisma/client");
const { PrismaPg } = await import("@prisma/adapter-pg");
// The transaction series gets a client and connection of its own, like the scoped side's: on the
// platform client's connection it would run right before half of the platform reads, on a server
// process and caches it had just warmed, which the scoped reads' connection never gets.
const transactionDb = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.ownerUrl, max: 1 }) });

console.error(`seeding ${ROWS.toLocaleString()} audit rows across ${TENANTS} tenants…`);
const seedStarted = performance.now();
await platformDb.$executeRawUnsafe(`
  INSERT INTO tenants (slug, name, status)
  SELECT 'bench-' || g, 'Bench tenant ' || g, 'active' FROM generate_series(1, ${TENANTS}) g`);
await platformDb.$executeRawUnsafe(`
  INSERT INTO audit_log (tenant_id, action, target, details, created_at)
  SELECT t.id, 'bench.event', 'row-' || g, '{}'::jsonb, now() - (g || ' seconds')::interval
  FROM generate_series(1, ${ROWS}) g
  JOIN LATERAL (SELECT id FROM tenants ORDER BY slug OFFSET (g % ${TENANTS}) LIMIT 1) t ON true`);
await platformDb.$executeRawUnsafe("ANALYZE audit_log");
console.error(`seeded in ${round((performance.now() - seedStarted) / 1000, 1)} s`);

const tenantIds = (await platformDb.tenant.findMany({ select: { id: true } })).map((t) => t.id);
const appRole = new URL(database.appUrl).username;
const [identity] = await db.$tenantRead(tenantIds[0]!, (tx) => tx.$queryRaw<Array<{ role: string }>>`SELECT current_user AS role`);
if (identity!.role !== appRole) throw new Error(`scoped read ran as ${identity!.role}, not ${appRole}`);
const unscoped = await db.auditLog.count();
if (unscoped !== 0) throw new Error(`${unscoped} audit rows visible without the tenant setting`);

const scoped: number[] = [];
const platform: number[] = [];
const platformInTransaction: number[] = [];

async function timeScoped(tenantId: string) {
  const started = performance.now();
  const rows = await db.$tenantRead(tenantId, (tx) =>
    tx.auditLog.findMany({
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { id: true, action: true, createdAt: true, tenantId: true },
    }),
  );
  // The clock stops before the checks, on every side alike.
  const elapsed = performance.now() - started;
  if (rows.length !== 50) throw new Error(`scoped query returned ${rows.length} rows`);
  if (rows.some((row) => row.tenantId !== tenantId)) throw new Error("scoped query returned another tenant's row");
  return elapsed;
}

async function timePlatform(tenantId: string) {
  const started = performance.now();
  const rows = await platformDb.auditLog.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, action: true, createdAt: true, tenantId: true },
  });
  const elapsed = performance.now() - started;
  if (rows.length !== 50) throw new Error(`platform query returned ${rows.length} rows`);
  if (rows.some((row) => row.tenantId !== tenantId)) throw new Error("platform query returned another tenant's row");
  return elapsed;
}

async function timePlatformInTransaction(tenantId: string) {
  const started = performance.now();
  const rows = await transactionDb.$transaction((tx) =>
    tx.auditLog.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { id: true, action: true, createdAt: true, tenantId: true },
    }),
  );
  const elapsed = performance.now() - started;
  if (rows.length !== 50) throw new Error(`platform transaction returned ${rows.length} rows`);
  return elapsed;
}

for (let i = 0; i < WARMUP + ITERATIONS; i++) {
  const tenantId = tenantIds[i % tenantIds.length]!;
  // Alternate which goes first so neither always benefits from the other warming the cache.
  let scopedMs: number;
  let platformMs: number;
  if (i % 2 === 0) {
    scopedMs = await timeScoped(tenantId);
    platformMs = await timePlatform(tenantId);
  } else {
    platformMs = await timePlatform(tenantId);
    scopedMs = await timeScoped(tenantId);
  }
  const transactionMs = await timePlatformInTransaction(tenantId);
  if (i >= WARMUP) {
    scoped.push(scopedMs);
    platform.push(platformMs);
    platformInTransaction.push(transactionMs);
  }
}

const result = {
  rows: ROWS,
  tenants: TENANTS,
  iterations: ITERATIONS,
  p50_scoped_ms: round(percentile(scoped, 50)),
  p95_scoped_ms: round(percentile(scoped, 95)),
  p50_platform_ms: round(percentile(platform, 50)),
  p95_platform_ms: round(percentile(platform, 95)),
  p50_platform_transaction_ms: round(percentile(platformInTransaction, 50)),
  p95_platform_transaction_ms: round(percentile(platformInTransaction, 95)),
  ratio: 0,
  p50_ratio: 0,
  transaction_ratio: 0,
};
result.ratio = round(result.p95_scoped_ms / result.p95_platform_ms, 2);
result.p50_ratio = round(result.p50_scoped_ms / result.p50_platform_ms, 2);
result.transaction_ratio = round(result.p95_scoped_ms / result.p95_platform_transaction_ms, 2);

console.log(`tenant-scoped client (RLS, one round trip): p50 ${result.p50_scoped_ms} ms, p95 ${result.p95_scoped_ms} ms`);
console.log(`platform client (WHERE tenant_id):          p50 ${result.p50_platform_ms} ms, p95 ${result.p95_platform_ms} ms`);
console.log(`platform client in a Prisma transaction:   p50 ${result.p50_platform_transaction_ms} ms, p95 ${result.p95_platform_transaction_ms} ms`);
console.log(
  `ratio (scoped p95 / platform p95): ${result.ratio}; p50 ratio: ${result.p50_ratio}; scoped p95 / platform-in-transaction p95: ${result.transaction_ratio}`,
);
console.log(JSON.stringify(result));

await db.$disconnect();
await platformDb.$disconnect();
await transactionDb.$disconnect();
await database.stop();
