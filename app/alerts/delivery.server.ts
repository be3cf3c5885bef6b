import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/logger.server";
import { sendMail } from "~/mail/mailer.server";
import { emitPlatformEvent } from "~/webhooks/platform-events.server";
import { emitWebhookEvent } from "~/webhooks/webhooks.server";
import { alertEmail, digestEmail, isDuplicate, meetsSeverity, type DeliveredAlert } from "./alert-delivery";

/**
 * Hands one alert to every channel that wants it: the workspace's own and
 * the platform-wide ones, at or above their minimum severity. Each channel
 * gets it once (a notification row per channel and alert), is spared a key
 * it was sent within its de-duplication window, and a digest channel keeps
 * it for the daily email. Runs in the worker as the platform: platform
 * channels are no tenant's rows.
 */
export type DeliverySummary = { sent: number; duplicates: number; held: number };

type Channel = {
  id: string;
  tenantId: string | null;
  name: string;
  kind: string;
  emailTo: string[];
  webhookEndpointId: string | null;
  dedupMinutes: number;
  dailyDigest: boolean;
};

export async function deliverAlert(tenantId: string, alertId: string, now = new Date()): Promise<DeliverySummary> {
  const alert = await loadAlert(tenantId, alertId);
  const summary: DeliverySummary = { sent: 0, duplicates: 0, held: 0 };
  if (!alert) return summary;
  await emitPlatformEvent(tenantId, "alert.raised", `alert.raised:${alert.id}`, {
    alert_id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    message: alert.message,
  });
  const channels = await platformDb.alertChannel.findMany({
    where: { enabled: true, OR: [{ tenantId }, { tenantId: null }] },
    select: {
      id: true,
      tenantId: true,
      name: true,
      kind: true,
      emailTo: true,
      webhookEndpointId: true,
      dedupMinutes: true,
      dailyDigest: true,
      minSeverity: true,
    },
    orderBy: { createdAt: "asc" },
  });
  for (const channel of channels.filter((c) => meetsSeverity(alert.severity, c.minSeverity))) {
    const outcome = await notifyChannel(channel, tenantId, alert, now);
    if (outcome === "sent") summary.sent++;
    else if (outcome === "duplicate") summary.duplicates++;
    else if (outcome === "digest_pending") summary.held++;
  }
  return summary;
}

/**
 * One channel, under a lock on its key so two alerts of the same key raised
 * together do not both slip through the window. The email goes out inside
 * the transaction: if the SMTP server refuses it, nothing is recorded and
 * the job's retry tries again.
 */
async function notifyChannel(channel: Channel, tenantId: string, alert: DeliveredAlert, now: Date) {
  return platformDb.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`alert-channel:${channel.id}:${alert.key}`}))`;
      const already = await tx.alertNotification.findUnique({
        where: { channelId_alertId: { channelId: channel.id, alertId: alert.id } },
        select: { id: true },
      });
      if (already) return "already" as const;
      let status: "sent" | "duplicate" | "digest_pending";
      if (channel.dailyDigest) status = "digest_pending";
      else {
        const last = await tx.alertNotification.findFirst({
          where: { channelId: channel.id, alertKey: alert.key, status: "sent" },
          orderBy: { sentAt: "desc" },
          select: { sentAt: true },
        });
        status = isDuplicate(last?.sentAt ?? null, now, channel.dedupMinutes) ? "duplicate" : "sent";
      }
      if (status === "sent") await send(channel, tenantId, alert);
      await tx.alertNotification.create({
        data: { tenantId, alertId: alert.id, channelId: channel.id, alertKey: alert.key, status, sentAt: status === "sent" ? now : null },
      });
      return status;
    },
    { timeout: 60_000 },
  );
}

async function send(channel: Channel, tenantId: string, alert: DeliveredAlert) {
  if (channel.kind === "email") {
    await sendMail({ to: channel.emailTo, ...alertEmail(alert, env().APP_URL) });
    return;
  }
  await emitWebhookEvent(
    { tenantId: channel.tenantId },
    {
      type: "alert.raised",
      data: {
        alert: {
          id: alert.id,
          tenant_id: tenantId,
          tenant: alert.tenant.slug,
          kind: alert.kind,
          key: alert.key,
          severity: alert.severity,
          message: alert.message,
          run_id: alert.runId,
          created_at: alert.createdAt.toISOString(),
        },
      },
    },
    { endpointIds: [channel.webhookEndpointId!] },
  );
}

async function loadAlert(tenantId: string, alertId: string): Promise<DeliveredAlert | null> {
  const rows = await platformDb.$queryRaw<Array<DeliveredAlert & { slug: string; name: string }>>`
    SELECT a.id, a.kind, a.alert_key AS key, a.severity, a.message, a.run_id AS "runId", a.created_at AS "createdAt", t.slug, t.name
    FROM alerts a JOIN tenants t ON t.id = a.tenant_id
    WHERE a.tenant_id = ${tenantId}::uuid AND a.id = ${alertId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  const { slug, name, ...alert } = row;
  return { ...alert, tenant: { slug, name } };
}

/**
 * The daily digest: each digest channel with alerts waiting gets one email
 * listing them, and they are marked digested in the same transaction.
 */
export async function sendAlertDigests(now = new Date()): Promise<{ channels: number; alerts: number }> {
  const channels = await platformDb.alertChannel.findMany({
    where: { enabled: true, dailyDigest: true, kind: "email" },
    select: { id: true, name: true, emailTo: true },
  });
  let sentChannels = 0;
  let sentAlerts = 0;
  for (const channel of channels) {
    const count = await platformDb.$transaction(
      async (tx) => {
        const pending = await tx.$queryRaw<Array<DeliveredAlert & { notification_id: string; slug: string; name: string }>>`
          SELECT n.id AS notification_id, a.id, a.kind, a.alert_key AS key, a.severity, a.message, a.run_id AS "runId", a.created_at AS "createdAt", t.slug, t.name
          FROM alert_notifications n
          JOIN alerts a ON a.tenant_id = n.tenant_id AND a.id = n.alert_id
          JOIN tenants t ON t.id = a.tenant_id
          WHERE n.channel_id = ${channel.id}::uuid AND n.status = 'digest_pending'
          ORDER BY a.created_at
          FOR UPDATE OF n SKIP LOCKED`;
        if (!pending.length) return 0;
        const alerts = pending.map(({ notification_id: _n, slug, name, ...a }) => ({ ...a, tenant: { slug, name } }));
        await sendMail({ to: channel.emailTo, ...digestEmail(channel.name, alerts, env().APP_URL, now) });
        await tx.alertNotification.updateMany({ where: { id: { in: pending.map((p) => p.notification_id) } }, data: { status: "digested", sentAt: now } });
        return pending.length;
      },
      { timeout: 60_000 },
    );
    if (count) {
      sentChannels++;
      sentAlerts += count;
    }
  }
  if (sentChannels) log().info({ channels: sentChannels, alerts: sentAlerts }, "alert digests sent");
  return { channels: sentChannels, alerts: sentAlerts };
}
