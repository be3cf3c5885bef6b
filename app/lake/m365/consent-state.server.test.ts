import { describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyRing } from "~/crypto/secret-box.server";
import { checkConsentState, CONSENT_STATE_TTL_MS, issueConsentState } from "./consent-state.server";

describe("admin-consent state", () => {
  const ring = parseKeyRing(generateKeySpec("k1"));
  const admin = { tenantId: "7d1c2a4e-0000-4000-8000-000000000001", sub: "admin-sub" };
  const now = Date.parse("2026-12-05T00:00:00Z");

  it("comes back good for the workspace and user it was issued to, naming the nonce to spend", () => {
    const issued = issueConsentState(ring, admin, now);
    expect(issued.state).toMatch(/^k1\.[\w-]+$/);
    expect(checkConsentState(ring, issued.state, admin, now + 60_000)).toEqual({ ok: true, nonceHash: issued.nonceHash });
    expect(issueConsentState(ring, admin, now).nonceHash).not.toBe(issued.nonceHash);
  });

  it("refuses another workspace's, another user's, a late, a tampered or a missing state", () => {
    const { state } = issueConsentState(ring, admin, now);
    expect(checkConsentState(ring, state, { ...admin, tenantId: "7d1c2a4e-0000-4000-8000-000000000002" }, now)).toEqual({ ok: false, reason: "unreadable" });
    expect(checkConsentState(ring, state, { ...admin, sub: "ops-sub" }, now)).toEqual({ ok: false, reason: "other_user" });
    expect(checkConsentState(ring, state, admin, now + CONSENT_STATE_TTL_MS)).toEqual({ ok: false, reason: "expired" });
    const tampered = `${state.slice(0, -2)}${state.endsWith("A") ? "B" : "A"}A`;
    for (const bad of [tampered, "k1.", "nokey", "k9.AAAA", null])
      expect(checkConsentState(ring, bad, admin, now)).toEqual({ ok: false, reason: "unreadable" });
    expect(checkConsentState(parseKeyRing(generateKeySpec("k1")), state, admin, now)).toEqual({ ok: false, reason: "unreadable" });
  });
});
