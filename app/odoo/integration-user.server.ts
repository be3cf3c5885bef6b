import { log } from "~/logger.server";
import { INTEGRATION_USER_GROUPS } from "./access-groups.server";
import { type OdooSession } from "./client.server";
import { OdooProvisioningError, provisioningStep, userRowSchema } from "./provisioning-step.server";

/**
 * The tenant's service account: a dedicated user scoped to one company with
 * an explicit group list. Its credential is the generated `password`, since
 * Odoo API keys cannot be created over RPC (`res.users.apikeys._generate` is
 * private and the key wizard's `@check_identity` needs an HTTP session:
 * https://github.com/odoo/odoo/blob/17.0/odoo/addons/base/models/res_users.py);
 * the result is verified by authenticating with it.
 */
export async function ensureIntegrationUser(
  session: OdooSession,
  input: { login: string; name: string; companyId: number; password: string; groups?: string[] },
): Promise<{ uid: number; created: boolean }> {
  return provisioningStep("integration_user", async () => {
    const groupIds = [...(await session.resolveXmlIds(input.groups ?? INTEGRATION_USER_GROUPS)).values()];
    const scoped = {
      name: input.name,
      active: true,
      company_id: input.companyId,
      company_ids: [[6, 0, [input.companyId]]],
      groups_id: [[6, 0, groupIds]],
    };
    const [existing] = await session.searchRead("res.users", [["login", "=", input.login]], {
      fields: ["id", "login", "active", "company_id", "company_ids", "groups_id"],
      context: { active_test: false },
      schema: userRowSchema,
    });
    let uid: number;
    let created = false;
    if (existing) {
      uid = existing.id;
      await session.write("res.users", [uid], scoped);
      if ((await session.client.authenticate(session.db, input.login, input.password)) !== uid) {
        await session.write("res.users", [uid], { password: input.password });
      }
    } else {
      uid = await session.create("res.users", { ...scoped, login: input.login, password: input.password });
      created = true;
    }
    if ((await session.client.authenticate(session.db, input.login, input.password)) !== uid) {
      throw new OdooProvisioningError("integration_user", `Odoo does not accept the new credential of ${input.login}`, { retryable: true });
    }
    log().info({ odoo: { step: "integration_user", db: session.db, uid, created } }, "odoo integration user ready");
    return { uid, created };
  });
}

/** Sets a new password on the integration user and proves it works before the caller stores it. */
export async function rotateIntegrationPassword(
  adminSession: OdooSession,
  input: { userId: number; login: string; newPassword: string },
): Promise<{ uid: number }> {
  return provisioningStep("rotate_password", async () => {
    await adminSession.write("res.users", [input.userId], { password: input.newPassword });
    const uid = await adminSession.client.authenticate(adminSession.db, input.login, input.newPassword);
    if (uid !== input.userId) {
      throw new OdooProvisioningError("rotate_password", `Odoo does not accept the rotated credential of ${input.login}`, { retryable: true });
    }
    log().info({ odoo: { step: "rotate_password", db: adminSession.db, uid } }, "odoo integration credential rotated");
    return { uid };
  });
}
