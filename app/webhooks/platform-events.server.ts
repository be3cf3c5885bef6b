import { log } from "~/logger.server";
import { type PlatformEventType } from "./platform-events";
import { emitWebhookEvent } from "./webhooks.server";

/**
 * Emits a tenant's event to its own endpoints and to the platform's. `key`
 * names the occurrence (e.g. the operation and its attempt), so emitting it
 * twice — a retried job — delivers it once. A failure to queue is logged, not
 * thrown: the change the event reports has already happened.
 */
export async function emitPlatformEvent(tenantId: string, type: PlatformEventType, key: string, data: Record<string, unknown>): Promise<void> {
  const event = { type, data: { tenant_id: tenantId, ...data } };
  try {
    await emitWebhookEvent({ tenantId }, event, { eventKey: `tenant:${key}` });
    await emitWebhookEvent({ tenantId: null }, event, { eventKey: `platform:${key}` });
  } catch (error) {
    log().error({ err: error, tenantId, type }, "platform event not queued");
  }
}
