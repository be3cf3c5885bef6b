import { performance } from "node:perf_hooks";
import { benchDatabase, percentile, round } from "./bench-database";
import { benchRequestHandler } from "./bench-server";

/**
 * `npm run bench:pages` (after `npm run build`): page loads of a big tenant
 * through the real Remix handler of the server build — a tenant with
 * COMPANIES (default 100,000) scored companies in its latest nightly run and
 * RUNS (30) runs in all. Times the single-fetch data request (every loader of
 * the page: root, layout, route) of the dashboard, the shortlist (first page,
 * filtered, last page), a company page and the runs list, ITERATIONS times
 * each, interleaved. Last stdout line: { p95_ms: { dashboard, shortlist,
 * shortlist_filtered, shortlist_last, company, runs }, p50_ms: { … },
 * first_shortlist_ms }. The seeded run never went through the finalizer, so
 * the first shortlist request ranks and stores it (first_shortlist_ms, out of
 * the percentiles like the rest of the warm-up).
 */
const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const WARMUP = 10;
const PAGE_SIZE = 50;

const database = await benchDatabase("nexius_bench_pages");
const handler = await benchRequestHandler(database, "silent");
const { platformDb, db } = await import("../../app/db.server");
const { createSession } = await import("../../app/auth/session.server");

console.error(`seeding a tenant with ${COMPANIES.toLocaleString()} scored companies and ${RUNS} runs…`);
const seedStarted = performance.now();
const tenant = await platformDb.tenant.create({ data: { slug: "bench-pages", name: "Bench pages", status: "active" } });
const t = tenant.id;
const INDUSTRIES = ["software", "it_services", "wholesale", "construction", "food_and_beverage"];
await platformDb.$executeRawUnsafe(`
  INSERT INTO staging_acra_companies (uen, entity_name, entity_status_description, primary_ssic_code, content_hash)
  SELECT 'B' || lpad(g::text, 8, '0') || 'X', 'Bench company ' || g, 'Live Company', '62011', md5(g::text)
  FROM generate_series(1, ${COMPANIES}) g`);
// RUNS runs, one a day back from today; the newest is the succeeded nightly run holding every score.
await platformDb.$executeRawUnsafe(`
  INSERT INTO runs (tenant_id, kind, status, run_date, target_count, settled_count, metrics, created_at, started_at, finished_at)
  SELECT '${t}', 'nightly', 'succeeded', (now() AT TIME ZONE 'Asia/Singapore')::date - (g - 1),
         ${COMPANIES}, ${COMPANIES},
         jsonb_build_object('companies', ${COMPANIES}, 'shortlist', ${COMPANIES}, 'email_rate', 0.4,
           'score_distribution', jsonb_build_object('High', ${COMPANIES / 5}, 'Medium', ${(COMPANIES * 2) / 5}, 'Low', ${(COMPANIES * 2) / 5})),
         now() - ((g - 1) || ' days')::interval - interval '2 hours',
         now() - ((g - 1) || ' days')::interval - interval '2 hours',
         now() - ((g - 1) || ' days')::interval - interval '1 hour'
  FROM generate_series(1, ${RUNS}) g`);
const [latestRun] = await platformDb.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM runs WHERE tenant_id = '${t}' ORDER BY run_date DESC LIMIT 1`);
await platformDb.$executeRawUnsafe(`
  INSERT INTO lead_scores (tenant_id, run_id, uen, score, bucket, breakdown, rationale, rationale_source, contact_weight, verified_contacts)
  SELECT '${t}', '${latestRun!.id}', 'B' || lpad(g::text, 8, '0') || 'X', s, CASE WHEN s >= 0.8 THEN 'High' WHEN s >= 0.4 THEN 'Medium' ELSE 'Low' END,
         '{}'::jsonb, 'Bench rationale', 'template', 1, g % 3
  FROM generate_series(1, ${COMPANIES}) g, LATERAL (SELECT ((g * 7919) % 10000) / 10000.0 AS s) x`);
await platformDb.$executeRawUnsafe(`
  INSERT INTO lead_features (tenant_id, uen, run_id, domain, industry, headcount_estimate, enriched_at)
  SELECT '${t}', 'B' || lpad(g::text, 8, '0') || 'X', '${latestRun!.id}', 'bench' || g || '.example.sg',
         (ARRAY['${INDUSTRIES.join("','")}'])[1 + g % ${INDUSTRIES.length}], 10 + g % 200, now()
  FROM generate_series(1, ${COMPANIES}) g`);
for (const table of ["staging_acra_companies", "runs", "lead_scores", "lead_features"]) {
  await platformDb.$executeRawUnsafe(`VACUUM ANALYZE ${table}`);
}
const user = await platformDb.user.create({ data: { sub: "bench-sub", email: "bench@example.test" } });
await platformDb.tenantUser.create({ data: { tenantId: t, userId: user.id, roles: ["admin"] } });
const { setCookie } = await createSession(
  { userId: user.id, tenantId: t, sub: user.sub, email: user.email!, roles: ["admin"], idToken: null, refreshToken: null, tokensExpireAt: null },
  new Request(`${process.env.APP_URL}/auth/callback`),
);
const cookie = setCookie.split(";")[0]!;
console.error(`seeded in ${round((performance.now() - seedStarted) / 1000, 1)} s`);

const lastPage = Math.ceil(COMPANIES / PAGE_SIZE);
const pages: Record<string, string> = {
  dashboard: "/app.data",
  shortlist: "/app/shortlist.data",
  shortlist_filtered: "/app/shortlist.data?bucket=High&industry=software",
  shortlist_last: `/app/shortlist.data?page=${lastPage}`,
  company: `/app/companies/B${String(Math.floor(COMPANIES / 2)).padStart(8, "0")}X.data`,
  runs: "/app/runs.data",
};

async function load(name: string, pathAndQuery: string) {
  const started = performance.now();
  const response = await handler(new Request(new URL(pathAndQuery, process.env.APP_URL), { headers: { cookie } }));
  const body = await response.text();
  const ms = performance.now() - started;
  // Single fetch answers 200 with the loaders' outcomes inside; a redirect or error shows up in the body.
  if (response.status !== 200 || /SingleFetchRedirect|"error"|ErrorResponse/.test(body.slice(0, 2000))) {
    throw new Error(`${name} (${pathAndQuery}) answered ${response.status}: ${body.slice(0, 300)}`);
  }
  return ms;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
const first_shortlist_ms = round(await load("shortlist", pages.shortlist!), 1);
for (let i = 0; i < WARMUP + ITERATIONS; i++) {
  for (const [name, pathAndQuery] of Object.entries(pages)) {
    const ms = await load(name, pathAndQuery);
    if (i >= WARMUP) samples[name]!.push(ms);
  }
}

const p50_ms = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, round(percentile(s, 50), 1)]));
const p95_ms = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, round(percentile(s, 95), 1)]));
for (const name of Object.keys(pages)) {
  console.log(`${name.padEnd(20)} p50 ${String(p50_ms[name]).padStart(7)} ms   p95 ${String(p95_ms[name]).padStart(7)} ms   ${pages[name]}`);
}
console.log(`first shortlist read (ranks and stores the run) ${first_shortlist_ms} ms`);
console.log(JSON.stringify({ companies: COMPANIES, runs: RUNS, iterations: ITERATIONS, p95_ms, p50_ms, first_shortlist_ms }));

await db.$disconnect();
await platformDb.$disconnect();
await database.stop();
