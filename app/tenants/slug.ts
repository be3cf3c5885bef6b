/** Tenant slugs: lower-case letters, digits and dashes, 2–63 long (as the tenants table checks). */
export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function isTenantSlug(value: string): boolean {
  return TENANT_SLUG.test(value);
}

/** A readable slug from free text ("Acme Pte. Ltd." → "acme-pte-ltd"), or "" when nothing usable remains. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}
