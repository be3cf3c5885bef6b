import { TENANT_ROLES, type TenantRole } from "../roles";

/**
 * How a tenant's own identity provider is described and how its ID token's
 * claims become our tenant roles. Browser-safe: the SSO tab edits the same
 * shapes the sign-in applies.
 */
export const IDP_KINDS = ["oidc", "entra"] as const;
export type IdpKind = (typeof IDP_KINDS)[number];

/** Entra sends app roles in `roles` and security-group object ids in `groups`; other providers use either name. */
export const ROLES_CLAIMS = ["roles", "groups"] as const;
export type RolesClaim = (typeof ROLES_CLAIMS)[number];

/** Claim value (an app role's value, a group's object id) → tenant role. */
export type RoleMapping = Record<string, TenantRole>;

/** The string values of a claim that may be one string or a list of them. */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * The tenant roles a token's claim values map to, in the platform's order.
 * Values without a mapping give nothing: a provider cannot grant a role the
 * tenant's owner did not map, and a user with none of them is refused.
 */
export function mapRoles(values: readonly string[], mapping: RoleMapping): TenantRole[] {
  const granted = new Set(values.map((v) => mapping[v]).filter((r): r is TenantRole => r !== undefined));
  return TENANT_ROLES.filter((role) => granted.has(role));
}

/** The lower-case domain of an email address, or null for anything that is not one. */
export function emailDomainOf(email: string): string | null {
  const match = /^[^\s@]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(email.trim());
  return match ? match[1]!.toLowerCase() : null;
}

const DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/** Email domains typed one per line or separated by commas; the invalid ones are returned apart so the form can say which. */
export function parseDomains(text: string): { domains: string[]; invalid: string[] } {
  const entries = text
    .split(/[\s,]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
  const domains = [...new Set(entries.filter((d) => DOMAIN.test(d)))];
  return { domains, invalid: entries.filter((d) => !DOMAIN.test(d)) };
}

/** `value = role` lines, e.g. `Sales.Admin = admin`; lines that do not parse are returned apart. */
export function parseRoleMapping(text: string): { mapping: RoleMapping; invalid: string[] } {
  const mapping: RoleMapping = {};
  const invalid: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^(.+?)\s*=\s*(\S+)$/.exec(line);
    const role = match?.[2]?.toLowerCase();
    if (!match || !(TENANT_ROLES as readonly string[]).includes(role ?? "")) {
      invalid.push(line);
      continue;
    }
    mapping[match[1]!.trim()] = role as TenantRole;
  }
  return { mapping, invalid };
}

export function formatRoleMapping(mapping: RoleMapping): string {
  return Object.entries(mapping)
    .map(([value, role]) => `${value} = ${role}`)
    .join("\n");
}

/** A stored mapping read back from JSON: only entries naming a tenant role count. */
export function roleMappingOf(json: unknown): RoleMapping {
  if (!json || typeof json !== "object" || Array.isArray(json)) return {};
  return Object.fromEntries(
    Object.entries(json as Record<string, unknown>).filter((entry): entry is [string, TenantRole] =>
      (TENANT_ROLES as readonly string[]).includes(entry[1] as string),
    ),
  );
}
