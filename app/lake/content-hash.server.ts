import { createHash } from "node:crypto";

/** JSON with object keys sorted, so the same content always hashes the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** 16 bytes of SHA-256: enough to tell versions of one record apart, half the index size. */
export function contentHash(value: unknown): Buffer {
  return createHash("sha256").update(stableJson(value)).digest().subarray(0, 16);
}

/**
 * A canonical entity's id, derived from the source record that created it,
 * so a replay from the raw zone arrives at the same ids.
 */
export function derivedUuid(...parts: string[]): string {
  const bytes = createHash("sha256").update(parts.join("\u0000")).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: custom
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
