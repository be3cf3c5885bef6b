import express, { type Router } from "express";
import { importJWK, SignJWT } from "jose";
import { z } from "zod";
import { type SigningKey } from "./idp-keys.server";

/**
 * POST /dev/token: an ID token for any claims a test or API call asks for,
 * signed with the IdP's key, without a browser sign-in.
 */

/** Body of POST /dev/token. `nbf` is an absolute NumericDate; `expires_in` may be negative. */
export const devTokenRequestSchema = z.strictObject({
  sub: z.string().min(1),
  email: z.email(),
  // Demo addresses count as verified; false lets tests present an address the IdP did not verify.
  email_verified: z.boolean().default(true),
  name: z.string().min(1).optional(),
  tenant_id: z.string().min(1).optional(),
  roles: z.array(z.string().min(1)).default([]),
  odoo_db: z.string().min(1).optional(),
  nonce: z.string().min(1).optional(),
  expires_in: z.number().int().default(3600),
  nbf: z.number().int().optional(),
  aud: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
});

type TokenMinting = { issuer: string; signingKey: SigningKey; defaultAudience: string };

export function devTokenRoute(router: Router, minting: TokenMinting) {
  router.post("/dev/token", express.json({ limit: "16kb" }), async (req, response, next) => {
    try {
      const parsed = devTokenRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        return response.status(400).json({
          error: "invalid_request",
          error_description: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
        });
      }
      const id_token = await mintDevToken(parsed.data, minting);
      response.set("cache-control", "no-store").json({ id_token });
    } catch (error) {
      next(error);
    }
  });
}

async function mintDevToken(request: z.output<typeof devTokenRequestSchema>, { issuer, signingKey, defaultAudience }: TokenMinting): Promise<string> {
  const { expires_in, nbf, aud, ...claims } = request;
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { ...claims };
  if (nbf !== undefined) payload.nbf = nbf;
  const key = await importJWK(signingKey, "RS256");
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: signingKey.kid, typ: "JWT" })
    .setIssuer(issuer)
    .setAudience(aud ?? defaultAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + expires_in)
    .sign(key);
}
