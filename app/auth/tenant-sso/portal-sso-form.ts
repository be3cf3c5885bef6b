import { z } from "zod";
import { memberSettings } from "./sso-form";

/**
 * What a tenant's admin may change of the workspace's own identity provider,
 * from the tenant portal (Browser-safe). Theirs: which of the provider's
 * email domains sign in there (they may drop one, not add one), the claim the
 * roles come from, the mapping of its values to roles, and whether the
 * provider is on. The platform's: the kind, issuer, Entra directory, client
 * id and the client secret (sealed, never shown): they decide who can mint
 * tokens for the workspace, and adding an email domain routes strangers'
 * sign-ins, so both wait for a platform owner's check.
 */
export const PortalSsoForm = z.object(memberSettings).superRefine((form, ctx) => {
  // Without an admin value no one could sign in as the workspace's admin, and only the platform could repair it.
  if (!Object.values(form.roleMapping).includes("admin"))
    ctx.addIssue({
      code: "custom",
      path: ["roleMapping"],
      message: "Keep at least one value mapped to admin, or no one could sign in as this workspace's admin",
    });
});

export type PortalSsoInput = z.output<typeof PortalSsoForm>;

/** The fields the portal's form posts; anything else in the request (an issuer, a secret) is ignored, never saved. */
export const PORTAL_SSO_FIELDS = ["emailDomains", "rolesClaim", "roleMapping", "enabled"] as const;
