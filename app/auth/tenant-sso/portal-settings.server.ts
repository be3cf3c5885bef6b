import { recordAudit, type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { type PortalSsoInput } from "./portal-sso-form";
import { identityProviderView } from "./providers.server";
import { type IdentityProviderView } from "./sso-form";

/**
 * A tenant admin's changes to the workspace's own identity provider (see
 * PortalSsoForm for which fields are theirs). The provider row is platform
 * data, so the platform client writes it, narrowed to the caller's tenant.
 */
export class NoProviderError extends Error {
  constructor() {
    super("The workspace signs in with Nexius SSO: a platform owner sets up its own provider first");
    this.name = "NoProviderError";
  }
}

export class DomainAddedError extends Error {
  constructor(readonly domains: string[]) {
    super(`Adding ${domains.join(", ")} needs the platform: ask support to check the domain is your organisation's`);
    this.name = "DomainAddedError";
  }
}

export async function updateMemberSettings(tenantId: string, input: PortalSsoInput, actor: Actor): Promise<IdentityProviderView> {
  const existing = await platformDb.tenantIdentityProvider.findUnique({
    where: { tenantId },
    select: { id: true, emailDomains: true, rolesClaim: true, roleMapping: true, enabled: true },
  });
  if (!existing) throw new NoProviderError();
  const added = input.emailDomains.filter((d) => !existing.emailDomains.includes(d));
  if (added.length) throw new DomainAddedError(added);
  const row = await platformDb.tenantIdentityProvider.update({
    where: { id: existing.id },
    data: { emailDomains: input.emailDomains, rolesClaim: input.rolesClaim, roleMapping: input.roleMapping, enabled: input.enabled },
  });
  await recordAudit(tenantId, actor, "sso.member_settings_updated", row.issuer, {
    before: { emailDomains: existing.emailDomains, rolesClaim: existing.rolesClaim, roleMapping: existing.roleMapping, enabled: existing.enabled },
    after: { emailDomains: row.emailDomains, rolesClaim: row.rolesClaim, roleMapping: row.roleMapping, enabled: row.enabled },
  });
  return identityProviderView(row);
}
