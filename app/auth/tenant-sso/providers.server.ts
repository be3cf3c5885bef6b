import { randomUUID } from "node:crypto";
import { recordAudit, type Actor } from "~/audit.server";
import { secretRing } from "~/crypto/keys.server";
import { open, seal } from "~/crypto/secret-box.server";
import { platformDb } from "~/db.server";
import { type TenantIdentityProvider } from "~/generated/prisma/client";
import { entraIssuer, parseEntraIssuer } from "./issuer";
import { emailDomainOf, roleMappingOf, type IdpKind, type RoleMapping } from "./mapping";
import { type IdentityProviderInput, type IdentityProviderView } from "./sso-form";

/**
 * Tenants' own identity providers: stored with the client secret sealed
 * (AAD bound to the provider's id, so a ciphertext copied to another row does
 * not open there), shown without it, and found at sign-in by email domain,
 * workspace slug or Entra directory.
 */
export const identityProviderSecretContext = (providerId: string) => `tenant-idp-secret:${providerId}`;

/** A provider ready for a sign-in: the row's settings and the secret opened. */
export type SignInProvider = {
  id: string;
  tenantId: string;
  tenantSlug: string;
  kind: IdpKind;
  issuer: string;
  directoryId: string | null;
  clientId: string;
  clientSecret: string;
  emailDomains: string[];
  rolesClaim: string;
  roleMapping: RoleMapping;
};

export class DomainTakenError extends Error {
  constructor(readonly domains: string[]) {
    super(`Another tenant's provider already signs in ${domains.join(", ")}`);
    this.name = "DomainTakenError";
  }
}

export class DirectoryTakenError extends Error {
  constructor() {
    super("Another tenant's provider already uses this Entra directory: a directory belongs to one tenant");
    this.name = "DirectoryTakenError";
  }
}

export class SecretRequiredError extends Error {
  constructor() {
    super("Give the client secret: a new provider needs one");
    this.name = "SecretRequiredError";
  }
}

export function identityProviderView(row: TenantIdentityProvider): IdentityProviderView {
  const entra = row.kind === "entra" ? parseEntraIssuer(row.issuer) : null;
  return {
    id: row.id,
    kind: row.kind,
    issuer: row.issuer,
    loginHost: entra?.loginHost ?? null,
    directoryId: row.entraTenantId,
    clientId: row.clientId,
    emailDomains: row.emailDomains,
    rolesClaim: row.rolesClaim,
    roleMapping: roleMappingOf(row.roleMapping),
    enabled: row.enabled,
    updatedAt: row.updatedAt,
  };
}

export async function tenantIdentityProvider(tenantId: string): Promise<IdentityProviderView | null> {
  const row = await platformDb.tenantIdentityProvider.findUnique({ where: { tenantId } });
  return row ? identityProviderView(row) : null;
}

/** A tenant's SSO for GET /api/tenants/:id: its own provider in brief (never the secret), or the platform's IdP. */
export async function ssoSummary(tenantId: string) {
  const provider = await tenantIdentityProvider(tenantId);
  if (!provider) return { provider: "platform" as const };
  return {
    provider: provider.kind,
    issuer: provider.issuer,
    directory_id: provider.directoryId,
    client_id: provider.clientId,
    email_domains: provider.emailDomains,
    roles_claim: provider.rolesClaim,
    enabled: provider.enabled,
  };
}

/** Every tenant's provider, for /admin/integrations/sso. */
export async function listIdentityProviders() {
  const rows = await platformDb.tenantIdentityProvider.findMany({
    orderBy: { tenant: { name: "asc" } },
    include: { tenant: { select: { id: true, slug: true, name: true, status: true } } },
  });
  return rows.map((row) => ({ ...identityProviderView(row), tenant: row.tenant }));
}

/** Creates or updates the tenant's provider; a blank secret keeps the stored one. */
export async function saveIdentityProvider(tenantId: string, input: IdentityProviderInput, actor: Actor): Promise<IdentityProviderView> {
  const existing = await platformDb.tenantIdentityProvider.findUnique({ where: { tenantId } });
  const clash = await platformDb.tenantIdentityProvider.findMany({
    where: { tenantId: { not: tenantId }, emailDomains: { hasSome: input.emailDomains } },
    select: { emailDomains: true },
  });
  if (clash.length) throw new DomainTakenError(input.emailDomains.filter((d) => clash.some((c) => c.emailDomains.includes(d))));
  if (input.directoryId) {
    const other = await platformDb.tenantIdentityProvider.findFirst({ where: { entraTenantId: input.directoryId, tenantId: { not: tenantId } } });
    if (other) throw new DirectoryTakenError();
  }
  if (!existing && !input.clientSecret) throw new SecretRequiredError();
  const id = existing?.id ?? randomUUID();
  const sealed = input.clientSecret ? seal(secretRing(), input.clientSecret, identityProviderSecretContext(id)) : null;
  const settings = {
    kind: input.kind,
    issuer: input.kind === "entra" ? entraIssuer(input.loginHost!, input.directoryId!) : input.issuer!,
    entraTenantId: input.kind === "entra" ? input.directoryId! : null,
    clientId: input.clientId,
    emailDomains: input.emailDomains,
    rolesClaim: input.rolesClaim,
    roleMapping: input.roleMapping,
    enabled: input.enabled,
    ...(sealed ? { clientSecretCipher: new Uint8Array(sealed.cipher), clientSecretKeyId: sealed.keyId } : {}),
  };
  const row = existing
    ? await platformDb.tenantIdentityProvider.update({ where: { id }, data: settings })
    : await platformDb.tenantIdentityProvider.create({
        data: { id, tenantId, ...settings, clientSecretCipher: settings.clientSecretCipher!, clientSecretKeyId: settings.clientSecretKeyId! },
      });
  await recordAudit(tenantId, actor, existing ? "sso.provider_updated" : "sso.provider_created", row.issuer, {
    kind: row.kind,
    clientId: row.clientId,
    emailDomains: row.emailDomains,
    enabled: row.enabled,
    secretChanged: Boolean(sealed),
  });
  return identityProviderView(row);
}

export async function removeIdentityProvider(tenantId: string, actor: Actor): Promise<boolean> {
  const { count } = await platformDb.tenantIdentityProvider.deleteMany({ where: { tenantId } });
  if (count) await recordAudit(tenantId, actor, "sso.provider_removed");
  return count > 0;
}

function signInProvider(row: TenantIdentityProvider & { tenant: { slug: string } }): SignInProvider {
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantSlug: row.tenant.slug,
    kind: row.kind as IdpKind,
    issuer: row.issuer,
    directoryId: row.entraTenantId,
    clientId: row.clientId,
    clientSecret: open(secretRing(), { cipher: Buffer.from(row.clientSecretCipher), keyId: row.clientSecretKeyId }, identityProviderSecretContext(row.id)),
    emailDomains: row.emailDomains,
    rolesClaim: row.rolesClaim,
    roleMapping: roleMappingOf(row.roleMapping),
  };
}

/**
 * The enabled provider a person signs in through, from what they typed on
 * the sign-in page: a work email (its domain) or a workspace's slug. Null
 * when neither names one: the platform's IdP is then the way in.
 */
export async function providerForSignIn(emailOrWorkspace: string): Promise<SignInProvider | null> {
  const typed = emailOrWorkspace.trim().toLowerCase();
  const domain = emailDomainOf(typed);
  const row = await platformDb.tenantIdentityProvider.findFirst({
    where: { enabled: true, ...(domain ? { emailDomains: { has: domain } } : { tenant: { slug: typed } }) },
    include: { tenant: { select: { slug: true } } },
  });
  return row ? signInProvider(row) : null;
}

/** A provider by id, enabled or not (a test login tries one before it is switched on). */
export async function providerById(id: string, options: { enabledOnly: boolean }): Promise<SignInProvider | null> {
  const row = await platformDb.tenantIdentityProvider.findUnique({ where: { id }, include: { tenant: { select: { slug: true } } } });
  return row && (row.enabled || !options.enabledOnly) ? signInProvider(row) : null;
}

/** The enabled Entra provider of a directory: the one tenant a token from it may land in. */
export async function providerForDirectory(tid: string): Promise<SignInProvider | null> {
  const row = await platformDb.tenantIdentityProvider.findFirst({
    where: { entraTenantId: tid.toLowerCase(), enabled: true },
    include: { tenant: { select: { slug: true } } },
  });
  return row ? signInProvider(row) : null;
}
