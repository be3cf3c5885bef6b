import { raiseAlert, type AlertSeverity } from "~/alerts/alerts.server";
import { db } from "~/db.server";

/** An alert tied to a run, raised outside any other transaction (one open alert per kind and run). */
export async function raiseRunAlert(
  tenantId: string,
  runId: string | null,
  kind: string,
  severity: AlertSeverity,
  message: string,
  details: Record<string, unknown> = {},
  key?: string,
) {
  await db.$withTenant(tenantId, (tx) => raiseAlert(tx, { kind, severity, message, details, runId, key }));
}

/**
 * The alert a failed vendor call deserves (vendor quota errors and rate
 * limits, the LLM's included), or null when the failure is not one an operator acts on.
 */
export function vendorFailureAlert(vendor: string, errorName: string | undefined): { kind: string; severity: AlertSeverity; message: string } | null {
  if (errorName === "QuotaExceeded")
    return { kind: "vendor_quota", severity: "warning", message: `${vendor} quota reached; the run continues without it where it can.` };
  if (errorName === "RateLimited")
    return { kind: "vendor_rate_limit", severity: "info", message: `${vendor} rate-limited the run; affected steps were skipped.` };
  return null;
}

export async function raiseVendorFailureAlert(tenantId: string, runId: string, vendor: string, errorName: string | undefined) {
  const alert = vendorFailureAlert(vendor, errorName);
  // One vendor's quota says nothing about another's: each vendor is its own de-duplication key.
  if (alert) await raiseRunAlert(tenantId, runId, alert.kind, alert.severity, alert.message, { vendor }, `${alert.kind}:${vendor}`);
}
