import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Encryption at rest for service credentials and refresh tokens: AES-256-GCM
 * with a key ring. The first key seals; any key in the ring opens, so keys can
 * be rotated by putting a new one first and re-sealing at leisure. A sealed
 * value is iv (12 bytes) | auth tag (16 bytes) | ciphertext, stored with the
 * id of the key that sealed it.
 */
export type KeyRing = { current: string; keys: Map<string, Buffer> };

export type Sealed = { cipher: Buffer; keyId: string };

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** Parses `kid1:<base64 32 bytes>,kid2:<…>`; the first entry is the current key. */
export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(":");
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), "base64");
    if (separator < 1 || !/^[\w.-]{1,32}$/.test(id)) throw new SecretBoxError(`SECRET_KEYS: "${id || entry.slice(0, 8)}…" is not a valid key id`);
    if (key.length !== 32) throw new SecretBoxError(`SECRET_KEYS: key ${id} must be 32 bytes of base64, got ${key.length}`);
    if (keys.has(id)) throw new SecretBoxError(`SECRET_KEYS: key id ${id} appears twice`);
    keys.set(id, key);
    current ??= id;
  }
  if (!current) throw new SecretBoxError("SECRET_KEYS: no key given");
  return { current, keys };
}

export function generateKeySpec(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export function seal(ring: KeyRing, plaintext: string, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.keys.get(ring.current)!, iv);
  // The context (e.g. "odoo:<tenant id>") is authenticated, so a ciphertext
  // copied onto another row does not decrypt there.
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { cipher: Buffer.concat([iv, cipher.getAuthTag(), body]), keyId: ring.current };
}

export function open(ring: KeyRing, sealed: Sealed, context: string): string {
  const key = ring.keys.get(sealed.keyId);
  if (!key) throw new SecretBoxError(`No key ${sealed.keyId} in SECRET_KEYS to open this secret`);
  const data = Buffer.from(sealed.cipher);
  if (data.length < 28) throw new SecretBoxError("Sealed secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(data.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("Sealed secret failed authentication (wrong key, context or tampered data)");
  }
}
