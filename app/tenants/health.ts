/**
 * A tenant's health at a glance, for the platform overview's severity badge:
 * the worst of its status, its open alerts, its Odoo check and its data-lake
 * freshness. Browser-safe.
 */
export type HealthSeverity = "ok" | "warning" | "critical";

export type HealthSignals = {
  status: string;
  /** The most severe open alert (info, warning, critical), or null. */
  worstAlert: string | null;
  /** The last Odoo check: true answered, false failed, null never checked. */
  odooReachable: boolean | null;
  /** Any enabled lake source past its freshness target. */
  syncStale: boolean;
};

export function tenantSeverity(signals: HealthSignals): HealthSeverity {
  if (signals.status === "error" || signals.worstAlert === "critical" || signals.odooReachable === false) return "critical";
  if (signals.worstAlert === "warning" || signals.syncStale || signals.status === "provisioning") return "warning";
  return "ok";
}

export const SEVERITY_TONE = { ok: "green", warning: "amber", critical: "red" } as const;
