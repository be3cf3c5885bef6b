import { db } from "~/db.server";
import { log } from "~/logger.server";
import { raiseVendorFailureAlert } from "./alerts.server";
import { addVendorUsage, VENDOR_UNIT_COST_USD, type VendorUsageDelta } from "./run-log.server";

type RunRef = { tenantId: string; runId: string };

/** A vendor call's usage added to the run's counters, costed at the vendor's unit price per unit unless the cost is given. */
export async function recordVendorUsage(run: RunRef, vendor: string, delta: VendorUsageDelta) {
  const costUsd = delta.costUsd ?? (delta.units ?? 0) * (VENDOR_UNIT_COST_USD[vendor] ?? 0);
  await db.$withTenant(run.tenantId, (tx) => addVendorUsage(tx, run.runId, vendor, { ...delta, costUsd }));
}

/** A failed vendor call the company goes on without: logged, and alerted when an operator can act on it (quota, rate limit). */
export async function noteVendorFailure(run: RunRef, vendor: string, error: unknown) {
  log().warn({ vendor, reason: (error as Error).message }, "vendor call failed; continuing");
  await raiseVendorFailureAlert(run.tenantId, run.runId, vendor, (error as Error).name);
}
