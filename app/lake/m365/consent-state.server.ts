import { createHash, randomBytes } from "node:crypto";
import { open, seal, SecretBoxError, type KeyRing } from "~/crypto/secret-box.server";

/**
 * The `state` of an admin-consent round trip: who asked (workspace and
 * user), a nonce and an expiry, sealed with the platform's secret keys, so
 * it cannot be forged, read or moved to another workspace (the workspace is
 * the seal's context). The nonce's hash is stored with the workspace's
 * Microsoft 365 source and cleared by the first answer, which makes a state
 * good for one use.
 */
export const CONSENT_STATE_TTL_MS = 15 * 60_000;

type StatePayload = { sub: string; nonce: string; exp: number };

export type ConsentStateCheck = { ok: true; nonceHash: string } | { ok: false; reason: "unreadable" | "other_user" | "expired" };

const context = (tenantId: string) => `m365-consent-state:${tenantId}`;

export function nonceHash(nonce: string): string {
  return createHash("sha256").update(nonce).digest("hex");
}

export function issueConsentState(ring: KeyRing, who: { tenantId: string; sub: string }, now = Date.now()): { state: string; nonceHash: string } {
  const nonce = randomBytes(16).toString("base64url");
  const payload: StatePayload = { sub: who.sub, nonce, exp: now + CONSENT_STATE_TTL_MS };
  const sealed = seal(ring, JSON.stringify(payload), context(who.tenantId));
  return { state: `${sealed.keyId}.${sealed.cipher.toString("base64url")}`, nonceHash: nonceHash(nonce) };
}

/** Whether a returned state is one this workspace issued to this user and still in time; the caller then spends its nonce. */
export function checkConsentState(ring: KeyRing, state: string | null, who: { tenantId: string; sub: string }, now = Date.now()): ConsentStateCheck {
  const dot = state?.lastIndexOf(".") ?? -1;
  if (!state || dot < 1) return { ok: false, reason: "unreadable" };
  let payload: StatePayload;
  try {
    const plain = open(ring, { keyId: state.slice(0, dot), cipher: Buffer.from(state.slice(dot + 1), "base64url") }, context(who.tenantId));
    payload = JSON.parse(plain) as StatePayload;
  } catch (error) {
    if (error instanceof SecretBoxError || error instanceof SyntaxError) return { ok: false, reason: "unreadable" };
    throw error;
  }
  if (payload.sub !== who.sub) return { ok: false, reason: "other_user" };
  if (!(payload.exp > now)) return { ok: false, reason: "expired" };
  return { ok: true, nonceHash: nonceHash(payload.nonce) };
}
