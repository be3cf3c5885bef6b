import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signatureHeaders, verifyWebhookSignature, WEBHOOK_HEADERS, webhookSignature } from "./signature.server";

const secret = "whsec_test-secret";
const body = JSON.stringify({ id: "evt_1", type: "alert.raised", data: { severity: "critical" } });
const now = new Date("2026-12-05T08:00:00Z");

function headersFor(at: Date, key = secret, payload = body) {
  const headers = signatureHeaders(key, payload, at);
  return { timestamp: headers[WEBHOOK_HEADERS.timestamp], signature: headers[WEBHOOK_HEADERS.signature] };
}

describe("webhook signatures", () => {
  it("signs timestamp.body with HMAC-SHA256, as a receiver recomputes it by hand", () => {
    const headers = headersFor(now);
    expect(headers.timestamp).toBe("1796457600");
    const byHand = createHmac("sha256", secret).update(`1796457600.${body}`).digest("hex");
    expect(headers.signature).toBe(`v1=${byHand}`);
    expect(webhookSignature(secret, 1796457600, body)).toBe(byHand);
  });

  it("verifies a request signed with the endpoint's secret within the tolerance", () => {
    const sent = headersFor(now);
    expect(verifyWebhookSignature({ secret, body, ...sent, now: new Date(now.getTime() + 299_000) })).toEqual({ ok: true, timestamp: 1796457600 });
  });

  it("refuses a changed body, another secret, a stale or future timestamp and missing or malformed headers", () => {
    const sent = headersFor(now);
    expect(verifyWebhookSignature({ secret, body: `${body} `, ...sent, now })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature({ secret: "whsec_other", body, ...sent, now })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature({ secret, body, ...sent, now: new Date(now.getTime() + 301_000) })).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature({ secret, body, ...sent, now: new Date(now.getTime() - 301_000) })).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature({ secret, body, timestamp: null, signature: sent.signature, now })).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhookSignature({ secret, body, timestamp: "soon", signature: sent.signature, now })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature({ secret, body, timestamp: sent.timestamp, signature: "v1=abc", now })).toEqual({ ok: false, reason: "malformed" });
    // A timestamp moved forward no longer matches the signature made with the old one.
    expect(verifyWebhookSignature({ secret, body, timestamp: String(Number(sent.timestamp) + 60), signature: sent.signature, now })).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("accepts any of several v1 signatures, as while a secret is rotated", () => {
    const old = headersFor(now, "whsec_old").signature;
    const current = headersFor(now).signature;
    expect(verifyWebhookSignature({ secret, body, timestamp: headersFor(now).timestamp, signature: `${old}, ${current}`, now }).ok).toBe(true);
  });

  it("makes a new 256-bit secret each time", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
