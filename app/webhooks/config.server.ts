import { z } from "zod";
import { hostOverridesJson } from "~/crawler/config.server";

/** Env fragment of signed webhooks (app/webhooks). */
export const webhooksEnv = z.object({
  /** One delivery attempt's whole budget (connect, headers, body). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /**
   * Development and tests only (refused in production, as the crawler's): JSON
   * map of receiver host → "127.0.0.1:port", the one way a webhook reaches loopback.
   */
  WEBHOOK_HOST_OVERRIDES: hostOverridesJson,
});
