import { parseWithZod } from "@conform-to/zod/v4";
import { type Actor } from "~/audit.server";
import { db, platformDb } from "~/db.server";
import { WebhookUrlError } from "~/webhooks/webhook-url.server";
import {
  auditWebhookChange as audit,
  registerWebhookEndpoint,
  replayWebhookDelivery,
  webhookDeliveryLog,
  webhookReceiver,
  type WebhookOwner,
} from "~/webhooks/webhooks.server";
import { CHANNEL_INTENTS, ChannelForm, type ChannelActionResult, type ChannelRow } from "./channel-forms";

/**
 * Alert channels of one owner: a workspace (under RLS) or the platform
 * (tenantId null, the platform client). The owner is always the caller's
 * own: a route passes its viewer's tenant, or null behind a platform guard.
 */
const channelSelect = {
  id: true,
  name: true,
  kind: true,
  emailTo: true,
  webhookEndpointId: true,
  minSeverity: true,
  dedupMinutes: true,
  dailyDigest: true,
  createdByEmail: true,
  createdAt: true,
} as const;

export async function alertChannelsPage(owner: WebhookOwner) {
  const channels = owner.tenantId
    ? await db.$withTenant(owner.tenantId, (tx) => tx.alertChannel.findMany({ select: channelSelect, orderBy: { createdAt: "asc" } }))
    : await platformDb.alertChannel.findMany({ where: { tenantId: null }, select: channelSelect, orderBy: { createdAt: "asc" } });
  const endpoints = await platformDb.webhookEndpoint.findMany({
    where: { id: { in: channels.flatMap((c) => (c.webhookEndpointId ? [c.webhookEndpointId] : [])) }, tenantId: owner.tenantId },
    select: { id: true, url: true },
  });
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));
  return {
    channels: channels.map(({ webhookEndpointId, ...c }): ChannelRow => ({
      ...c,
      webhookUrl: webhookEndpointId ? (urls.get(webhookEndpointId) ?? null) : null,
    })),
    deliveries: await webhookDeliveryLog(owner, { limit: 20 }),
  };
}

/** The POST of a channels page, by intent. */
export async function alertChannelsAction(request: Request, owner: WebhookOwner, actor: Actor): Promise<ChannelActionResult> {
  const submission = parseWithZod(await request.formData(), { schema: ChannelForm });
  if (submission.status !== "success") {
    const intent = CHANNEL_INTENTS.find((i) => i === submission.payload.intent) ?? null;
    return { intent, ok: false, message: intent ? "Check the highlighted fields." : "Unknown action", submission: submission.reply() };
  }
  const form = submission.value;
  const createdByEmail = actor.email ?? null;
  switch (form.intent) {
    case "add-email": {
      const data = {
        name: form.name,
        kind: "email",
        emailTo: form.emailTo,
        minSeverity: form.minSeverity,
        dedupMinutes: form.dedupMinutes,
        dailyDigest: form.dailyDigest,
        createdByEmail,
      };
      const channel = await createChannel(owner, data);
      await audit(owner, actor, "alert_channel.added", channel.id, { kind: "email", to: form.emailTo, dailyDigest: form.dailyDigest });
      return { intent: form.intent, ok: true, message: `Alerts now reach ${form.emailTo.join(", ")}${form.dailyDigest ? " in a daily digest" : ""}.` };
    }
    case "add-webhook": {
      let endpoint: { id: string; secret: string };
      try {
        endpoint = await registerWebhookEndpoint(owner, { url: form.url, description: form.name, eventTypes: ["alert.raised"], purpose: "alert_channel" });
      } catch (error) {
        if (!(error instanceof WebhookUrlError)) throw error;
        return { intent: form.intent, ok: false, message: error.message, submission: submission.reply({ fieldErrors: { url: [error.message] } }) };
      }
      const data = {
        name: form.name,
        kind: "webhook",
        webhookEndpointId: endpoint.id,
        minSeverity: form.minSeverity,
        dedupMinutes: form.dedupMinutes,
        createdByEmail,
      };
      const channel = await createChannel(owner, data);
      await audit(owner, actor, "alert_channel.added", channel.id, { kind: "webhook", receiver: webhookReceiver(form.url) });
      return {
        intent: form.intent,
        ok: true,
        message: "Webhook added. Copy its signing secret now: it is not shown again.",
        secret: endpoint.secret,
      };
    }
    case "remove-channel": {
      const removed = owner.tenantId
        ? await db.$withTenant(owner.tenantId, (tx) => tx.alertChannel.deleteMany({ where: { id: form.channelId } }))
        : await platformDb.alertChannel.deleteMany({ where: { id: form.channelId, tenantId: null } });
      if (!removed.count) return { intent: form.intent, ok: false, message: "That channel was already removed." };
      await audit(owner, actor, "alert_channel.removed", form.channelId, {});
      return { intent: form.intent, ok: true, message: "Channel removed." };
    }
    case "replay-delivery": {
      const replay = await replayWebhookDelivery(owner, form.deliveryId);
      if (!replay) return { intent: form.intent, ok: false, message: "No such delivery." };
      return { intent: form.intent, ok: true, message: "The event is sent again as a new delivery." };
    }
  }
}

type ChannelData = {
  name: string;
  kind: string;
  emailTo?: string[];
  webhookEndpointId?: string;
  minSeverity: string;
  dedupMinutes: number;
  dailyDigest?: boolean;
  createdByEmail: string | null;
};

function createChannel(owner: WebhookOwner, data: ChannelData) {
  return owner.tenantId
    ? db.$withTenant(owner.tenantId, (tx) => tx.alertChannel.create({ data, select: { id: true } }))
    : platformDb.alertChannel.create({ data: { ...data, tenantId: null }, select: { id: true } });
}

/** A workspace's channel changes go to its audit log; the platform's belong to no workspace, so to the application log. */
