import { createHash, randomUUID } from "node:crypto";
import { recordAudit, type Actor } from "~/audit.server";
import { secretRing } from "~/crypto/keys.server";
import { open, seal } from "~/crypto/secret-box.server";
import { db, platformDb } from "~/db.server";
import { env } from "~/env.server";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { type DeliveryLogEntry } from "./delivery-log";
import { postWebhook } from "./sender.server";
import { generateWebhookSecret, signatureHeaders, WEBHOOK_HEADERS, webhookSecretContext } from "./signature.server";
import { checkWebhookUrl } from "./webhook-url.server";

/**
 * Signed webhooks: register an endpoint (its secret is shown once and kept
 * sealed), emit an event (one delivery per subscribed endpoint, each a
 * `deliver_webhook` job that graphile-worker retries with exponential
 * backoff), every attempt logged, and a delivery replayed on request. An
 * endpoint belongs to a workspace or, with `tenantId: null`, to the platform.
 */
export type WebhookOwner = { tenantId: string | null };

export type WebhookEvent = { type: string; data: Record<string, unknown> };

export async function registerWebhookEndpoint(
  owner: WebhookOwner,
  input: { url: string; description?: string; eventTypes?: string[]; purpose?: "events" | "alert_channel" },
): Promise<{ id: string; secret: string }> {
  const url = checkWebhookUrl(input.url, env().NODE_ENV === "production").href;
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const sealed = seal(secretRing(), secret, webhookSecretContext(id));
  const data = {
    id,
    url,
    description: input.description ?? "",
    eventTypes: input.eventTypes ?? ["*"],
    secretCipher: new Uint8Array(sealed.cipher),
    secretKeyId: sealed.keyId,
    purpose: input.purpose ?? "events",
  };
  if (owner.tenantId) await db.$withTenant(owner.tenantId, (tx) => tx.webhookEndpoint.create({ data }));
  else await platformDb.webhookEndpoint.create({ data: { ...data, tenantId: null } });
  return { id, secret };
}

/**
 * Emits one event to the owner's enabled endpoints subscribed to its type
 * (or only to `endpointIds`, e.g. an alert channel's own endpoint). The body
 * is fixed here, so retries and replays send the same event id.
 */
export async function emitWebhookEvent(
  owner: WebhookOwner,
  event: WebhookEvent,
  options: { endpointIds?: string[]; eventKey?: string } = {},
): Promise<string[]> {
  // A keyed event has a fixed id, so a job that emits it again after a crash adds no second delivery.
  const eventId = options.eventKey ? eventIdOf(options.eventKey) : randomUUID();
  const emitted = options.eventKey ? await platformDb.webhookDelivery.findMany({ where: { eventId, replayOf: null }, select: { endpointId: true } }) : [];
  const endpoints = await platformDb.webhookEndpoint.findMany({
    where: {
      tenantId: owner.tenantId,
      enabled: true,
      // An alert channel's endpoint hears only its channel's deliveries, never the subscribed events.
      ...(options.endpointIds ? { id: { in: options.endpointIds } } : { purpose: "events", eventTypes: { hasSome: ["*", event.type] } }),
    },
    select: { id: true },
  });
  const body = JSON.stringify({ id: eventId, type: event.type, created_at: new Date().toISOString(), tenant_id: owner.tenantId, data: event.data });
  const ids: string[] = [];
  for (const endpoint of endpoints.filter((e) => !emitted.some((d) => d.endpointId === e.id))) {
    const delivery = await platformDb.webhookDelivery.create({
      data: { tenantId: owner.tenantId, endpointId: endpoint.id, eventId, eventType: event.type, body },
      select: { id: true },
    });
    await enqueue("deliver_webhook", { deliveryId: delivery.id }, { jobKey: `webhook:${delivery.id}` });
    ids.push(delivery.id);
  }
  return ids;
}

/** A UUID-shaped id derived from the event's key (version nibble 5, as a name-based UUID). */
export function eventIdOf(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type AttemptOutcome = { status: "succeeded" | "retrying" | "failed" | "skipped"; statusCode: number | null; error: string | null };

/**
 * One attempt of a delivery, logged. A failure throws (after logging) so the
 * job is retried with graphile-worker's exponential backoff; on the job's
 * last attempt the delivery is marked failed instead.
 */
export async function deliverWebhook(deliveryId: string, job: { attempt: number; maxAttempts: number }, now = new Date()): Promise<AttemptOutcome> {
  const delivery = await platformDb.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { tenantId: true, status: true, body: true, eventType: true, endpointId: true },
  });
  if (!delivery || delivery.status !== "pending") return { status: "skipped", statusCode: null, error: null };
  const endpoint = await platformDb.webhookEndpoint.findUniqueOrThrow({
    where: { id: delivery.endpointId },
    select: { url: true, secretCipher: true, secretKeyId: true },
  });
  const secret = open(secretRing(), { cipher: Buffer.from(endpoint.secretCipher), keyId: endpoint.secretKeyId }, webhookSecretContext(delivery.endpointId));
  const sent = await postWebhook(endpoint.url, delivery.body, {
    ...signatureHeaders(secret, delivery.body, now),
    [WEBHOOK_HEADERS.event]: delivery.eventType,
    [WEBHOOK_HEADERS.delivery]: deliveryId,
  });
  const final = !sent.ok && job.attempt >= job.maxAttempts;
  const status = sent.ok ? "succeeded" : final ? "failed" : "pending";
  await platformDb.$transaction(async (tx) => {
    const updated = await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: {
        attempts: { increment: 1 },
        status,
        lastStatusCode: sent.statusCode,
        lastError: sent.error,
        deliveredAt: sent.ok ? new Date() : null,
      },
      select: { attempts: true },
    });
    await tx.webhookDeliveryAttempt.create({
      data: {
        tenantId: delivery.tenantId,
        deliveryId,
        attempt: updated.attempts,
        statusCode: sent.statusCode,
        durationMs: sent.durationMs,
        error: sent.error,
      },
    });
  });
  if (status === "pending") throw new WebhookDeliveryError(deliveryId, sent.error ?? "failed");
  return { status: sent.ok ? "succeeded" : "failed", statusCode: sent.statusCode, error: sent.error };
}

export class WebhookDeliveryError extends Error {
  constructor(deliveryId: string, reason: string) {
    super(`webhook delivery ${deliveryId} failed: ${reason}; retrying with backoff`);
    this.name = "WebhookDeliveryError";
  }
}

/** Sends a delivery's event again as a new delivery (same event id and body), whatever became of the first. */
export async function replayWebhookDelivery(owner: WebhookOwner, deliveryId: string): Promise<string | null> {
  const original = await platformDb.webhookDelivery.findFirst({
    where: { id: deliveryId, tenantId: owner.tenantId },
    select: { endpointId: true, eventId: true, eventType: true, body: true },
  });
  if (!original) return null;
  const replay = await platformDb.webhookDelivery.create({
    data: { tenantId: owner.tenantId, ...original, replayOf: deliveryId },
    select: { id: true },
  });
  await enqueue("deliver_webhook", { deliveryId: replay.id }, { jobKey: `webhook:${replay.id}` });
  return replay.id;
}

/** The owner's latest deliveries, each with its attempts. */
export async function webhookDeliveryLog(owner: WebhookOwner, options: { limit?: number } = {}): Promise<DeliveryLogEntry[]> {
  const deliveries = await platformDb.webhookDelivery.findMany({
    where: { tenantId: owner.tenantId },
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 20,
    select: {
      id: true,
      endpointId: true,
      eventType: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      replayOf: true,
      createdAt: true,
      deliveredAt: true,
    },
  });
  const [endpoints, attempts] = await Promise.all([
    platformDb.webhookEndpoint.findMany({ where: { id: { in: deliveries.map((d) => d.endpointId) } }, select: { id: true, url: true } }),
    platformDb.webhookDeliveryAttempt.findMany({
      where: { deliveryId: { in: deliveries.map((d) => d.id) } },
      orderBy: { attempt: "asc" },
      select: { deliveryId: true, attempt: true, statusCode: true, durationMs: true, error: true, createdAt: true },
    }),
  ]);
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));
  return deliveries.map(({ endpointId, ...d }) => ({
    ...d,
    endpointUrl: urls.get(endpointId) ?? "",
    log: attempts.filter((a) => a.deliveryId === d.id).map(({ deliveryId: _id, ...a }) => a),
  }));
}

/** A tenant's endpoint and channel changes go to its audit log; the platform's (no tenant) to the server log. */
/**
 * A webhook's receiver named in an audit entry or log line: its host only. A
 * receiver's URL is often its credential (a Slack or Teams incoming webhook
 * is a secret path), and audit entries outlive the endpoint and reach more
 * readers than its settings page.
 */
export function webhookReceiver(url: string): string {
  return new URL(url.trim()).host;
}

export async function auditWebhookChange(owner: WebhookOwner, actor: Actor, action: string, target: string, details: Record<string, unknown>) {
  if (owner.tenantId) await recordAudit(owner.tenantId, actor, action, target, details);
  else log().info({ actor: actor.email ?? actor.sub, target, ...details }, action);
}
