import { describe, expect, it } from "vitest";
import { authEnv, authEnvProblems, tokenVerifierConfig } from "./config.server";

describe("auth environment", () => {
  it("treats blank values as unset and defaults the dev IdP port", () => {
    const env = authEnv.parse({ NEXIUS_ISSUER: "", NEXIUS_AUDIENCE: "", NEXIUS_CLIENT_ID: "platform" });
    expect(env).toEqual({ NEXIUS_CLIENT_ID: "platform", DEV_IDP_PORT: 4800 });
  });

  it("requires a real IdP in production only", () => {
    const env = authEnv.parse({});
    expect(authEnvProblems(env, false)).toEqual([]);
    expect(authEnvProblems(env, true).map((p) => p.split(":")[0])).toEqual(["NEXIUS_ISSUER", "NEXIUS_CLIENT_ID", "NEXIUS_CLIENT_SECRET", "OIDC_NONCE_KEY"]);
    expect(authEnvProblems(authEnv.parse({ OIDC_NONCE_KEY: Buffer.alloc(32, 7).toString("base64") }), true)).toHaveLength(3);
    expect(() => authEnv.parse({ OIDC_NONCE_KEY: "c2hvcnQ=" })).toThrow(/32 bytes/);
  });

  it("verifies against NEXIUS_AUDIENCE, else the client id", () => {
    const base = { NEXIUS_ISSUER: "https://sso.test/realms/prod", NEXIUS_CLIENT_ID: "platform" };
    expect(tokenVerifierConfig(authEnv.parse(base))).toEqual({ issuer: base.NEXIUS_ISSUER, audience: "platform" });
    expect(tokenVerifierConfig(authEnv.parse({ ...base, NEXIUS_AUDIENCE: "api://nexius" })).audience).toBe("api://nexius");
    expect(() => tokenVerifierConfig(authEnv.parse({}))).toThrow(/NEXIUS_ISSUER/);
  });
});
