import { z } from "zod";
import { log } from "~/logger.server";
import { GLOBAL_ADMIN_GROUPS, groupsForRoles } from "./access-groups.server";
import { type OdooSession } from "./client.server";
import { idSchema, many2one, OdooProvisioningError, provisioningStep, stringOrFalse, userRowSchema } from "./provisioning-step.server";

const ssoRowSchema = userRowSchema.extend({
  oauth_provider_id: many2one,
  oauth_uid: stringOrFalse,
});

const groupClosureSchema = z.object({ id: idSchema, implied_ids: z.array(idSchema) });

/**
 * The signer's Odoo user, pre-linked to the IdP (`oauth_provider_id` +
 * `oauth_uid` = sub) so their first Odoo sign-in matches it instead of
 * signing up a new user. Groups follow the platform roles.
 *
 * A user is found only by that link, never by login: an Odoo user that
 * exists under the member's email but is not linked to their identity may
 * be someone else (or the database's administrator), so it is refused for
 * an operator to resolve instead of taken over. The email must be verified
 * by the IdP before it becomes a login.
 *
 * `sharedDatabase` (company_per_tenant): Odoo groups are global, so a user
 * we linked for another tenant only gains this tenant's company and groups,
 * and no group that administers the database is ever granted; in a tenant's
 * own database the groups are set exactly.
 */
export async function ensureSsoUser(
  session: OdooSession,
  input: {
    email: string;
    emailVerified: boolean;
    name: string;
    sub: string;
    providerId: number;
    roles: readonly string[];
    companyId: number;
    sharedDatabase?: boolean;
  },
): Promise<{ uid: number; created: boolean }> {
  return provisioningStep("sso_user", async () => {
    const login = input.email.trim().toLowerCase();
    if (!input.emailVerified) {
      throw new OdooProvisioningError(
        "sso_user",
        `The identity provider has not verified ${login}, so no Odoo user is created or linked for it. Verify the address at the identity provider, sign in again, then retry.`,
        { retryable: false },
      );
    }
    const groups = groupsForRoles(input.roles, { sharedDatabase: input.sharedDatabase });
    const groupIds = [...(await session.resolveXmlIds(groups)).values()];
    if (input.sharedDatabase) await refuseGlobalAdministration(session, groupIds);
    const fields = ["id", "login", "active", "company_id", "company_ids", "groups_id", "oauth_provider_id", "oauth_uid"];
    const context = { active_test: false };
    const [linked] = await session.searchRead(
      "res.users",
      [
        ["oauth_provider_id", "=", input.providerId],
        ["oauth_uid", "=", input.sub],
      ],
      {
        fields,
        context,
        schema: ssoRowSchema,
      },
    );
    const [holder] = await session.searchRead("res.users", [["login", "=", login]], { fields, context, schema: ssoRowSchema });
    if (holder && holder.id !== linked?.id) {
      throw new OdooProvisioningError(
        "sso_user",
        `Odoo already has a user with login ${login} (id ${holder.id}) that is not linked to this Nexius identity. A platform operator must rename that Odoo user or link it to the member in Odoo, then retry.`,
        { retryable: false },
      );
    }
    const link = { name: input.name, email: login, login, oauth_provider_id: input.providerId, oauth_uid: input.sub, active: true };
    if (!linked) {
      const uid = await session.create("res.users", {
        ...link,
        company_id: input.companyId,
        company_ids: [[6, 0, [input.companyId]]],
        groups_id: [[6, 0, groupIds]],
      });
      log().info({ odoo: { step: "sso_user", db: session.db, uid, created: true } }, "odoo sso user ready");
      return { uid, created: true };
    }
    const scope = input.sharedDatabase
      ? { company_ids: [[4, input.companyId]], groups_id: groupIds.map((g) => [4, g]) }
      : { company_id: input.companyId, company_ids: [[6, 0, [input.companyId]]], groups_id: [[6, 0, groupIds]] };
    await session.write("res.users", [linked.id], { ...link, ...scope });
    log().info({ odoo: { step: "sso_user", db: session.db, uid: linked.id, created: false } }, "odoo sso user ready");
    return { uid: linked.id, created: false };
  });
}

/**
 * Refuses a group list whose closure (implied groups included, as Odoo adds
 * them) reaches a group that administers the whole shared database — also
 * when a module or an Odoo administrator made a role group imply one.
 */
async function refuseGlobalAdministration(session: OdooSession, groupIds: number[]): Promise<void> {
  const forbidden = new Set((await session.resolveXmlIds(GLOBAL_ADMIN_GROUPS)).values());
  const seen = new Set<number>();
  let frontier = groupIds;
  while (frontier.length) {
    for (const id of frontier) seen.add(id);
    const rows = await session.read("res.groups", frontier, ["implied_ids"], { schema: groupClosureSchema });
    frontier = [...new Set(rows.flatMap((r) => r.implied_ids))].filter((id) => !seen.has(id));
  }
  if ([...seen].some((id) => forbidden.has(id))) {
    throw new OdooProvisioningError(
      "sso_user",
      "The Odoo groups for this role imply database administration (Settings or Access Rights), which no tenant user of a shared Odoo may hold; check the groups' implied groups in Odoo.",
      { retryable: false },
    );
  }
}
