import { BUCKETS, type Bucket } from "~/scoring/score";

/**
 * What became of the leads the platform pushed to Odoo, rolled up by run, by
 * ICP version and by score bucket (browser-safe; the figures come from
 * `lead-outcomes.server.ts`).
 *
 * A pushed lead counts once, for the run that first pushed it and the bucket
 * it had in that run. It became an opportunity when Odoo holds at least one
 * opportunity (type opportunity) for its company opened after that push; the
 * deal counts (won, lost, open) and values are over those opportunities. The
 * conversion rate is pushed leads with a won deal over pushed leads.
 *
 * Vendor spend is each run's vendor cost (the run's usage ledger), whole: the
 * leads that did not convert cost as much to find as those that did. A
 * bucket's share of a run's cost is its share of the companies the run
 * scored, every scored company having been enriched alike.
 */

export type LeadOutcomesQuery = {
  /** First and last month (YYYY-MM) of the runs' Singapore run dates, inclusive. */
  from?: string;
  to?: string;
  icpVersion?: number;
};

/** The opportunities of pushed leads (type opportunity, opened after the push) and their values. */
export type DealCounts = { opportunities: number; won: number; lost: number; open: number; wonValue: number; openValue: number };

/** One (run, bucket) cell, as the database adds it up. */
export type OutcomeCell = DealCounts & {
  runId: string;
  runDate: string;
  icpVersion: number | null;
  bucket: Bucket;
  pushed: number;
  withOpportunity: number;
  withWon: number;
};

/** A run's vendor cost and how many companies it scored per bucket. */
export type RunSpend = { runId: string; costUsd: number; scored: Record<Bucket, number> };

export type OutcomeFigures = DealCounts & {
  pushed: number;
  becameOpportunities: number;
  wonLeads: number;
  /** Pushed leads that became an opportunity, over pushed leads. */
  opportunityRate: number | null;
  /** Pushed leads with a won deal, over pushed leads. */
  conversionRate: number | null;
  /** Won over decided (won + lost) opportunities. */
  winRate: number | null;
  /** Null when the caller is not shown vendor spend. */
  spendUsd: number | null;
  spendPerWonDeal: number | null;
};

/** The deal-list filter behind a group: the `/app/opportunities` parameters that name its deals. */
export type PushedFilter = { pushed_run?: string; pushed_icp?: string; pushed_bucket?: Bucket };

export type OutcomeGroup = OutcomeFigures & { key: string; label: string; filter: PushedFilter };
export type RunOutcome = OutcomeGroup & { runDate: string; icpVersion: number | null };

export type OutcomeRollup = {
  totals: OutcomeFigures;
  byRun: RunOutcome[];
  byIcpVersion: OutcomeGroup[];
  byBucket: OutcomeGroup[];
};

type Counts = Omit<OutcomeCell, "runId" | "runDate" | "icpVersion" | "bucket">;
const COUNT_KEYS = ["pushed", "withOpportunity", "withWon", "opportunities", "won", "lost", "open", "wonValue", "openValue"] as const;

function emptyCounts(): Counts {
  return { pushed: 0, withOpportunity: 0, withWon: 0, opportunities: 0, won: 0, lost: 0, open: 0, wonValue: 0, openValue: 0 };
}

function addCounts(into: Counts, cell: Counts): void {
  for (const key of COUNT_KEYS) into[key] += cell[key];
}

/** `part / whole`, null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** A run's cost split over buckets by the companies it scored in each; nothing when it scored none. */
export function bucketShares(spend: RunSpend): Record<Bucket, number> {
  const scored = BUCKETS.reduce((sum, bucket) => sum + spend.scored[bucket], 0);
  const shares = { High: 0, Medium: 0, Low: 0 };
  if (scored === 0) return shares;
  for (const bucket of BUCKETS) shares[bucket] = (spend.costUsd * spend.scored[bucket]) / scored;
  return shares;
}

function figures(counts: Counts, spendUsd: number | null): OutcomeFigures {
  return {
    pushed: counts.pushed,
    becameOpportunities: counts.withOpportunity,
    wonLeads: counts.withWon,
    opportunities: counts.opportunities,
    won: counts.won,
    lost: counts.lost,
    open: counts.open,
    wonValue: counts.wonValue,
    openValue: counts.openValue,
    opportunityRate: ratio(counts.withOpportunity, counts.pushed),
    conversionRate: ratio(counts.withWon, counts.pushed),
    winRate: ratio(counts.won, counts.won + counts.lost),
    spendUsd,
    spendPerWonDeal: spendUsd === null ? null : ratio(spendUsd, counts.won),
  };
}

/**
 * Rolls the cells up. Runs newest first, ICP versions newest first (runs
 * without a version last), buckets always all three in scoring order so an
 * empty bucket shows as 0 rather than vanishing. `showSpend` false leaves
 * every spend figure null.
 */
export function rollUpOutcomes(cells: readonly OutcomeCell[], spends: readonly RunSpend[], showSpend: boolean): OutcomeRollup {
  const runCost = new Map(spends.map((spend) => [spend.runId, spend.costUsd]));
  const runShares = new Map(spends.map((spend) => [spend.runId, bucketShares(spend)]));
  const spendOf = (runIds: Iterable<string>, bucket?: Bucket) => {
    if (!showSpend) return null;
    let sum = 0;
    for (const runId of new Set(runIds)) sum += bucket ? (runShares.get(runId)?.[bucket] ?? 0) : (runCost.get(runId) ?? 0);
    return sum;
  };

  const runs = new Map<string, { runDate: string; icpVersion: number | null; counts: Counts }>();
  const versions = new Map<string, { version: number | null; runIds: Set<string>; counts: Counts }>();
  const buckets = new Map<Bucket, Counts>(BUCKETS.map((b) => [b, emptyCounts()]));
  const total = emptyCounts();
  for (const cell of cells) {
    const run = runs.get(cell.runId) ?? { runDate: cell.runDate, icpVersion: cell.icpVersion, counts: emptyCounts() };
    runs.set(cell.runId, run);
    addCounts(run.counts, cell);
    const versionKey = icpVersionKey(cell.icpVersion);
    const version = versions.get(versionKey) ?? { version: cell.icpVersion, runIds: new Set<string>(), counts: emptyCounts() };
    versions.set(versionKey, version);
    version.runIds.add(cell.runId);
    addCounts(version.counts, cell);
    addCounts(buckets.get(cell.bucket)!, cell);
    addCounts(total, cell);
  }

  const byRun = [...runs.entries()]
    .map(([runId, run]) => ({
      ...figures(run.counts, spendOf([runId])),
      key: runId,
      label: run.runDate,
      runDate: run.runDate,
      icpVersion: run.icpVersion,
      filter: { pushed_run: runId },
    }))
    .sort((a, b) => b.runDate.localeCompare(a.runDate) || a.key.localeCompare(b.key));
  const byIcpVersion = [...versions.entries()]
    .sort(([, a], [, b]) => (b.version ?? -1) - (a.version ?? -1))
    .map(([key, version]) => ({
      ...figures(version.counts, spendOf(version.runIds)),
      key,
      label: version.version === null ? "No ICP version" : `ICP v${version.version}`,
      filter: { pushed_icp: key },
    }));
  // Every run's cost is split over all three buckets, so the buckets' spend adds up to the total.
  const byBucket = BUCKETS.map((bucket) => ({
    ...figures(buckets.get(bucket)!, spendOf(runs.keys(), bucket)),
    key: bucket,
    label: bucket,
    filter: { pushed_bucket: bucket },
  }));
  return { totals: figures(total, spendOf(runs.keys())), byRun, byIcpVersion, byBucket };
}

/** The `pushed_icp` value of a version: its number, or `none` for runs made before ICP versions. */
export function icpVersionKey(version: number | null): string {
  return version === null ? "none" : String(version);
}

/**
 * The deal list behind a figure: the opportunities page filtered to deals
 * from pushed leads (`pushed=1`), narrowed to the group and the outcome.
 */
export function pushedDealsHref(filter: PushedFilter, outcome?: "open" | "won" | "lost"): string {
  const params = new URLSearchParams({ pushed: "1" });
  for (const [name, value] of Object.entries(filter)) if (value !== undefined) params.set(name, value);
  if (outcome) params.set("outcome", outcome);
  return `/app/opportunities?${params.toString()}`;
}
