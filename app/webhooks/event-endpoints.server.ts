import { z } from "zod";
import { type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { PLATFORM_EVENT_TYPES } from "./platform-events";
import { WebhookUrlError } from "./webhook-url.server";
import {
  auditWebhookChange as audit,
  registerWebhookEndpoint,
  replayWebhookDelivery,
  webhookDeliveryLog,
  webhookReceiver,
  type WebhookOwner,
} from "./webhooks.server";

/**
 * Event webhooks of the platform (owner `tenantId: null`) or of one tenant:
 * the endpoints subscribed to platform events, their delivery log and replay.
 */
export async function eventWebhooksPage(owner: WebhookOwner) {
  const endpoints = await platformDb.webhookEndpoint.findMany({
    where: { tenantId: owner.tenantId, purpose: "events" },
    orderBy: { createdAt: "asc" },
    select: { id: true, url: true, description: true, eventTypes: true, enabled: true, createdAt: true },
  });
  return { endpoints, deliveries: await webhookDeliveryLog(owner, { limit: 30 }), eventTypes: PLATFORM_EVENT_TYPES };
}

const EventTypes = z.preprocess((v) => (Array.isArray(v) ? v : v ? [v] : []), z.array(z.enum(PLATFORM_EVENT_TYPES)).min(1, "Choose at least one event"));

const EndpointAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add-endpoint"),
    url: z.string().trim().min(1, "Required"),
    description: z.string().trim().max(200).default(""),
    eventTypes: EventTypes,
  }),
  z.object({ intent: z.literal("toggle-endpoint"), endpointId: z.uuid(), enabled: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("replay-delivery"), deliveryId: z.uuid() }),
]);

export type EventWebhookActionResult = { intent: string | null; ok: boolean; message: string; secret?: string };

export async function eventWebhooksAction(form: FormData, owner: WebhookOwner, actor: Actor): Promise<EventWebhookActionResult> {
  const parsed = EndpointAction.safeParse({ ...Object.fromEntries(form), eventTypes: form.getAll("eventTypes") });
  if (!parsed.success) return { intent: String(form.get("intent") ?? "") || null, ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") };
  const input = parsed.data;
  switch (input.intent) {
    case "add-endpoint": {
      try {
        const endpoint = await registerWebhookEndpoint(owner, { url: input.url, description: input.description, eventTypes: input.eventTypes });
        await audit(owner, actor, "webhook_endpoint.added", endpoint.id, { receiver: webhookReceiver(input.url), eventTypes: input.eventTypes });
        return { intent: input.intent, ok: true, message: "Endpoint added. Copy its signing secret now: it is not shown again.", secret: endpoint.secret };
      } catch (error) {
        if (error instanceof WebhookUrlError) return { intent: input.intent, ok: false, message: error.message };
        throw error;
      }
    }
    case "toggle-endpoint": {
      const enabled = input.enabled === "true";
      const updated = await platformDb.webhookEndpoint.updateMany({
        where: { id: input.endpointId, tenantId: owner.tenantId, purpose: "events" },
        data: { enabled },
      });
      if (!updated.count) return { intent: input.intent, ok: false, message: "No such endpoint." };
      await audit(owner, actor, enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", input.endpointId, {});
      return { intent: input.intent, ok: true, message: enabled ? "Endpoint enabled." : "Endpoint disabled: no event reaches it." };
    }
    case "replay-delivery": {
      const replay = await replayWebhookDelivery(owner, input.deliveryId);
      if (!replay) return { intent: input.intent, ok: false, message: "No such delivery." };
      await audit(owner, actor, "webhook_delivery.replayed", input.deliveryId, { replay });
      return { intent: input.intent, ok: true, message: "The event is on its way again (same id and body)." };
    }
  }
}
