import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { type WorkerHandle } from "~/jobs/worker.server";
import { WEBHOOK_HEADERS } from "~/webhooks/signature.server";
import { startMailCatcher, type CaughtMessage, type MailCatcher } from "../sims/mail/server";
import { appRequest, invoke } from "../support/app-requests";
import { expectErrorLogs } from "../support/error-logs";
import { startStandIns, type StandIns } from "../support/platform";
import { waitFor } from "../support/wait-for";
import { startWebhookReceiver } from "../support/webhook-receiver";
import { activeTenant, memberCookie } from "../support/workspace-users";

/**
 * Alert delivery end to end, in-process with a real worker: a workspace
 * admin sets up an email and a signed-webhook channel; a raised alert lands
 * in the mail catcher's inbox (over SMTP) and at a webhook receiver (over
 * HTTP, through the SSRF-safe fetcher and a loopback override) that verifies
 * the signature, after a failed first attempt retried with backoff; so does
 * a stale data-lake source the sync sweep finds. Repeats
 * of a key within the window are held back, a digest channel sends one
 * email a day, a delivery can be replayed, and the platform's alerts page
 * acknowledges and resolves.
 */

let standIns: StandIns;
let catcher: MailCatcher;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let app: Awaited<ReturnType<typeof loadApp>>;
let worker: WorkerHandle;
let acme: Tenant;
const users: Record<string, { cookie: string; email: string }> = {};

async function loadApp() {
  const [db, alerts, delivery, settingsAlerts, adminAlerts, jobs, syncSweep, webhooks] = await Promise.all([
    import("~/db.server"),
    import("~/alerts/alerts.server"),
    import("~/alerts/delivery.server"),
    import("~/routes/app+/settings_.alerts"),
    import("~/routes/admin+/alerts"),
    import("~/jobs/worker.server"),
    import("~/lake/sync-sweep.server"),
    import("~/webhooks/webhooks.server"),
  ]);
  return {
    db: db.db,
    platformDb: db.platformDb,
    raiseAlert: alerts.raiseAlert,
    resolveAlerts: alerts.resolveAlerts,
    delivery,
    settingsAlerts,
    adminAlerts,
    jobs,
    sweepLakeSyncs: syncSweep.sweepLakeSyncs,
    webhooks,
  };
}

beforeAll(async () => {
  catcher = await startMailCatcher();
  receiver = await startWebhookReceiver();
  const receiverPort = receiver.port;
  standIns = await startStandIns({
    env: { SMTP_URL: catcher.smtpUrl, WEBHOOK_HOST_OVERRIDES: JSON.stringify({ "receiver.test": `127.0.0.1:${receiverPort}` }) },
  });
  app = await loadApp();
  acme = await activeTenant("alerts-acme", "Acme Alerts");
  users.admin = await memberCookie("alerts-admin", ["admin"], acme.id);
  users.ops = await memberCookie("alerts-ops", ["ops"], acme.id);
  users.owner = await memberCookie("alerts-owner", ["platform_owner"], null);
  worker = await app.jobs.startWorker({ crontabFile: null, pollInterval: 100, concurrency: 4 });
});

afterAll(async () => {
  await worker?.stop();
  await standIns?.stop();
  await catcher?.close();
  await receiver?.close();
});

type ChannelResult = { intent: string | null; ok: boolean; message: string; secret?: string };

const postChannels = async (who: string, form: Record<string, string>) =>
  (await (await invoke(app.settingsAlerts.action, appRequest("/app/settings/alerts", { cookie: users[who]!.cookie, form }))).json()) as ChannelResult;

const raise = (kind: string, severity: "info" | "warning" | "critical", message: string, key?: string) =>
  app.db.$withTenant(acme.id, (tx) => app.raiseAlert(tx, { kind, severity, message, key }));

const inbox = (to: string): CaughtMessage[] => catcher.messages.filter((m) => m.envelope.to.includes(to));

const notifications = (alertId: string) =>
  app.platformDb.alertNotification.findMany({ where: { alertId }, select: { channelId: true, status: true }, orderBy: { createdAt: "asc" } });

describe("alert channels in Settings → Alerts", () => {
  it("lets an admin add an email channel and a signed webhook, whose secret is shown once and kept sealed", async () => {
    const email = await postChannels("admin", {
      intent: "add-email",
      name: "Ops inbox",
      emailTo: "oncall@acme.test, lead@acme.test",
      minSeverity: "warning",
      dedupMinutes: "60",
    });
    expect(email).toMatchObject({ ok: true, message: "Alerts now reach oncall@acme.test, lead@acme.test." });

    const webhook = await postChannels("admin", {
      intent: "add-webhook",
      name: "Pager",
      url: "http://receiver.test/hooks/nexius",
      minSeverity: "warning",
      dedupMinutes: "60",
    });
    expect(webhook.ok).toBe(true);
    expect(webhook.secret).toMatch(/^whsec_/);
    receiver.state.secret = webhook.secret!;
    const [endpoint] = await app.platformDb.webhookEndpoint.findMany({ where: { tenantId: acme.id }, select: { url: true, secretCipher: true } });
    expect(endpoint!.url).toBe("http://receiver.test/hooks/nexius");
    expect(Buffer.from(endpoint!.secretCipher).toString("latin1")).not.toContain(receiver.state.secret);

    const page = (await (await invoke(app.settingsAlerts.loader, appRequest("/app/settings/alerts", { cookie: users.admin!.cookie }))).json()) as {
      channels: Array<{ name: string; kind: string; emailTo: string[]; webhookUrl: string | null }>;
    };
    expect(page.channels.map((c) => [c.name, c.kind, c.emailTo, c.webhookUrl])).toEqual([
      ["Ops inbox", "email", ["oncall@acme.test", "lead@acme.test"], null],
      ["Pager", "webhook", [], "http://receiver.test/hooks/nexius"],
    ]);
    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, action: "alert_channel.added" }, orderBy: { id: "asc" } });
    expect(audit).toHaveLength(2);
    // A receiver's URL is often its credential: the audit names its host only.
    expect(audit[1]!.details).toEqual({ kind: "webhook", receiver: "receiver.test" });
  });

  it("refuses ops users and a webhook to a private address", async () => {
    const forbidden = await invoke(
      app.settingsAlerts.action,
      appRequest("/app/settings/alerts", { cookie: users.ops!.cookie, form: { intent: "remove-channel" } }),
    );
    expect(forbidden.status).toBe(403);
    const refused = await postChannels("admin", { intent: "add-webhook", name: "Inside", url: "http://10.0.0.7/hook", minSeverity: "info", dedupMinutes: "0" });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/Not a URL a webhook may be sent to/);
  });
});

describe("delivering an alert", () => {
  it("emails the channel's recipients and posts a signed webhook, retrying a failed attempt with backoff", async () => {
    expectErrorLogs(/Failed task \d+ \(deliver_webhook.*HTTP 500/);
    receiver.answers.push(500);
    const { id } = await raise("crawl_error_rate", "warning", "Only 40 % of the websites could be crawled.");

    const [mail] = await waitFor(() => (inbox("oncall@acme.test").length ? inbox("oncall@acme.test") : null), { what: "the alert email" });
    expect(mail!.envelope.to).toEqual(["oncall@acme.test", "lead@acme.test"]);
    expect(mail!.subject).toBe("[Nexius Leads] WARNING · Acme Alerts: Only 40 % of the websites could be crawled.");
    expect(mail!.text).toContain("Workspace: Acme Alerts (alerts-acme)");

    const [first, second] = await waitFor(() => (receiver.received.length >= 2 ? receiver.received : null), { timeoutMs: 20_000, what: "the retried webhook" });
    expect([first!.status, second!.status]).toEqual([500, 200]);
    expect(first!.verdict.ok && second!.verdict.ok).toBe(true);
    // graphile-worker waits exp(1) ≈ 2.7 s before the second attempt.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
    const event = JSON.parse(second!.body) as { id: string; type: string; data: { alert: Record<string, unknown> } };
    expect(event).toMatchObject({ type: "alert.raised", data: { alert: { id, tenant: "alerts-acme", kind: "crawl_error_rate", severity: "warning" } } });
    expect(first!.body).toBe(second!.body);
    expect(second!.headers[WEBHOOK_HEADERS.event]).toBe("alert.raised");

    const delivery = await waitFor(
      () =>
        app.platformDb.webhookDelivery.findFirst({
          where: { tenantId: acme.id, status: "succeeded" },
          select: { id: true, attempts: true, lastStatusCode: true },
        }),
      { what: "the delivery to be marked succeeded" },
    );
    expect(delivery).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    const log = await app.platformDb.webhookDeliveryAttempt.findMany({ where: { deliveryId: delivery.id }, orderBy: { attempt: "asc" } });
    expect(log.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, "HTTP 500"],
      [2, 200, null],
    ]);
    expect(log.every((a) => a.durationMs >= 0)).toBe(true);
    expect((await notifications(id)).map((n) => n.status)).toEqual(["sent", "sent"]);
  });

  it("holds back the same key within the window and sends another key", async () => {
    await app.db.$withTenant(acme.id, (tx) => app.resolveAlerts(tx, ["crawl_error_rate"]));
    const again = await raise("crawl_error_rate", "warning", "Only 30 % of the websites could be crawled.");
    const other = await raise("vendor_quota", "warning", "lusha quota reached.", "vendor_quota:lusha");
    await waitFor(async () => (await notifications(again.id)).length === 2 && (await notifications(other.id)).length === 2, { what: "both alerts handled" });
    expect((await notifications(again.id)).map((n) => n.status)).toEqual(["duplicate", "duplicate"]);
    expect((await notifications(other.id)).map((n) => n.status)).toEqual(["sent", "sent"]);
    expect(inbox("oncall@acme.test").map((m) => m.subject)).toEqual([
      "[Nexius Leads] WARNING · Acme Alerts: Only 40 % of the websites could be crawled.",
      "[Nexius Leads] WARNING · Acme Alerts: lusha quota reached.",
    ]);
  });

  it("skips a channel whose minimum severity the alert does not reach", async () => {
    const info = await raise("vendor_rate_limit", "info", "apify rate-limited the run.");
    const job = await waitFor(
      async () =>
        (await app.platformDb.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'deliver_alert'`)[0]!
          .n === 0,
      { what: "the delivery job to finish" },
    );
    expect(job).toBe(true);
    expect(await notifications(info.id)).toEqual([]);
  });

  it("emails a data-lake source the sync sweep finds past its freshness target", async () => {
    await app.db.$withTenant(acme.id, async (tx) => {
      await tx.lakeSource.create({ data: { source: "m365", status: "connected", connectedAt: new Date(Date.now() - 3 * 24 * 3_600_000) } });
      // A sync already under way: the sweep only checks freshness, it queues nothing.
      await tx.lakeSyncRun.create({ data: { source: "m365", mode: "incremental", trigger: "schedule", status: "running" } });
    });
    expect(await app.sweepLakeSyncs()).toEqual([]);
    const stale = await waitFor(() => inbox("oncall@acme.test").find((m) => m.subject.includes("Microsoft 365")), { what: "the stale source email" });
    expect(stale.subject).toMatch(/^\[Nexius Leads\] WARNING · Acme Alerts: Microsoft 365 has not synced successfully since it was connected/);
    expect(stale.text).toContain("Alert: lake_stale_m365");
    await waitFor(() => receiver.received.find((r) => r.body.includes('"kind":"lake_stale_m365"')), { what: "the stale source webhook" });
  });

  it("replays a delivery as a new delivery of the same event", async () => {
    const page = (await (await invoke(app.settingsAlerts.loader, appRequest("/app/settings/alerts", { cookie: users.admin!.cookie }))).json()) as {
      deliveries: Array<{ id: string; status: string }>;
    };
    const before = receiver.received.length;
    const eventId = (JSON.parse(receiver.received[0]!.body) as { id: string }).id;
    const replayed = await postChannels("admin", { intent: "replay-delivery", deliveryId: page.deliveries.at(-1)!.id });
    expect(replayed).toMatchObject({ ok: true });
    // The first alert's event again: same id and body, newly signed.
    const replay = await waitFor(() => receiver.received.slice(before).find((r) => r.body === receiver.received[0]!.body), { what: "the replayed webhook" });
    expect(replay.verdict.ok).toBe(true);
    expect(JSON.parse(replay.body).id).toBe(eventId);
  });
});

describe("the webhook module", () => {
  it("refuses to connect to a receiver on a private address, logs the attempt, and marks the delivery failed after its last attempt", async () => {
    expectErrorLogs(/Failed task \d+ \(deliver_webhook.*localhost/);
    const owner = { tenantId: null };
    const port = receiver.port;
    // localhost resolves to loopback, and no override lets it through.
    const { id: endpointId } = await app.webhooks.registerWebhookEndpoint(owner, {
      url: `http://localhost:${port}/private-hook`,
      eventTypes: ["tenant.paused"],
    });
    const [deliveryId] = await app.webhooks.emitWebhookEvent(owner, { type: "tenant.paused", data: { tenant: "alerts-acme" } });
    const [attempt] = await waitFor(
      () => app.platformDb.webhookDeliveryAttempt.findMany({ where: { deliveryId } }).then((rows) => (rows.length ? rows : null)),
      {
        what: "the first attempt",
      },
    );
    expect(attempt).toMatchObject({ attempt: 1, statusCode: null, error: expect.stringMatching(/localhost resolves to/) });
    expect(receiver.received.filter((r) => r.path === "/private-hook")).toEqual([]);

    // The job's last attempt gives up instead of throwing; a later run of the job finds nothing pending.
    expect(await app.webhooks.deliverWebhook(deliveryId!, { attempt: 8, maxAttempts: 8 })).toMatchObject({ status: "failed", statusCode: null });
    expect(await app.platformDb.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, attempts: true, endpointId: true } })).toEqual({
      status: "failed",
      attempts: 2,
      endpointId,
    });
    expect(await app.webhooks.deliverWebhook(deliveryId!, { attempt: 2, maxAttempts: 8 })).toEqual({ status: "skipped", statusCode: null, error: null });
  });

  it("sends an event only to the owner's endpoints subscribed to its type", async () => {
    expect(await app.webhooks.emitWebhookEvent({ tenantId: null }, { type: "run.finished", data: {} })).toEqual([]);
    expect(await app.webhooks.emitWebhookEvent({ tenantId: acme.id }, { type: "tenant.paused", data: {} })).toEqual([]);
  });
});

describe("the daily digest", () => {
  it("holds a digest channel's alerts and sends them in one email", async () => {
    await postChannels("admin", {
      intent: "add-email",
      name: "Digest",
      emailTo: "digest@acme.test",
      minSeverity: "info",
      dedupMinutes: "0",
      dailyDigest: "on",
    });
    const a = await raise("score_distribution", "warning", "High holds 80 % of the shortlist.");
    const b = await raise("candidate_floor", "critical", "Only 3 candidate companies, below the floor of 50.");
    await waitFor(
      async () =>
        (await notifications(a.id)).some((n) => n.status === "digest_pending") && (await notifications(b.id)).some((n) => n.status === "digest_pending"),
      {
        what: "the digest to hold both alerts",
      },
    );
    expect(inbox("digest@acme.test")).toEqual([]);

    expect(await app.delivery.sendAlertDigests()).toEqual({ channels: 1, alerts: 2 });
    const [digest, ...more] = inbox("digest@acme.test");
    expect(more).toEqual([]);
    expect(digest!.subject).toBe("[Nexius Leads] Daily alert digest for Digest: 2 alerts");
    expect(digest!.text).toContain("WARNING Acme Alerts: High holds 80 % of the shortlist.");
    expect(digest!.text).toContain("CRITICAL Acme Alerts: Only 3 candidate companies, below the floor of 50.");
    // Nothing waits any more: the next day's digest starts empty.
    expect(await app.delivery.sendAlertDigests()).toEqual({ channels: 0, alerts: 0 });
  });
});

describe("the platform's alerts page", () => {
  type AlertsData = { alerts: Array<{ id: string; message: string; acknowledgedBy: string | null; resolvedBy: string | null }>; total: number };
  const list = async (query: string) =>
    (await (await invoke(app.adminAlerts.loader, appRequest(`/admin/alerts${query}`, { cookie: users.owner!.cookie }))).json()) as AlertsData;
  const act = async (form: Record<string, string>) =>
    (await (await invoke(app.adminAlerts.action, appRequest("/admin/alerts", { cookie: users.owner!.cookie, form }))).json()) as {
      ok: boolean;
      message: string;
    };

  it("lists alerts by workspace, severity and state, and records who acknowledged and resolved one", async () => {
    const critical = await list("?tenant=alerts-acme&severity=critical");
    expect(critical.alerts.map((a) => a.message)).toEqual(["Only 3 candidate companies, below the floor of 50."]);
    const alertId = critical.alerts[0]!.id;

    expect(await act({ intent: "acknowledge", alertId })).toEqual({ ok: true, message: "Alert acknowledged." });
    expect(await act({ intent: "acknowledge", alertId })).toMatchObject({ ok: false });
    expect((await list("?state=acknowledged")).alerts.map((a) => [a.id, a.acknowledgedBy])).toEqual([[alertId, users.owner!.email]]);

    expect(await act({ intent: "resolve", alertId })).toEqual({ ok: true, message: "Alert resolved." });
    const resolved = await list("?state=resolved&severity=critical");
    expect(resolved.alerts.map((a) => [a.id, a.resolvedBy])).toEqual([[alertId, users.owner!.email]]);
    expect((await list("?tenant=alerts-acme&state=open")).alerts.map((a) => a.id)).not.toContain(alertId);
    const audit = await app.platformDb.auditLog.findMany({
      where: { tenantId: acme.id, target: alertId },
      select: { action: true, actorEmail: true },
      orderBy: { createdAt: "asc" },
    });
    expect(audit).toEqual([
      { action: "alert.acknowledged", actorEmail: users.owner!.email },
      { action: "alert.resolved", actorEmail: users.owner!.email },
    ]);
  });

  it("is for the platform's owners and operators only", async () => {
    const tenantAdmin = await invoke(app.adminAlerts.loader, appRequest("/admin/alerts", { cookie: users.admin!.cookie }));
    expect(tenantAdmin.status).toBe(403);
  });
});
