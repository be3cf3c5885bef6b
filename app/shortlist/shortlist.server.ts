import { db, type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type Bucket } from "~/scoring/score";
import { isoDay } from "~/utils/date-format";
import { containsPattern } from "~/utils/like-pattern";
import { ensureShortlist, facetTotal } from "./shortlist-build.server";
import { SHORTLIST_PAGE_SIZE, type ShortlistFilters, type ShortlistQuery } from "./shortlist-query";

/**
 * A day's shortlist: the lead_scores of the latest *succeeded* full run
 * (nightly or manual) whose Singapore run date is that day, ranked by score
 * (ties by UEN). A one-company re-enrich run of the same day that finished
 * later replaces that company's score, so a re-enriched company moves in the
 * list without hiding the others. Failed and cancelled runs never make a
 * shortlist; a degraded run does, flagged. Companies on the tenant's UEN
 * suppression list are left out. Enrichment columns (domain, industry,
 * headcount) are the company's current lead_features. The ranking is
 * stored per run (./shortlist-build.server.ts); pages read ranges of it.
 *
 * Everything here runs inside the caller's tenant transaction (RLS).
 */
export type ShortlistRun = {
  id: string;
  kind: string;
  /** YYYY-MM-DD (Singapore). */
  runDate: string;
  finishedAt: Date;
  degraded: boolean;
  degradedReasons: string[];
};

export type ShortlistRow = {
  rank: number;
  uen: string;
  name: string | null;
  bucket: Bucket;
  score: number;
  domain: string | null;
  industry: string | null;
  headcount: number | null;
  verifiedContacts: number;
};

/** The run behind a date's shortlist, or the latest shortlist of any date when `date` is null. */
export async function findShortlistRun(tx: TenantTx, date: string | null): Promise<ShortlistRun | null> {
  const run = await tx.run.findFirst({
    where: { status: "succeeded", kind: { not: "re_enrich" }, finishedAt: { not: null }, ...(date ? { runDate: new Date(`${date}T00:00:00Z`) } : {}) },
    orderBy: [{ runDate: "desc" }, { finishedAt: "desc" }],
    select: { id: true, kind: true, runDate: true, finishedAt: true, degraded: true, degradedReasons: true },
  });
  return run ? { ...run, runDate: isoDay(run.runDate), finishedAt: run.finishedAt! } : null;
}

/**
 * `ranked (uen, score, bucket, industry, verified_contacts, score_run_id, rank)`:
 * the run's materialised ranking (./shortlist-build.server.ts). The caller has
 * made sure the run is built (`ensureShortlist`) in its transaction.
 */
export function rankedScoresSql(run: ShortlistRun): Prisma.Sql {
  return Prisma.sql`
    ranked AS (
      SELECT e.uen, e.score, e.bucket, e.industry, e.verified_contacts, e.score_run_id, e.rank
      FROM shortlist_entries e WHERE e.run_id = ${run.id}::uuid
    )`;
}

/**
 * WHERE over `ranked r` alone: the registry, email and domain columns are
 * looked up per candidate row (primary-key probes), so the page joins them
 * for its 50 rows only and never scans the whole registry.
 */
export function shortlistWhereSql(filters: ShortlistFilters): Prisma.Sql {
  const parts = filterConditions(filters);
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

function filterConditions(filters: ShortlistFilters): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (filters.bucket) parts.push(Prisma.sql`r.bucket = ${filters.bucket}`);
  if (filters.industry) parts.push(Prisma.sql`r.industry = ${filters.industry}`);
  if (filters.hasEmail) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM lead_emails e WHERE e.uen = r.uen AND e.verification_status = 'verified')`);
  if (filters.q) {
    const like = containsPattern(filters.q);
    parts.push(Prisma.sql`(r.uen ILIKE ${like}
      OR EXISTS (SELECT 1 FROM staging_acra_companies aq WHERE aq.uen = r.uen AND aq.entity_name ILIKE ${like})
      OR EXISTS (SELECT 1 FROM lead_features fq WHERE fq.uen = r.uen AND fq.domain ILIKE ${like}))`);
  }
  return parts;
}

export type ShortlistPage = {
  run: ShortlistRun;
  rows: ShortlistRow[];
  /** Rows matching the filters. */
  total: number;
  page: number;
  pages: number;
  /** The whole shortlist's size per bucket, whatever the filters. */
  buckets: Record<Bucket, number>;
  /** Industries present in this shortlist, for the filter. */
  industries: string[];
};

/**
 * The ordinal that numbers the rows a bucket and industry filter keeps, so
 * their page N is one index range: the whole list's rank, or the rank within
 * the bucket, the industry, or both.
 */
function ordinalColumn(filters: ShortlistFilters): Prisma.Sql {
  if (filters.bucket && filters.industry) return Prisma.sql`r.bucket_industry_rank`;
  if (filters.bucket) return Prisma.sql`r.bucket_rank`;
  if (filters.industry) return Prisma.sql`r.industry_rank`;
  return Prisma.sql`r.rank`;
}

/**
 * One page (50 rows) of a run's shortlist, registry and enrichment joined for
 * the page's rows only. Bucket and industry filters read a range of ranks
 * and take their total from the build's counts; a search or the email filter
 * checks rows in rank order and counts its matches.
 */
export async function shortlistPage(tx: TenantTx, run: ShortlistRun, query: ShortlistQuery): Promise<ShortlistPage> {
  const facets = await ensureShortlist(tx, run);
  const offset = (query.page - 1) * SHORTLIST_PAGE_SIZE;
  const probed = query.hasEmail || Boolean(query.q);
  const where = Prisma.sql`WHERE ${Prisma.join([Prisma.sql`r.run_id = ${run.id}::uuid`, ...filterConditions(query)], " AND ")}`;
  const page = probed
    ? Prisma.sql`SELECT r.*, count(*) OVER () AS total FROM shortlist_entries r ${where} ORDER BY r.rank LIMIT ${SHORTLIST_PAGE_SIZE} OFFSET ${offset}`
    : Prisma.sql`SELECT r.*, NULL::bigint AS total FROM shortlist_entries r ${where}
        AND ${ordinalColumn(query)} BETWEEN ${offset + 1} AND ${offset + SHORTLIST_PAGE_SIZE}`;
  const rows = await tx.$queryRaw<Array<ShortlistRow & { total: number | null }>>`
    WITH page AS (${page})
    SELECT p.rank, p.uen, a.entity_name AS name, p.bucket, p.score, f.domain, f.industry, f.headcount_estimate AS headcount,
           p.verified_contacts AS "verifiedContacts", p.total::int AS total
    FROM page p
    LEFT JOIN staging_acra_companies a ON a.uen = p.uen
    LEFT JOIN lead_features f ON f.uen = p.uen
    ORDER BY p.rank`;
  let total: number;
  if (!probed) {
    total = facetTotal(facets, query);
  } else if (rows.length > 0 || offset === 0) {
    total = rows[0]?.total ?? 0;
  } else {
    const [counted] = await tx.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM shortlist_entries r ${where}`;
    total = counted.total;
  }
  const buckets: Record<Bucket, number> = { High: 0, Medium: 0, Low: 0 };
  for (const { bucket, companies } of facets) buckets[bucket] += companies;
  const industries = [...new Set(facets.flatMap((f) => (f.industry ? [f.industry] : [])))].sort((x, y) => x.localeCompare(y));
  return {
    run,
    rows: rows.map(({ total: _total, ...row }) => row),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / SHORTLIST_PAGE_SIZE)),
    buckets,
    industries,
  };
}

export type TopCompany = {
  rank: number;
  uen: string;
  name: string | null;
  bucket: Bucket;
  score: number;
  domain: string | null;
  contactName: string | null;
  contactTitle: string | null;
  contactEmail: string | null;
};

/** `lead_emails e` is on none of the tenant's suppression lists (the address or its domain). */
export const emailNotSuppressedSql = Prisma.sql`
  NOT EXISTS (SELECT 1 FROM suppression_entries x WHERE x.kind = 'email' AND x.value = lower(e.email))
  AND NOT EXISTS (SELECT 1 FROM suppression_entries x WHERE x.kind = 'domain' AND x.value = lower(split_part(e.email, '@', 2)))`;

/**
 * The top of a run's shortlist with each company's best contact (a verified
 * address first; never an invalid, do-not-mail or suppressed one), for the
 * chat's answer.
 */
export async function topOfShortlist(
  tx: TenantTx,
  run: ShortlistRun,
  options: { bucket?: Bucket; limit: number },
): Promise<{ total: number; rows: TopCompany[] }> {
  const total = facetTotal(await ensureShortlist(tx, run), { bucket: options.bucket ?? null, industry: null });
  const ranked = rankedScoresSql(run);
  const where = shortlistWhereSql({ date: null, bucket: options.bucket ?? null, industry: null, hasEmail: false, q: null });
  const rows = await tx.$queryRaw<TopCompany[]>`
    WITH ${ranked}
    SELECT r.rank::int AS rank, r.uen, a.entity_name AS name, r.bucket, r.score::float8 AS score, f.domain,
           ct.full_name AS "contactName", ct.title AS "contactTitle", ct.email AS "contactEmail"
    FROM ranked r
    LEFT JOIN staging_acra_companies a ON a.uen = r.uen
    LEFT JOIN lead_features f ON f.uen = r.uen
    LEFT JOIN LATERAL (
      SELECT lc.full_name, lc.title, e.email FROM lead_emails e LEFT JOIN lead_contacts lc ON lc.id = e.contact_id
      WHERE e.uen = r.uen AND e.verification_status NOT IN ('invalid', 'do_not_mail', 'pending') AND ${emailNotSuppressedSql}
      ORDER BY (e.verification_status = 'verified') DESC, e.created_at LIMIT 1
    ) ct ON true
    ${where}
    ORDER BY r.rank LIMIT ${options.limit}`;
  return { total, rows };
}

/** The latest date with a shortlist, to point to when the asked-for day has none. */
export async function latestShortlistDate(tx: TenantTx): Promise<string | null> {
  return (await findShortlistRun(tx, null))?.runDate ?? null;
}

/** Whether the tenant has a run queued or going now (the empty state says so instead of offering "Run now"). */
export async function activeRun(tx: TenantTx): Promise<{ id: string; status: string } | null> {
  return tx.run.findFirst({
    where: { kind: { not: "re_enrich" }, status: { in: ["queued", "running", "finalizing"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true },
  });
}

export function shortlistForTenant(tenantId: string, query: ShortlistQuery, today: string) {
  return db.$withTenant(tenantId, async (tx) => {
    const date = query.date ?? today;
    const run = await findShortlistRun(tx, date);
    if (!run) return { date, shortlist: null, latestDate: await latestShortlistDate(tx), active: await activeRun(tx) };
    return { date, shortlist: await shortlistPage(tx, run, query), latestDate: run.runDate, active: null };
  });
}
