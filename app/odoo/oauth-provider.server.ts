import { z } from "zod";
import { log } from "~/logger.server";
import { OdooUserError, type OdooSession } from "./client.server";
import { idSchema, OdooProvisioningError, provisioningStep, stringOrFalse } from "./provisioning-step.server";

const providerRowSchema = z.object({
  id: idSchema,
  name: z.string(),
  client_id: stringOrFalse,
  auth_endpoint: stringOrFalse,
  validation_endpoint: stringOrFalse,
  scope: stringOrFalse,
  enabled: z.boolean(),
  body: stringOrFalse,
});

/**
 * Points Odoo's auth_oauth at the platform's IdP (upsert by provider name).
 * auth_oauth sends the access token to the userinfo endpoint as a query
 * parameter unless the system parameter `auth_oauth.authorization_header` is
 * set, and OIDC userinfo endpoints expect it in a Bearer header, so the
 * parameter is set too
 * (https://github.com/odoo/odoo/blob/18.0/addons/auth_oauth/models/res_users.py, `_auth_oauth_rpc`).
 */
export async function ensureOAuthProvider(
  session: OdooSession,
  input: { name: string; clientId: string; authEndpoint: string; userinfoEndpoint: string; scope?: string; body?: string },
): Promise<{ providerId: number; created: boolean; updatedFields: string[] }> {
  return provisioningStep("oauth_provider", async () => {
    const desired = {
      name: input.name,
      client_id: input.clientId,
      auth_endpoint: input.authEndpoint,
      validation_endpoint: input.userinfoEndpoint,
      scope: input.scope ?? "openid profile email",
      enabled: true,
      body: input.body ?? `Sign in with ${input.name}`,
    };
    let rows;
    try {
      rows = await session.searchRead("auth.oauth.provider", [["name", "=", input.name]], {
        fields: Object.keys(desired),
        schema: providerRowSchema,
      });
    } catch (error) {
      if (error instanceof OdooUserError && error.odooMessage.includes("auth.oauth.provider")) {
        throw new OdooProvisioningError("oauth_provider", `Odoo module auth_oauth is not installed in "${session.db}"`, { cause: error, retryable: false });
      }
      throw error;
    }
    let providerId: number;
    let created = false;
    let updatedFields: string[] = [];
    const [existing] = rows;
    if (existing) {
      providerId = existing.id;
      updatedFields = Object.entries(desired)
        .filter(([k, v]) => existing[k as keyof typeof existing] !== v)
        .map(([k]) => k);
      if (updatedFields.length) {
        await session.write("auth.oauth.provider", [providerId], Object.fromEntries(updatedFields.map((k) => [k, desired[k as keyof typeof desired]])));
      }
    } else {
      providerId = await session.create("auth.oauth.provider", desired);
      created = true;
    }
    const header = await session.call("ir.config_parameter", "get_param", ["auth_oauth.authorization_header"]);
    if (!header) await session.call("ir.config_parameter", "set_param", ["auth_oauth.authorization_header", "1"]);
    log().info({ odoo: { step: "oauth_provider", db: session.db, providerId, created, updatedFields } }, "odoo oauth provider ready");
    return { providerId, created, updatedFields };
  });
}
