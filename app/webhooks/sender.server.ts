import { HttpError } from "~/crawler/errors.server";
import { createHostResolver } from "~/crawler/resolver.server";
import { createSafeFetcher, type SafeFetcher } from "~/crawler/safe-fetch.server";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";

export type SendOutcome = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

/**
 * Webhook requests go out through the crawler's SSRF-safe fetcher: the
 * receiver's host is resolved and every address checked before connecting, so
 * an endpoint cannot point the platform at its own network. No redirects are
 * followed (a receiver answers where it was registered).
 */
function webhookFetcher(): SafeFetcher {
  return singleton("webhook-fetcher", () => {
    const config = env();
    const timeout = config.WEBHOOK_TIMEOUT_MS;
    return createSafeFetcher({
      resolver: createHostResolver({ overrides: config.WEBHOOK_HOST_OVERRIDES, production: config.NODE_ENV === "production" }),
      userAgent: "NexiusLeads-Webhooks/1.0",
      connectTimeoutMs: Math.min(timeout, 5_000),
      headersTimeoutMs: timeout,
      totalTimeoutMs: timeout,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
    });
  });
}

export async function postWebhook(url: string, body: string, headers: Record<string, string>): Promise<SendOutcome> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const response = await webhookFetcher().fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
      contentTypes: ["*/*", ""],
      truncate: true,
    });
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: durationMs() };
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, statusCode: error.status, error: `HTTP ${error.status}`, durationMs: durationMs() };
    return { ok: false, statusCode: null, error: error instanceof Error ? error.message.slice(0, 500) : String(error), durationMs: durationMs() };
  }
}
