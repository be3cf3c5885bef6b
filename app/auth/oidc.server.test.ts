import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { secretRing } from "~/crypto/keys.server";
import { nonceFor } from "./oidc.server";

describe("sign-in nonces", () => {
  const hmac = (key: Buffer, state: string) => createHmac("sha256", key).update(`oidc-nonce:${state}`).digest("base64url");

  it("are keyed with OIDC_NONCE_KEY, never with a data-encryption key", () => {
    const state = "c3RhdGUtb2YtYS1zaWduLWlu";
    expect(nonceFor(state)).toBe(hmac(Buffer.from(process.env.OIDC_NONCE_KEY!, "base64"), state));
    for (const key of secretRing().keys.values()) expect(nonceFor(state)).not.toBe(hmac(key, state));
  });

  it("differ by state and repeat for the same state", () => {
    expect(nonceFor("a")).toBe(nonceFor("a"));
    expect(nonceFor("a")).not.toBe(nonceFor("b"));
  });
});
