/**
 * The platform and tenant events a webhook endpoint may subscribe to (what
 * n8n, Zapier or any HTTP endpoint consumes). Each event of a tenant goes to
 * that tenant's endpoints and to the platform's. Browser-safe.
 */
export const PLATFORM_EVENT_TYPES = [
  "tenant.created",
  "tenant.paused",
  "tenant.resumed",
  "tenant.decommissioned",
  "operation.finished",
  "run.finished",
  "alert.raised",
] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];
