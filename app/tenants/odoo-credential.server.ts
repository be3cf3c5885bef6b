import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { recordAudit, type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { log } from "~/logger.server";
import { OdooAccessDenied, OdooTransportError } from "~/odoo/client.server";
import { odooClient, openOdooSecret, replaceServiceSecret } from "~/odoo/connection.server";
import { rotateIntegrationPassword } from "~/odoo/integration-user.server";
import { adminSessionFor } from "./provisioning.server";

/** What a verification tells its caller: no credential, login or Odoo error text (those go to the server log). */
export type OdooVerification = {
  ok: boolean;
  database: string | null;
  server_version: string | null;
  latency_ms: number | null;
  last_verified_at: string | null;
  error: string | null;
};

/** Signs in to Odoo with the stored service credential and reads from it; records when it last worked, and who asked. */
export async function verifyOdooConnection(tenantId: string, actor: Actor): Promise<OdooVerification> {
  const result = await checkOdooConnection(tenantId);
  await recordAudit(tenantId, actor, "odoo.verified", null, { ok: result.ok, error: result.error });
  return result;
}

async function checkOdooConnection(tenantId: string): Promise<OdooVerification> {
  const connection = await platformDb.odooConnection.findUnique({ where: { tenantId } });
  if (!connection) {
    return {
      ok: false,
      database: null,
      server_version: null,
      latency_ms: null,
      last_verified_at: null,
      error: "No Odoo connection yet: provisioning has not created it",
    };
  }
  const started = performance.now();
  try {
    const client = odooClient();
    const session = await client.connect(connection.database, connection.login, openOdooSecret(connection));
    await session.searchCount("res.partner", []);
    const version = await client.version();
    const verifiedAt = new Date();
    await platformDb.odooConnection.update({ where: { tenantId }, data: { lastVerifiedAt: verifiedAt } });
    return {
      ok: true,
      database: connection.database,
      server_version: version.server_version,
      latency_ms: Math.round(performance.now() - started),
      last_verified_at: verifiedAt.toISOString(),
      error: null,
    };
  } catch (error) {
    log().warn({ err: error, tenantId }, "Odoo verification failed");
    return {
      ok: false,
      database: connection.database,
      server_version: null,
      latency_ms: Math.round(performance.now() - started),
      last_verified_at: connection.lastVerifiedAt?.toISOString() ?? null,
      error: verificationFailure(error),
    };
  }
}

/** Why a verification failed, in words for the workspace; Odoo's own message stays in the server log. */
export function verificationFailure(error: unknown): string {
  if (error instanceof OdooAccessDenied) return "Odoo refused the workspace's service credential; a workspace admin can rotate it.";
  if (error instanceof OdooTransportError) return "Odoo did not answer in time; try again in a minute.";
  return "Odoo answered with an error; the platform operator can find the details in the server log.";
}

export class NoOdooConnectionError extends Error {}

/**
 * Rotates the service credential: a new generated password is written to the
 * integration user by an administrator session, proven by signing in with
 * it, and only then stored. If storing fails after Odoo changed, rotating
 * again recovers (it needs only the administrator credential).
 */
export async function rotateOdooCredential(tenantId: string, actor: Actor): Promise<void> {
  const existing = await platformDb.odooConnection.findUnique({ where: { tenantId } });
  if (!existing?.userId) throw new NoOdooConnectionError("This workspace has no Odoo integration user yet");
  const { admin, connection } = await adminSessionFor(tenantId);
  const password = randomBytes(24).toString("base64url");
  await rotateIntegrationPassword(admin, { userId: connection.userId!, login: connection.login, newPassword: password });
  await replaceServiceSecret(tenantId, password);
  await recordAudit(tenantId, actor, "odoo.credential_rotated", connection.login);
}
