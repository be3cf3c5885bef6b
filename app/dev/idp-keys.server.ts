import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { z } from "zod";

/**
 * The dev IdP's RS256 signing key, as a private JWK with `kid`, `alg` and
 * `use`. Kept in `keyFile` (under the gitignored data dir) so tokens and
 * cached JWKS stay valid across restarts; in memory when no file is given.
 */
export type SigningKey = JWK & { kid: string; alg: "RS256"; use: "sig"; kty: "RSA"; d: string };

const privateRsaJwk = z.looseObject({
  kty: z.literal("RSA"),
  kid: z.string().min(1),
  alg: z.literal("RS256"),
  use: z.literal("sig"),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});
const keyFileSchema = z.object({ keys: z.array(privateRsaJwk).min(1) });

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: "RS256", use: "sig" } as SigningKey;
}

export async function loadOrCreateSigningKey(keyFile: string | undefined): Promise<SigningKey> {
  if (!keyFile) return generateSigningKey();
  let text: string | undefined;
  try {
    text = await readFile(keyFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (text !== undefined) {
    // A damaged key file is reported, never silently replaced: replacing it would invalidate every issued token.
    const parsed = keyFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${keyFile} is not a dev IdP signing key file: ${parsed.error.message}`);
    return parsed.data.keys[0] as SigningKey;
  }
  const key = await generateSigningKey();
  await mkdir(path.dirname(keyFile), { recursive: true });
  const temporary = `${keyFile}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ keys: [key] }, null, 2), { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, keyFile);
  return key;
}

/** The public half, as published in the JWKS. */
export function publicJwk(key: SigningKey): JWK {
  const { kty, n, e, kid, alg, use } = key;
  return { kty, n, e, kid, alg, use };
}
