import { platformDb } from "~/db.server";
import { tenantTables } from "~/tenants/decommission.server";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * Usage per workspace per Singapore day, from what the platform already
 * records: runs started, companies whose enrichment finished, each run's
 * vendor calls and list-price cost, LLM calls and tokens, CSV exports. Seats
 * and storage are what exists when the day is metered (today's figure moves
 * until the day is over; a past day keeps the figure it was metered with).
 * Idempotent: metering a day again rewrites it from the same records.
 */
export async function meterUsage(options: { from: string; to: string; tenantIds?: string[]; storage?: boolean }): Promise<{ rows: number }> {
  const today = singaporeDate(new Date());
  const tenantIds = options.tenantIds ?? null;
  // Storage takes a scan of every tenant table: the daily pass measures it, hourly passes carry the last figure.
  const measureStorage = (options.storage ?? true) && options.to >= today;
  const storage = measureStorage ? await storageByTenant(tenantIds) : new Map<string, bigint>();
  const rows = await platformDb.$executeRaw`
    WITH days AS (
      SELECT d::date AS day FROM generate_series(${options.from}::date, ${options.to}::date, interval '1 day') d
    ), tenants_in AS (
      SELECT t.id AS tenant_id, (t.created_at AT TIME ZONE 'Asia/Singapore')::date AS since FROM tenants t
      WHERE ${tenantIds}::uuid[] IS NULL OR t.id = ANY(${tenantIds}::uuid[])
    ), runs_per_day AS (
      SELECT r.tenant_id, r.run_date AS day, count(*)::int AS runs FROM runs r
      WHERE r.run_date BETWEEN ${options.from}::date AND ${options.to}::date GROUP BY 1, 2
    ), companies_per_day AS (
      SELECT c.tenant_id, (c.finished_at AT TIME ZONE 'Asia/Singapore')::date AS day, count(*)::int AS companies FROM run_companies c
      WHERE c.status = 'done' AND c.finished_at >= ${options.from}::date::timestamp AT TIME ZONE 'Asia/Singapore'
        AND c.finished_at < (${options.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Singapore'
      GROUP BY 1, 2
    ), vendors_per_day AS (
      SELECT u.tenant_id, r.run_date AS day, sum(u.calls)::int AS calls, sum(u.cost_usd) AS cost FROM run_vendor_usage u
      JOIN runs r ON r.tenant_id = u.tenant_id AND r.id = u.run_id
      WHERE r.run_date BETWEEN ${options.from}::date AND ${options.to}::date GROUP BY 1, 2
    ), exports_per_day AS (
      SELECT a.tenant_id, (a.created_at AT TIME ZONE 'Asia/Singapore')::date AS day, count(*)::int AS exports FROM audit_log a
      WHERE a.action = 'export.downloaded' AND a.created_at >= ${options.from}::date::timestamp AT TIME ZONE 'Asia/Singapore'
        AND a.created_at < (${options.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Singapore'
      GROUP BY 1, 2
    ), seats AS (
      SELECT m.tenant_id, count(*)::int AS seats FROM tenant_users m GROUP BY 1
    ), storage AS (
      SELECT (s->>'tenantId')::uuid AS tenant_id, (s->>'bytes')::bigint AS bytes FROM jsonb_array_elements(${JSON.stringify(
        [...storage].map(([tenantId, bytes]) => ({ tenantId, bytes: bytes.toString() })),
      )}::jsonb) s
    )
    INSERT INTO tenant_usage_daily AS u (tenant_id, day, runs, companies_enriched, vendor_calls, vendor_cost_usd, llm_calls, llm_tokens, exports, seats, storage_bytes, metered_at)
    SELECT t.tenant_id, d.day, COALESCE(r.runs, 0), COALESCE(c.companies, 0), COALESCE(v.calls, 0), COALESCE(v.cost, 0),
      COALESCE(k.calls, 0), COALESCE(k.prompt_tokens + k.completion_tokens, 0), COALESCE(e.exports, 0),
      COALESCE(s.seats, 0),
      CASE WHEN ${measureStorage} THEN COALESCE(st.bytes, 0) ELSE COALESCE(
        (SELECT p.storage_bytes FROM tenant_usage_daily p WHERE p.tenant_id = t.tenant_id AND p.day < d.day ORDER BY p.day DESC LIMIT 1), 0) END,
      now()
    FROM tenants_in t
    JOIN days d ON d.day >= t.since
    LEFT JOIN runs_per_day r ON r.tenant_id = t.tenant_id AND r.day = d.day
    LEFT JOIN companies_per_day c ON c.tenant_id = t.tenant_id AND c.day = d.day
    LEFT JOIN vendors_per_day v ON v.tenant_id = t.tenant_id AND v.day = d.day
    LEFT JOIN token_usage k ON k.tenant_id = t.tenant_id AND k.day = d.day
    LEFT JOIN exports_per_day e ON e.tenant_id = t.tenant_id AND e.day = d.day
    LEFT JOIN seats s ON s.tenant_id = t.tenant_id
    LEFT JOIN storage st ON st.tenant_id = t.tenant_id
    ON CONFLICT (tenant_id, day) DO UPDATE SET
      runs = EXCLUDED.runs, companies_enriched = EXCLUDED.companies_enriched, vendor_calls = EXCLUDED.vendor_calls,
      vendor_cost_usd = EXCLUDED.vendor_cost_usd, llm_calls = EXCLUDED.llm_calls, llm_tokens = EXCLUDED.llm_tokens,
      exports = EXCLUDED.exports, metered_at = EXCLUDED.metered_at,
      seats = CASE WHEN u.day >= ${today}::date THEN EXCLUDED.seats ELSE u.seats END,
      storage_bytes = CASE WHEN ${measureStorage} AND u.day >= ${today}::date THEN EXCLUDED.storage_bytes ELSE u.storage_bytes END`;
  return { rows };
}

/** Bytes of row data each workspace holds, one scan per tenant table (for all workspaces at once). */
async function storageByTenant(tenantIds: string[] | null): Promise<Map<string, bigint>> {
  const totals = new Map<string, bigint>();
  for (const table of await tenantTables()) {
    const quoted = `"${table.replace(/"/g, '""')}"`;
    const rows = await platformDb.$queryRawUnsafe<Array<{ tenant_id: string; bytes: bigint }>>(
      `SELECT tenant_id::text AS tenant_id, sum(pg_column_size(x.*))::bigint AS bytes FROM ${quoted} x
       WHERE tenant_id IS NOT NULL AND ($1::uuid[] IS NULL OR tenant_id = ANY($1::uuid[])) GROUP BY 1`,
      tenantIds,
    );
    for (const row of rows) totals.set(row.tenant_id, (totals.get(row.tenant_id) ?? 0n) + BigInt(row.bytes));
  }
  return totals;
}
