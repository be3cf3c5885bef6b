import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import { isoDay } from "~/utils/date-format";
import { raiseAlert, resolveAlertsSql } from "../alerts/alerts.server";
import { db, type TenantTx } from "../db.server";
import { log } from "../logger.server";
import { industryByKey } from "./industries";
import { compileIcpPredicate, hasIndustryScope, type PredicateMode } from "./predicate";
import { defaultIcpRules, IcpRulesSchema, type IcpRules } from "./rules";

/**
 * A tenant's candidate set: the registry companies its ICP matches, kept in
 * `icp_candidate_blocks` under RLS — a cache of (registry × ICP). Each
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

type PreviousRefresh = Basis & { matchedByRules: number; candidateCount: number };

/** Only rules with company ages depend on the day. */
function asOfDay(rules: IcpRules, asOf: Date): string | null {
  return rules.ageYears?.min !== undefined || rules.ageYears?.max !== undefined ? isoDay(asOf) : null;
}

type Recorded = {
  icp: { version: number; rules: IcpRules } | null;
  registryRunId: string | null;
  hasBlocks: boolean;
  previous: PreviousRefresh | null;
};

/**
 * In one round trip (each one waits its turn on a busy server): the tenant's
 * current ICP version, the last registry load that finished (a running one's
 * changes are picked up by the next refresh), whether the tenant has blocks,
 * and the last refresh that did not fail.
 */
async function recordedState(tx: TenantTx): Promise<Recorded> {
  const [row] = await tx.$queryRaw<Array<Omit<Recorded, "icp"> & { icp: { version: number; rules: unknown } | null }>>`
    SELECT (SELECT json_build_object('version', version, 'rules', rules) FROM icp_rules ORDER BY version DESC LIMIT 1) AS icp,
           (SELECT id FROM acra_ingestion_runs WHERE status <> 'running' ORDER BY started_at DESC LIMIT 1) AS "registryRunId",
           EXISTS (SELECT 1 FROM icp_candidate_blocks) AS "hasBlocks",
           (SELECT json_build_object('icpVersion', icp_version, 'registryRunId', registry_run_id, 'asOf', to_char(as_of, 'YYYY-MM-DD'),
                     'matchedByRules', matched_by_rules, 'candidateCount', candidate_count)
            FROM icp_candidate_refreshes WHERE status <> 'failed' ORDER BY started_at DESC LIMIT 1) AS previous`;
  const { icp, ...state } = row!;
  // Saved rules were valid when saved; parsing again normalizes them to today's schema.
  return { ...state, icp: icp && { version: icp.version, rules: IcpRulesSchema.parse(icp.rules) } };
}

async function hasBlocks(tx: TenantTx): Promise<boolean> {
  const [{ filled }] = await tx.$queryRaw<[{ filled: boolean }]>`SELECT EXISTS (SELECT 1 FROM icp_candidate_blocks) AS filled`;
  return filled;
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

/** A first fill cuts the set into blocks of this many UENs; a rewritten block above MAX_BLOCK is split evenly. */
const BLOCK_SIZE = 240;
const MAX_BLOCK = 480;
/**
 * A fill's blocks (about 4 kB each), and a refresh's rewritten ones, are
 * written first into a temporary table, whose default would compress every
 * one of them (pglz) and the INSERT copy them compressed: the refresh would
 * pay for the compression and every later read for the decompression. Kept
 * inline uncompressed, as in the blocks table.
 */
const BLOCK_TUPLE_TARGET = 8160;
/**
 * A fill joins its matches into one string to cut it into blocks: the ASCII
 * unit and record separators, which no UEN holds (a registry load admits only
 * [0-9A-Z]{9,10}). A UEN holding one would come out cut in two, so the fill
 * checks that its blocks hold exactly as many UENs as matched.
 */
const UEN_SEPARATOR = "E'\\x1f'";
const BLOCK_SEPARATOR = "E'\\x1e'";

/**
 * The candidate set is stored as blocks (`icp_candidate_blocks`): one row per
 * run of consecutive UENs in UEN order, holding them as a sorted array, keyed
 * by its first UEN. A block covers the UENs from its first up to the next
 * block's first, so a UEN's block is one index probe away.
 */
export function candidateMatchedBySql(uen: string): Prisma.Sql {
  return Prisma.sql`SELECT b.matched_by FROM (
      SELECT uens, matched_by FROM icp_candidate_blocks WHERE first_uen <= ${uen} ORDER BY first_uen DESC LIMIT 1
    ) b WHERE ${uen} = ANY (b.uens)`;
}

export async function candidateTotal(tx: TenantTx): Promise<number> {
  const [row] = await tx.$queryRaw<[{ n: number }]>`SELECT coalesce(sum(cardinality(uens)), 0)::int AS n FROM icp_candidate_blocks`;
  return row.n;
}

/**
 * Replaces the blocks that `icp_rebuilt (old_first, uens, added, removed)` names:
 * the block starting at `old_first` (if any) gives way to `uens` (sorted,
 * within the same block range; empty or null when none are left), split
 * evenly when it outgrew MAX_BLOCK. Returns how many UENs came and went (counted per block).
 */
async function rewriteBlocks(tx: TenantTx, tenantId: string, mode: PredicateMode): Promise<{ added: number; removed: number }> {
  await tx.$executeRawUnsafe(`DELETE FROM icp_candidate_blocks b USING icp_rebuilt r WHERE b.first_uen = r.old_first`);
  await tx.$executeRawUnsafe(
    `INSERT INTO icp_candidate_blocks (tenant_id, first_uen, uens, matched_by)
     SELECT $1::uuid, r.uens[1], r.uens, $2::text FROM icp_rebuilt r WHERE cardinality(r.uens) BETWEEN 1 AND ${MAX_BLOCK}
     UNION ALL
     SELECT $1::uuid, p.uens[1], p.uens, $2::text FROM icp_rebuilt r CROSS JOIN LATERAL (
       SELECT array_agg(x.uen ORDER BY x.i) AS uens FROM unnest(r.uens) WITH ORDINALITY AS x(uen, i)
       GROUP BY (x.i - 1) * ((cardinality(r.uens) - 1) / ${MAX_BLOCK} + 1) / cardinality(r.uens)
     ) p WHERE cardinality(r.uens) > ${MAX_BLOCK}`,
    tenantId,
    mode,
  );
  const [counts] = await tx.$queryRaw<[{ added: number; removed: number }]>`
    SELECT coalesce(sum(added), 0)::int AS added, coalesce(sum(removed), 0)::int AS removed FROM icp_rebuilt`;
  return counts;
}

/** The existing blocks numbered in UEN order, and the `width_bucket` of a UEN among them (0 before the first block). */
const NUMBERED_BLOCKS = `
  blocks AS (SELECT row_number() OVER (ORDER BY first_uen)::int AS bucket, first_uen, uens FROM icp_candidate_blocks),
  firsts AS (SELECT array_agg(first_uen ORDER BY first_uen) AS firsts FROM icp_candidate_blocks)`;
const bucketOf = (uen: string) => `coalesce(width_bucket(${uen}, (SELECT firsts FROM firsts)), 0)`;

/**
 * Evaluates the predicate over the whole registry into a temporary table and
 * applies the difference. `CREATE TABLE … AS` may scan the registry with
 * parallel workers, which Postgres never gives the SELECT of an INSERT, and
 * the scan is most of a refresh's time. An empty set is filled by one such
 * statement that also cuts the sorted matches into blocks, so the workers
 * share the sort and the INSERT writes about a thousand rows. Otherwise the
 * matches are grouped by the existing block they fall in, and only the
 * blocks whose content differs are rewritten.
 */
async function applyMatches(tx: TenantTx, tenantId: string, rules: IcpRules, mode: PredicateMode, asOf: Date, filled: boolean): Promise<Matches> {
  const matched = compileIcpPredicate(rules, { asOf, alias: "s", mode });
  if (!filled) {
    // One table per mode: a fill by the rules and one by the fallback may share a transaction, and no DROP costs a round trip.
    const newBlocks = mode === "rules" ? "icp_new_blocks" : "icp_new_fallback_blocks";
    // The matches, in UEN order as the workers' sorts merge, are joined into one string whose separator
    // before every BLOCK_SIZE-th UEN is another, then cut at those and at the rest: grouping by block number
    // sorted all 235,000 matches a second time in the leader, after the workers were done.
    await tx.$executeRawUnsafe(
      `CREATE TEMP TABLE ${newBlocks} WITH (toast_tuple_target = ${BLOCK_TUPLE_TARGET}) ON COMMIT DROP AS
       SELECT string_to_array(block, ${UEN_SEPARATOR}) AS uens, joined.matched
       FROM (SELECT string_agg(m.uen, CASE WHEN m.n % ${BLOCK_SIZE} = 1 THEN ${BLOCK_SEPARATOR} ELSE ${UEN_SEPARATOR} END ORDER BY m.uen) AS uens,
                    count(*)::int AS matched
             FROM (SELECT s.uen, row_number() OVER (ORDER BY s.uen) AS n FROM staging_acra_companies s WHERE ${matched.text}) m) joined
       CROSS JOIN unnest(string_to_array(joined.uens, ${BLOCK_SEPARATOR})) AS block`,
      ...matched.params,
    );
    const [{ added, matched: count }] = await tx.$queryRawUnsafe<[{ added: number; matched: number }]>(
      `WITH written AS (
         INSERT INTO icp_candidate_blocks (tenant_id, first_uen, uens, matched_by) SELECT $1::uuid, b.uens[1], b.uens, $2::text FROM ${newBlocks} b
         RETURNING cardinality(uens) AS n)
       SELECT coalesce(sum(n), 0)::int AS added, coalesce((SELECT max(matched) FROM ${newBlocks}), 0) AS matched FROM written`,
      tenantId,
      mode,
    );
    if (added !== count) throw new Error(`a fill cut ${count} matching UENs into blocks of ${added}: a UEN holds a separator`);
    return { removed: 0, added, count: added };
  }
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS icp_matches`);
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE icp_matches ON COMMIT DROP AS SELECT s.uen FROM staging_acra_companies s WHERE ${matched.text}`,
    ...matched.params,
  );
  await tx.$executeRawUnsafe(`ANALYZE icp_matches`);
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS icp_rebuilt`);
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE icp_rebuilt WITH (toast_tuple_target = ${BLOCK_TUPLE_TARGET}) ON COMMIT DROP AS
     WITH ${NUMBERED_BLOCKS},
       matches AS (SELECT ${bucketOf("m.uen")} AS bucket, array_agg(m.uen ORDER BY m.uen) AS uens FROM icp_matches m GROUP BY 1)
     SELECT blocks.first_uen AS old_first, matches.uens,
       (SELECT count(*) FROM (SELECT unnest(matches.uens) EXCEPT ALL SELECT unnest(blocks.uens)) a)::int AS added,
       (SELECT count(*) FROM (SELECT unnest(blocks.uens) EXCEPT ALL SELECT unnest(matches.uens)) r)::int AS removed
     FROM matches FULL JOIN blocks USING (bucket) WHERE matches.uens IS DISTINCT FROM blocks.uens`,
  );
  const { added, removed } = await rewriteBlocks(tx, tenantId, mode);
  // The whole set follows this evaluation's mode (the rules, or the industry-only fallback).
  await tx.$executeRaw`UPDATE icp_candidate_blocks SET matched_by = ${mode} WHERE matched_by <> ${mode}`;
  const [{ count }] = await tx.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM icp_matches`;
  return { removed, added, count };
}

/**
 * Writes what `icp_delta (uen, matches)` says into the blocks: UENs that
 * match join their block, UENs that no longer match leave it. Only the blocks
 * these UENs fall in are read, each merged with its own few changes, and only
 * those whose content changed are rewritten.
 */
async function applyDelta(tx: TenantTx, tenantId: string, mode: PredicateMode): Promise<{ added: number; removed: number }> {
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS icp_rebuilt`);
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE icp_rebuilt WITH (toast_tuple_target = ${BLOCK_TUPLE_TARGET}) ON COMMIT DROP AS
     WITH ${NUMBERED_BLOCKS},
       changes AS (
         SELECT ${bucketOf("d.uen")} AS bucket,
                coalesce(array_agg(d.uen) FILTER (WHERE NOT d.matches), '{}') AS gone,
                coalesce(array_agg(d.uen) FILTER (WHERE d.matches), '{}') AS came
         FROM icp_delta d GROUP BY 1),
       rebuilt AS (
         SELECT blocks.first_uen AS old_first, coalesce(blocks.uens, '{}') AS old_uens, c.gone, c.came,
                ARRAY(SELECT u FROM unnest(blocks.uens) AS u WHERE u <> ALL (c.gone)
                      UNION ALL SELECT a FROM unnest(c.came) AS a WHERE a <> ALL (coalesce(blocks.uens, '{}'))
                      ORDER BY 1) AS uens
         FROM changes c LEFT JOIN blocks USING (bucket))
     SELECT old_first, uens,
       (SELECT count(*) FROM unnest(came) AS a WHERE a <> ALL (old_uens))::int AS added,
       (SELECT count(*) FROM unnest(old_uens) AS u WHERE u = ANY (gone))::int AS removed
     FROM rebuilt WHERE uens <> old_uens`,
  );
  return rewriteBlocks(tx, tenantId, mode);
}

/** Adds these UENs to the tenant's candidate set (a test or seed that places candidates without a refresh). */
export async function addCandidates(tx: TenantTx, tenantId: string, uens: string[], mode: PredicateMode = "rules"): Promise<number> {
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS icp_delta`);
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE icp_delta ON COMMIT DROP AS SELECT DISTINCT uen, true AS matches FROM unnest($1::text[]) AS u(uen)`, uens);
  return (await applyDelta(tx, tenantId, mode)).added;
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
  const { added, removed } = await applyDelta(tx, tenantId, "rules");
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
        const state = await recordedState(tx);
        const current = state.icp;
        const rules = current?.rules ?? defaultIcpRules();
        const basis: Basis = { icpVersion: current?.version ?? null, registryRunId: state.registryRunId, asOf: asOfDay(rules, asOf) };
        const recorded = state.previous;
        const emptied = recorded !== null && recorded.candidateCount > 0 && !state.hasBlocks;
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
          // Whether blocks are there now: as read above, unless the loads' changes were just applied.
          let filled: boolean | undefined = state.hasBlocks;
          const onRules = sameRules && previous.matchedByRules > 0 && previous.matchedByRules === previous.candidateCount;
          if (onRules && previous.registryRunId && basis.registryRunId) {
            const runs = await loadsSince(tx, previous.registryRunId);
            if (runs) {
              byRules = await applyChangedRows(tx, tenantId, rules, asOf, runs, previous.candidateCount);
              filled = undefined;
            }
            // Loads that emptied the set: the full evaluation decides about the fallback.
            if (byRules?.count === 0) byRules = undefined;
          }
          byRules ??= await applyMatches(tx, tenantId, rules, "rules", asOf, filled ?? (await hasBlocks(tx)));
          ({ added, removed, count } = byRules);
          matchedByRules = count;
          if (count === 0 && hasIndustryScope(rules)) {
            // The rules left no block.
            const fallback = await applyMatches(tx, tenantId, rules, "industry_fallback", asOf, false);
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
        const resolved = resolveAlertsSql([
          CANDIDATE_ALERTS.failed,
          ...(degradedReason ? [] : [CANDIDATE_ALERTS.empty]),
          ...(belowFloor ? [] : [CANDIDATE_ALERTS.belowFloor]),
        ]);

        const durationMs = Date.now() - started;
        const status = degradedReason ? "degraded" : "ok";
        // The alerts this refresh settles are resolved by the same statement that records it: one round trip.
        await tx.$executeRaw`
          WITH resolved AS (${resolved})
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
             c.matched_by AS "matchedBy"
      FROM icp_candidate_companies c JOIN staging_acra_companies s ON s.uen = c.uen
      WHERE c.uen > ${options.afterUen ?? ""}
      ORDER BY c.uen LIMIT ${options.limit ?? 100}`,
  );
}
