import { randomUUID } from "node:crypto";
import { isoDay } from "~/utils/date-format";
import { raiseAlert, resolveAlerts } from "../alerts/alerts.server";
import { db, type TenantTx } from "../db.server";
import { log } from "../logger.server";
import { latestIcpVersion } from "./icp-versions.server";
import { industryByKey } from "./industries";
import { compileIcpPredicate, hasIndustryScope, type PredicateMode } from "./predicate";
import { defaultIcpRules, type IcpRules } from "./rules";

/**
 * A tenant's candidate set: the registry companies its ICP matches, kept in
 * `icp_candidate_companies` under RLS — a cache of (registry × ICP). Each
 * refresh records what it was computed from (ICP version, registry load, and
 * the day when the rules use company age): with the same basis a refresh only
 * records itself; after registry loads it evaluates the rows they changed;
 * otherwise it evaluates the whole registry and writes the difference. All in
 * one transaction, so readers see the old set until the new one is complete.
 * The table is UNLOGGED (a fill writes no WAL): crash recovery, a failover or
 * a restore from a physical backup leaves it empty while the refresh rows
 * survive, so an empty set where the last refresh left candidates is
 * evaluated again instead of skipped.
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

type Matches = { removed: number; added: number; count: number };

/** What a refresh was computed from; the same basis gives the same candidates. */
type Basis = { icpVersion: number | null; registryRunId: string | null; asOf: string | null };

type PreviousRefresh = Basis & { matchedByRules: number; candidateCount: number; hasCandidates: boolean };

/** Only rules with company ages depend on the day. */
function asOfDay(rules: IcpRules, asOf: Date): string | null {
  return rules.ageYears?.min !== undefined || rules.ageYears?.max !== undefined ? isoDay(asOf) : null;
}

/** The last registry load that finished (a running one's changes are picked up by the next refresh). */
async function registryRun(tx: TenantTx): Promise<string | null> {
  const [run] = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM acra_ingestion_runs WHERE status <> 'running' ORDER BY started_at DESC LIMIT 1`;
  return run?.id ?? null;
}

async function previousRefresh(tx: TenantTx): Promise<PreviousRefresh | null> {
  const [row] = await tx.$queryRaw<PreviousRefresh[]>`
    SELECT icp_version AS "icpVersion", registry_run_id AS "registryRunId", to_char(as_of, 'YYYY-MM-DD') AS "asOf",
           matched_by_rules AS "matchedByRules", candidate_count AS "candidateCount",
           EXISTS (SELECT 1 FROM icp_candidate_companies) AS "hasCandidates"
    FROM icp_candidate_refreshes WHERE status <> 'failed' ORDER BY started_at DESC LIMIT 1`;
  return row ?? null;
}

/** The loads since `runId` (any outcome: a run that died after its COMMIT still changed rows). */
async function loadsSince(tx: TenantTx, runId: string): Promise<string[] | null> {
  const rows = await tx.$queryRaw<Array<{ id: string; known: boolean }>>`
    SELECT r.id, false AS known FROM acra_ingestion_runs r
    WHERE r.started_at > (SELECT started_at FROM acra_ingestion_runs WHERE id = ${runId}::uuid)
    UNION ALL SELECT id, true FROM acra_ingestion_runs WHERE id = ${runId}::uuid`;
  if (!rows.some((r) => r.known)) return null;
  return rows.filter((r) => !r.known).map((r) => r.id);
}

/**
 * Evaluates the predicate over the whole registry into a temporary table and
 * applies the difference: an empty set is filled from it in UEN order (the
 * primary key then grows at its right edge); otherwise only what differs is
 * written (gone rows deleted, a changed `matched_by` updated, new rows
 * inserted). `CREATE TABLE … AS` may scan the registry with parallel workers,
 * which Postgres never gives the SELECT of an INSERT, and the scan is most of
 * a fill's time. For a fill it also sorts there, so the workers share the sort
 * and the INSERT, which runs in one process, only copies: a temporary table is
 * read back in the order it was written (its pages are local, never shared
 * with a synchronized scan that could start midway).
 */
async function applyMatches(tx: TenantTx, tenantId: string, rules: IcpRules, mode: PredicateMode, asOf: Date): Promise<Matches> {
  const [{ filled }] = await tx.$queryRaw<[{ filled: boolean }]>`SELECT EXISTS (SELECT 1 FROM icp_candidate_companies) AS filled`;
  const matched = compileIcpPredicate(rules, { asOf, alias: "s", mode });
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS icp_matches`);
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE icp_matches ON COMMIT DROP AS SELECT s.uen FROM staging_acra_companies s WHERE ${matched.text}${filled ? "" : " ORDER BY s.uen"}`,
    ...matched.params,
  );
  if (!filled) {
    const added = await tx.$executeRawUnsafe(
      `INSERT INTO icp_candidate_companies (tenant_id, uen, matched_by) SELECT $1::uuid, m.uen, $2::text FROM icp_matches m`,
      tenantId,
      mode,
    );
    return { removed: 0, added, count: added };
  }
  const [{ count }] = await tx.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM icp_matches`;
  await tx.$executeRawUnsafe(`ANALYZE icp_matches`);
  const removed = await tx.$executeRawUnsafe(`DELETE FROM icp_candidate_companies c WHERE NOT EXISTS (SELECT 1 FROM icp_matches m WHERE m.uen = c.uen)`);
  await tx.$executeRaw`UPDATE icp_candidate_companies SET matched_by = ${mode} WHERE matched_by <> ${mode}`;
  const added = await tx.$executeRawUnsafe(
    `INSERT INTO icp_candidate_companies (tenant_id, uen, matched_by)
     SELECT $1::uuid, m.uen, $2::text FROM icp_matches m
     WHERE NOT EXISTS (SELECT 1 FROM icp_candidate_companies c WHERE c.uen = m.uen) ORDER BY m.uen`,
    tenantId,
    mode,
  );
  return { removed, added, count };
}

/** After registry loads: evaluates only the rows they changed (the rules matched before, and still may). */
async function applyChangedRows(tx: TenantTx, tenantId: string, rules: IcpRules, asOf: Date, runs: string[], before: number): Promise<Matches> {
  if (!runs.length) return { removed: 0, added: 0, count: before };
  const where = compileIcpPredicate(rules, { asOf, alias: "s", mode: "rules", paramOffset: 1 });
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS icp_delta`);
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE icp_delta ON COMMIT DROP AS
     SELECT s.uen, coalesce((${where.text}), false) AS matches FROM staging_acra_companies s WHERE s.last_run_id = ANY($1::uuid[])`,
    runs,
    ...where.params,
  );
  const removed = await tx.$executeRawUnsafe(`DELETE FROM icp_candidate_companies c USING icp_delta d WHERE c.uen = d.uen AND NOT d.matches`);
  const added = await tx.$executeRawUnsafe(
    `INSERT INTO icp_candidate_companies (tenant_id, uen, matched_by)
     SELECT $1::uuid, d.uen, 'rules' FROM icp_delta d
     WHERE d.matches AND NOT EXISTS (SELECT 1 FROM icp_candidate_companies c WHERE c.uen = d.uen) ORDER BY d.uen`,
    tenantId,
  );
  return { removed, added, count: before - removed + added };
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
        const basis: Basis = { icpVersion: current?.version ?? null, registryRunId: await registryRun(tx), asOf: asOfDay(rules, asOf) };
        const recorded = await previousRefresh(tx);
        const emptied = recorded !== null && recorded.candidateCount > 0 && !recorded.hasCandidates;
        if (emptied) {
          log().warn(
            { tenantId, candidates: recorded.candidateCount },
            "the candidate cache was emptied (crash recovery or restore); evaluating the registry again",
          );
        }
        // An emptied cache has no previous set to build on.
        const previous = emptied ? null : recorded;
        const sameRules = previous !== null && previous.icpVersion === basis.icpVersion && previous.asOf === basis.asOf;
        let added = 0;
        let removed = 0;
        let count: number;
        let matchedByRules: number;
        if (sameRules && previous.registryRunId === basis.registryRunId) {
          // Nothing it depends on changed: the set is what the previous refresh left.
          matchedByRules = previous.matchedByRules;
          count = previous.candidateCount;
        } else {
          let byRules: Matches | undefined;
          const onRules = sameRules && previous.matchedByRules > 0 && previous.matchedByRules === previous.candidateCount;
          if (onRules && previous.registryRunId && basis.registryRunId) {
            const runs = await loadsSince(tx, previous.registryRunId);
            if (runs) byRules = await applyChangedRows(tx, tenantId, rules, asOf, runs, previous.candidateCount);
            // Loads that emptied the set: the full evaluation decides about the fallback.
            if (byRules?.count === 0) byRules = undefined;
          }
          byRules ??= await applyMatches(tx, tenantId, rules, "rules", asOf);
          ({ added, removed, count } = byRules);
          matchedByRules = count;
          if (count === 0 && hasIndustryScope(rules)) {
            const fallback = await applyMatches(tx, tenantId, rules, "industry_fallback", asOf);
            added = fallback.added;
            removed += fallback.removed;
            count = fallback.count;
          }
        }
        const versionLabel = current ? `ICP v${current.version}` : "The default ICP";
        let degradedReason: string | null = null;
        if (matchedByRules === 0) {
          if (hasIndustryScope(rules)) {
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
            added, removed, floor, below_floor, started_at, finished_at, duration_ms, registry_run_id, as_of)
          VALUES (${refreshId}::uuid, ${current?.version ?? null}::int, ${options.reason}, ${status}, ${degradedReason}, ${matchedByRules},
            ${count}, ${added}, ${removed}, ${floor}, ${belowFloor}, ${new Date(started)}, now(), ${durationMs},
            ${basis.registryRunId}::uuid, ${basis.asOf}::date)`;
        return {
          refreshId,
          status,
          degradedReason,
          icpVersion: current?.version ?? null,
          matchedByRules,
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
  const rows = await db.$withTenant(
    tenantId,
    (tx) =>
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
  return db.$withTenant(
    tenantId,
    (tx) =>
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
