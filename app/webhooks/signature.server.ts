import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * How our webhooks are signed (Stripe's scheme): the sender computes
 * HMAC-SHA256 with the endpoint's secret over `<timestamp>.<raw body>` and
 * sends the timestamp (Unix seconds) and the signature in two headers. A
 * receiver recomputes the HMAC over the raw bytes it received, compares in
 * constant time, and refuses a timestamp more than the tolerance away from
 * its clock, so a captured request cannot be replayed later.
 */
export const WEBHOOK_HEADERS = {
  timestamp: "x-nexius-timestamp",
  /** `v1=<hex>`; several comma-separated while a secret is being rotated. */
  signature: "x-nexius-signature",
  event: "x-nexius-event",
  delivery: "x-nexius-delivery",
} as const;

export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The context an endpoint's secret is sealed with: a ciphertext copied onto another endpoint's row does not open. */
export const webhookSecretContext = (endpointId: string) => `webhook:${endpointId}`;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** The timestamp and signature headers for one send of `body`. */
export function signatureHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { [WEBHOOK_HEADERS.timestamp]: String(timestamp), [WEBHOOK_HEADERS.signature]: `v1=${webhookSignature(secret, timestamp, body)}` };
}

export type SignatureVerdict = { ok: true; timestamp: number } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

/** What a receiver does with a request: the raw body and the two headers as received. */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  now: Date;
  toleranceSeconds?: number;
}): SignatureVerdict {
  if (!input.timestamp || !input.signature) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: "malformed" };
  const timestamp = Number(input.timestamp);
  const candidates = input.signature
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => part.slice(3));
  if (!candidates.length || candidates.some((c) => !/^[0-9a-f]{64}$/.test(c))) return { ok: false, reason: "malformed" };
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return { ok: false, reason: "stale" };
  const expected = Buffer.from(webhookSignature(input.secret, timestamp, input.body), "hex");
  const matches = candidates.some((c) => timingSafeEqual(Buffer.from(c, "hex"), expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
}
