import { z } from "zod";
import { hostOverridesJson } from "~/crawler/config.server";
import { type TokenVerifierConfig } from "./tokens.server";

/**
 * Settings for signing in through "Nexius SSO" (any OIDC provider). None has
 * a default: with no NEXIUS_ISSUER outside production, the dev runner starts
 * the embedded dev IdP (app/cli/dev-idp.ts) and passes its issuer and client
 * to the processes it starts.
 */
const blankAsUnset = (value: unknown) => (value === "" ? undefined : value);

export const authEnv = z.object({
  NEXIUS_ISSUER: z.preprocess(blankAsUnset, z.url().optional()),
  NEXIUS_CLIENT_ID: z.preprocess(blankAsUnset, z.string().min(1).optional()),
  NEXIUS_CLIENT_SECRET: z.preprocess(blankAsUnset, z.string().min(1).optional()),
  /** Expected `aud`; the client id when unset. */
  NEXIUS_AUDIENCE: z.preprocess(blankAsUnset, z.string().min(1).optional()),
  /**
   * The platform's multi-tenant Microsoft Entra app ("Sign in with Microsoft"):
   * its application id and a client secret. Unset hides the button; tenants'
   * own providers work without it. The login host is MS_LOGIN_BASE_URL.
   */
  ENTRA_CLIENT_ID: z.preprocess(blankAsUnset, z.string().min(1).optional()),
  ENTRA_CLIENT_SECRET: z.preprocess(blankAsUnset, z.string().min(1).optional()),
  /**
   * Development and tests only (refused in production, as the crawler's): JSON
   * map of a tenant provider's host → "127.0.0.1:port", the one way a tenant's
   * own identity provider is reached on loopback (a simulator).
   */
  SSO_HOST_OVERRIDES: hostOverridesJson,
  DEV_IDP_PORT: z.coerce.number().int().min(1).max(65535).default(4800),
  /**
   * HMAC key binding each sign-in's nonce to its state: a key of its own, so
   * the data-encryption keys (SECRET_KEYS) are used for nothing else.
   * 32 bytes of base64; a random key per process when unset outside production.
   */
  OIDC_NONCE_KEY: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes of base64")
      .optional(),
  ),
});
export type AuthEnv = z.infer<typeof authEnv>;

/** Problems to add to the env parse (production needs a real IdP). */
export function authEnvProblems(env: AuthEnv, production: boolean): string[] {
  if (!production) return [];
  const missing = (["NEXIUS_ISSUER", "NEXIUS_CLIENT_ID", "NEXIUS_CLIENT_SECRET"] as const).filter((k) => !env[k]);
  return [
    ...missing.map((k) => `${k}: required in production (the embedded dev IdP is for development only)`),
    ...(env.OIDC_NONCE_KEY ? [] : ["OIDC_NONCE_KEY: required in production (32 random bytes, base64; a key of its own, not one of SECRET_KEYS)"]),
  ];
}

export function tokenVerifierConfig(env: AuthEnv): Pick<TokenVerifierConfig, "issuer" | "audience"> {
  if (!env.NEXIUS_ISSUER || !(env.NEXIUS_AUDIENCE ?? env.NEXIUS_CLIENT_ID)) {
    throw new Error("NEXIUS_ISSUER and NEXIUS_CLIENT_ID (or NEXIUS_AUDIENCE) must be set to verify tokens");
  }
  return { issuer: env.NEXIUS_ISSUER, audience: (env.NEXIUS_AUDIENCE ?? env.NEXIUS_CLIENT_ID)! };
}
