import { randomUUID } from "node:crypto";
import { raiseAlert, resolveAlerts } from "../alerts/alerts.server";
import { db, type TenantTx } from "../db.server";
import { log } from "../logger.server";
import { industryByKey } from "./industries";
import { latestIcpVersion } from "./icp-versions.server";
import { compileIcpPredicate, hasIndustryScope, type PredicateMode } from "./predicate";
import { defaultIcpRules, type IcpRules } from "./rules";

/**
 * A tenant's candidate set: the registry companies its ICP matches, kept in
 * `icp_candidate_companies` under RLS. A refresh replaces the set in one
 * transaction (delete what no longer matches, add what newly does), so readers
 * see the old set until the new one is complete — MVCC does the swap.
 */
export type CandidateRefresh = {
  refreshId: string;
  status: "ok" | "degraded";
  degradedReason: string | null;
  icpVersion: number | null;
  matchedByRules: number;
  candidateCount: number;
  added: number;
  removed: number;
  floor: number;
  belowFloor: boolean;
  durationMs: number;
};

export type RefreshOptions = {
  /** Why: "icp_changed", "nightly", "manual"… recorded on the refresh row. */
  reason: string;
  /** Default candidate floor (rules.candidateFloor overrides it). */
  floor: number;
  asOf?: Date;
  /** Per-statement budget; a 2M-row registry needs more than the default interactive timeout. */
  timeoutMs?: number;
};

export const CANDIDATE_ALERTS = {
  empty: "candidates_empty",
  belowFloor: "candidates_below_floor",
  failed: "candidate_refresh_failed",
} as const;

async function applyMatches(tx: TenantTx, rules: IcpRules, mode: PredicateMode, refreshId: string, asOf: Date) {
  // A refresh that changes little is set-based anti-joins both ways: a per-row
  // EXISTS probe, or ON CONFLICT on rows already present, costs seconds. A
  // first fill has nothing to compare with and simply inserts.
  const [{ filled }] = await tx.$queryRaw<[{ filled: boolean }]>`SELECT EXISTS (SELECT 1 FROM icp_candidate_companies) AS filled`;
  let removed = 0;
  if (filled) {
    const kept = compileIcpPredicate(rules, { asOf, alias: "s", mode, paramOffset: 1 });
    removed = await tx.$executeRawUnsafe(
      `DELETE FROM icp_candidate_companies c
       USING icp_candidate_companies g
       LEFT JOIN (SELECT s.uen FROM staging_acra_companies s WHERE ${kept.text}) m ON m.uen = g.uen
       WHERE c.tenant_id = g.tenant_id AND c.uen = g.uen AND (g.matched_by <> $1::text OR m.uen IS NULL)`,
      mode,
      ...kept.params,
    );
  }
  const matched = compileIcpPredicate(rules, { asOf, alias: "s", mode, paramOffset: 2 });
  const added = await tx.$executeRawUnsafe(
    `INSERT INTO icp_candidate_companies (uen, matched_by, refresh_id)
     SELECT s.uen, $1::text, $2::uuid FROM staging_acra_companies s
     WHERE ${matched.text} ${filled ? "AND NOT EXISTS (SELECT 1 FROM icp_candidate_companies c WHERE c.uen = s.uen)" : ""}
     ON CONFLICT (tenant_id, uen) DO NOTHING`,
    mode,
    refreshId,
    ...matched.params,
  );
  const [{ count }] = await tx.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM icp_candidate_companies`;
  return { removed, added, count };
}

function industryLabels(rules: IcpRules): string {
  const labels = (rules.industries ?? []).map((k) => industryByKey(k)?.label ?? k);
  if (rules.ssic?.include?.length) labels.push(`SSIC ${rules.ssic.include.join(", ")}`);
  return labels.join(", ") || "industry exclusions only";
}

export async function refreshCandidates(tenantId: string, options: RefreshOptions): Promise<CandidateRefresh> {
  const started = Date.now();
  const asOf = options.asOf ?? new Date();
  const refreshId = randomUUID();
  try {
    return await db.$withTenant(
      tenantId,
      async (tx) => {
        // Two refreshes of one tenant would fight over the same rows.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('icp_candidates:' || ${tenantId}))`;
        const current = await latestIcpVersion(tx);
        const rules = current?.rules ?? defaultIcpRules();
        const byRules = await applyMatches(tx, rules, "rules", refreshId, asOf);
        let { added, removed, count } = byRules;
        let degradedReason: string | null = null;
        const versionLabel = current ? `ICP v${current.version}` : "The default ICP";

        if (count === 0) {
          if (hasIndustryScope(rules)) {
            const fallback = await applyMatches(tx, rules, "industry_fallback", refreshId, asOf);
            added = fallback.added;
            removed += fallback.removed;
            count = fallback.count;
            degradedReason =
              count > 0
                ? `${versionLabel} matched no company; using the industry-only fallback (${industryLabels(rules)}): ${count} candidates.`
                : `${versionLabel} matched no company, and the industry-only fallback (${industryLabels(rules)}) matched none either.`;
          } else {
            degradedReason = `${versionLabel} matched no company and names no industry to fall back on.`;
          }
        }

        const floor = rules.candidateFloor ?? options.floor;
        const belowFloor = count < floor;
        if (degradedReason) {
          await raiseAlert(tx, {
            kind: CANDIDATE_ALERTS.empty,
            severity: count > 0 ? "warning" : "critical",
            message: degradedReason,
            details: { refreshId, icpVersion: current?.version ?? null, candidates: count },
          });
        }
        if (belowFloor) {
          await raiseAlert(tx, {
            kind: CANDIDATE_ALERTS.belowFloor,
            severity: "warning",
            message: `Only ${count} candidate companies, below the floor of ${floor}.`,
            details: { refreshId, icpVersion: current?.version ?? null, candidates: count, floor },
          });
        }
        await resolveAlerts(tx, [
          CANDIDATE_ALERTS.failed,
          ...(degradedReason ? [] : [CANDIDATE_ALERTS.empty]),
          ...(belowFloor ? [] : [CANDIDATE_ALERTS.belowFloor]),
        ]);

        const durationMs = Date.now() - started;
        const status = degradedReason ? "degraded" : "ok";
        await tx.$executeRaw`
          INSERT INTO icp_candidate_refreshes (id, icp_version, reason, status, degraded_reason, matched_by_rules, candidate_count,
            added, removed, floor, below_floor, started_at, finished_at, duration_ms)
          VALUES (${refreshId}::uuid, ${current?.version ?? null}::int, ${options.reason}, ${status}, ${degradedReason}, ${byRules.count},
            ${count}, ${added}, ${removed}, ${floor}, ${belowFloor}, ${new Date(started)}, now(), ${durationMs})`;
        return {
          refreshId,
          status,
          degradedReason,
          icpVersion: current?.version ?? null,
          matchedByRules: byRules.count,
          candidateCount: count,
          added,
          removed,
          floor,
          belowFloor,
          durationMs,
        } satisfies CandidateRefresh;
      },
      { timeout: options.timeoutMs ?? 15 * 60_000, maxWait: 30_000 },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().error({ tenantId, refreshId, reason: message }, "candidate refresh failed");
    await db
      .$withTenant(tenantId, async (tx) => {
        await tx.$executeRaw`
          INSERT INTO icp_candidate_refreshes (id, reason, status, error, started_at, finished_at, duration_ms)
          VALUES (${refreshId}::uuid, ${options.reason}, 'failed', ${message}, ${new Date(started)}, now(), ${Date.now() - started})`;
        await raiseAlert(tx, {
          kind: CANDIDATE_ALERTS.failed,
          severity: "critical",
          message: `Candidate refresh failed: ${message}`,
          details: { refreshId, reason: options.reason },
        });
      })
      .catch((e) => log().error({ tenantId, err: e }, "could not record the failed candidate refresh"));
    throw error;
  }
}

export type CandidateRefreshRow = {
  id: string;
  icpVersion: number | null;
  reason: string;
  status: "ok" | "degraded" | "failed";
  degradedReason: string | null;
  matchedByRules: number;
  candidateCount: number;
  added: number;
  removed: number;
  floor: number | null;
  belowFloor: boolean;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
};

/** The last refresh (the nightly run copies its status: a degraded refresh makes a degraded run). */
export async function latestCandidateRefresh(tenantId: string): Promise<CandidateRefreshRow | null> {
  const rows = await db.$withTenant(tenantId, (tx) =>
    tx.$queryRaw<CandidateRefreshRow[]>`
      SELECT id, icp_version AS "icpVersion", reason, status, degraded_reason AS "degradedReason", matched_by_rules AS "matchedByRules",
             candidate_count AS "candidateCount", added, removed, floor, below_floor AS "belowFloor", error,
             started_at AS "startedAt", finished_at AS "finishedAt", duration_ms AS "durationMs"
      FROM icp_candidate_refreshes ORDER BY started_at DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

export type Candidate = {
  uen: string;
  entityName: string;
  primarySsicCode: string | null;
  primarySsicDescription: string | null;
  entityStatus: string;
  incorporatedOn: Date | null;
  postalCode: string | null;
  matchedBy: PredicateMode;
  addedAt: Date;
};

/** The tenant's candidates with their registry details, in UEN order (stable for paging). */
export async function listCandidates(tenantId: string, options: { limit?: number; afterUen?: string } = {}): Promise<Candidate[]> {
  return db.$withTenant(tenantId, (tx) =>
    tx.$queryRaw<Candidate[]>`
      SELECT c.uen, s.entity_name AS "entityName", s.primary_ssic_code AS "primarySsicCode",
             s.primary_ssic_description AS "primarySsicDescription", s.entity_status_description AS "entityStatus",
             s.registration_incorporation_date AS "incorporatedOn", s.postal_code AS "postalCode",
             c.matched_by AS "matchedBy", c.added_at AS "addedAt"
      FROM icp_candidate_companies c JOIN staging_acra_companies s ON s.uen = c.uen
      WHERE c.uen > ${options.afterUen ?? ""}
      ORDER BY c.uen LIMIT ${options.limit ?? 100}`,
  );
}
