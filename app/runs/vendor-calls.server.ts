import { db } from "~/db.server";
import { log } from "~/logger.server";
import { raiseVendorFailureAlert } from "./alerts.server";
import { addVendorUsage, VENDOR_UNIT_COST_USD, type VendorUsageDelta } from "./run-log.server";

type RunRef = { tenantId: string; runId: string };

type Waiter = { resolve: () => void; reject: (error: unknown) => void };
type Merged = { delta: Required<VendorUsageDelta>; waiters: Waiter[] };

/** Per run and vendor: the increments waiting for the write in flight to finish. */
const waiting = new Map<string, Merged>();
const writing = new Set<string>();

/**
 * A vendor call's usage added to the run's counters, costed at the vendor's
 * unit price per unit unless the cost is given. Every job of a run adds to
 * the same row: in one process at most one transaction per run and vendor
 * writes it, and the increments that arrive meanwhile go into the next one
 * together, instead of a transaction each queueing on the row's lock (and on
 * the pool) behind one another. Each caller still returns only once its
 * increment is committed.
 */
export function recordVendorUsage(run: RunRef, vendor: string, delta: VendorUsageDelta): Promise<void> {
  const key = `${run.tenantId}:${run.runId}:${vendor}`;
  return new Promise<void>((resolve, reject) => {
    let merged = waiting.get(key);
    if (!merged) {
      merged = { delta: { calls: 0, units: 0, costUsd: 0, errors: 0, cacheHits: 0 }, waiters: [] };
      waiting.set(key, merged);
    }
    merged.delta.calls += delta.calls ?? 0;
    merged.delta.units += delta.units ?? 0;
    merged.delta.costUsd += delta.costUsd ?? (delta.units ?? 0) * (VENDOR_UNIT_COST_USD[vendor] ?? 0);
    merged.delta.errors += delta.errors ?? 0;
    merged.delta.cacheHits += delta.cacheHits ?? 0;
    merged.waiters.push({ resolve, reject });
    if (!writing.has(key)) void writeMerged(key, run, vendor);
  });
}

async function writeMerged(key: string, run: RunRef, vendor: string) {
  writing.add(key);
  try {
    for (let merged = waiting.get(key); merged; merged = waiting.get(key)) {
      waiting.delete(key);
      const { delta, waiters } = merged;
      try {
        await db.$tenantWrite(run.tenantId, (tx) => addVendorUsage(tx, run.runId, vendor, delta));
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
  } finally {
    writing.delete(key);
  }
}

/** A failed vendor call the company goes on without: logged, and alerted when an operator can act on it (quota, rate limit). */
export async function noteVendorFailure(run: RunRef, vendor: string, error: unknown) {
  log().warn({ vendor, reason: (error as Error).message }, "vendor call failed; continuing");
  await raiseVendorFailureAlert(run.tenantId, run.runId, vendor, (error as Error).name);
}
