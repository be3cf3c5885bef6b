import { BUCKETS, type Bucket } from "./score";

/** Distribution sanity: no bucket may hold more than 70 % of a run's scored companies. */
export const MAX_BUCKET_SHARE = 0.7;

export type DistributionCheck = {
  ok: boolean;
  total: number;
  /** Share of the total per bucket, 0..1 (all 0 for an empty run). */
  shares: Record<Bucket, number>;
  /** The bucket over the limit, when there is one (at most one can be). */
  offending?: Bucket;
};

/**
 * Distribution sanity of a run's buckets, from the list of buckets or from
 * counts per bucket. An empty run is ok: there is nothing skewed to report.
 */
export function distributionCheck(buckets: readonly Bucket[] | Partial<Record<Bucket, number>>): DistributionCheck {
  const counts: Record<Bucket, number> = { High: 0, Medium: 0, Low: 0 };
  if (Array.isArray(buckets)) {
    for (const b of buckets as readonly Bucket[]) {
      if (!(b in counts)) throw new RangeError(`Not a bucket: ${JSON.stringify(b)}`);
      counts[b] += 1;
    }
  } else {
    for (const b of BUCKETS) {
      const n = (buckets as Partial<Record<Bucket, number>>)[b] ?? 0;
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`Bucket count must be a non-negative integer: ${b}=${n}`);
      counts[b] = n;
    }
  }
  const total = counts.High + counts.Medium + counts.Low;
  const shares = Object.fromEntries(BUCKETS.map((b) => [b, total ? counts[b] / total : 0])) as Record<Bucket, number>;
  const offending = BUCKETS.find((b) => shares[b] > MAX_BUCKET_SHARE);
  return offending ? { ok: false, total, shares, offending } : { ok: true, total, shares };
}
