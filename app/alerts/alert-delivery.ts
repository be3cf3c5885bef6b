import { ALERT_SEVERITIES, type AlertSeverity } from "./alert-severity";

/**
 * The rules of alert delivery, free of I/O: which channels an alert reaches,
 * when a repeat of the same key is held back, and what the emails say.
 */
export function meetsSeverity(severity: string, minimum: string): boolean {
  return ALERT_SEVERITIES.indexOf(severity as AlertSeverity) >= ALERT_SEVERITIES.indexOf(minimum as AlertSeverity);
}

/**
 * A channel hears of a key at most once per window: an alert whose key it
 * was sent less than `windowMinutes` ago is a duplicate. A window of 0 sends every alert.
 */
export function isDuplicate(lastSentAt: Date | null, now: Date, windowMinutes: number): boolean {
  if (!lastSentAt || windowMinutes <= 0) return false;
  return now.getTime() - lastSentAt.getTime() < windowMinutes * 60_000;
}

export type DeliveredAlert = {
  id: string;
  tenant: { slug: string; name: string };
  kind: string;
  key: string;
  severity: string;
  message: string;
  runId: string | null;
  createdAt: Date;
};

export type AlertEmail = { subject: string; text: string };

export function alertEmail(alert: DeliveredAlert, appUrl: string): AlertEmail {
  return {
    subject: `[Nexius Leads] ${alert.severity.toUpperCase()} · ${alert.tenant.name}: ${oneLine(alert.message, 120)}`,
    text: [
      alert.message,
      "",
      `Workspace: ${alert.tenant.name} (${alert.tenant.slug})`,
      `Severity: ${alert.severity}`,
      `Alert: ${alert.kind}${alert.key === alert.kind ? "" : ` (${alert.key})`}`,
      `Raised: ${alert.createdAt.toISOString()}`,
      ...(alert.runId ? [`Run: ${appUrl}/app/runs/${alert.runId}`] : []),
      "",
      `Acknowledge or resolve it: ${appUrl}/admin/alerts?tenant=${encodeURIComponent(alert.tenant.slug)}`,
    ].join("\n"),
  };
}

export function digestEmail(channelName: string, alerts: DeliveredAlert[], appUrl: string, now: Date): AlertEmail {
  const counts = ALERT_SEVERITIES.map((s) => [s, alerts.filter((a) => a.severity === s).length] as const).filter(([, n]) => n > 0);
  return {
    subject: `[Nexius Leads] Daily alert digest for ${channelName}: ${alerts.length} alert${alerts.length === 1 ? "" : "s"}`,
    text: [
      `${alerts.length} alert${alerts.length === 1 ? "" : "s"} since the last digest (${counts.map(([s, n]) => `${n} ${s}`).join(", ")}), as of ${now.toISOString()}:`,
      "",
      ...alerts.map((a) => `- ${a.createdAt.toISOString()} ${a.severity.toUpperCase()} ${a.tenant.name}: ${oneLine(a.message, 300)}`),
      "",
      `All alerts: ${appUrl}/admin/alerts`,
    ].join("\n"),
  };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
