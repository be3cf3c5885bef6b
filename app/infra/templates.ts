import { z } from "zod";

/**
 * Infra templates: what a tenant's deployment runs (Odoo and Postgres images,
 * a size profile, non-secret environment defaults). Browser-safe: the
 * templates page validates with the same schema.
 */
export const SIZE_PROFILES = {
  small: { cpu: "500m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi", workers: 2 },
  medium: { cpu: "1", memory: "2Gi", cpuLimit: "2", memoryLimit: "4Gi", workers: 4 },
  large: { cpu: "2", memory: "4Gi", cpuLimit: "4", memoryLimit: "8Gi", workers: 8 },
} as const;
export type SizeProfile = keyof typeof SIZE_PROFILES;
export const SIZE_PROFILE_NAMES = Object.keys(SIZE_PROFILES) as SizeProfile[];

/** A key that names a secret has no place among the defaults: secrets are referenced from the cluster's secret store. */
const SECRET_KEY = /(PASS|SECRET|TOKEN|KEY|CREDENTIAL)/i;

export function isSecretLikeKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const IMAGE = /^[a-z0-9][a-z0-9._/-]*(:[0-9]+)?[a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** `repository:tag` → its two parts (the tag after the last colon, so a registry port stays in the repository). */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(":");
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/** `KEY=value` lines (blank lines ignored) → the env defaults, refusing malformed and secret-looking keys. */
export function parseEnvDefaults(text: string): { ok: true; env: Record<string, string> } | { ok: false; error: string } {
  const env: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(key)) return { ok: false, error: `Line ${index + 1}: write KEY=value with an upper-case KEY` };
    if (isSecretLikeKey(key))
      return { ok: false, error: `Line ${index + 1}: ${key} looks like a secret; secrets are referenced from the secret store, not kept here` };
    env[key] = line.slice(eq + 1).trim();
  }
  return { ok: true, env };
}

export function formatEnvDefaults(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
}

/** A template as the templates page submits it: saving makes the name's next version, untested until someone marks it. */
export const InfraTemplateForm = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/, "Lower-case letters, digits, - and _, 2 to 40 characters"),
  odooImage: z.string().regex(IMAGE, "An image with a tag, e.g. odoo:18.0-20261101"),
  postgresImage: z.string().regex(IMAGE, "An image with a tag, e.g. postgres:16.4"),
  sizeProfile: z.enum(SIZE_PROFILE_NAMES as [SizeProfile, ...SizeProfile[]]),
  envDefaults: z.string().max(4000).default(""),
});

export type InfraTemplateView = {
  id: string;
  name: string;
  version: number;
  odooImage: string;
  postgresImage: string;
  sizeProfile: SizeProfile;
  envDefaults: Record<string, string>;
  tested: boolean;
};

/** The newer versions of the tenant's template, newest first: what an image upgrade may propose. */
export function upgradeCandidates<T extends Pick<InfraTemplateView, "id" | "name" | "version">>(current: T | null, templates: readonly T[]): T[] {
  if (!current) return [...templates].sort((a, b) => b.version - a.version);
  return templates.filter((t) => t.name === current.name && t.version > current.version).sort((a, b) => b.version - a.version);
}
