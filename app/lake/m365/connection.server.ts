import { resolveAlerts } from "~/alerts/alerts.server";
import { recordAudit, type Actor } from "~/audit.server";
import { planFeatureRefusal } from "~/billing/entitlements.server";
import { PlanRefusal } from "~/billing/quotas";
import { quotaRefusal } from "~/billing/usage-counters.server";
import { secretRing } from "~/crypto/keys.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { assertLakeSourceFree, connectM365, m365GraphConfig, SourceNotConnectedError } from "../sources.server";
import { staleAlertKind } from "../sync-schedule";
import { adminConsentUrl, parseConsentCallback } from "./admin-consent";
import { checkConsentState, issueConsentState } from "./consent-state.server";
import { createGraphClient } from "./graph-client.server";

/**
 * A workspace's Microsoft 365 connection as Settings shows and changes it:
 * the admin-consent round trip that links the customer's Entra directory, a
 * connection test (an app-only token and one small Graph read) whose outcome
 * is stored, and disconnecting. Only ids, states and times leave here; a
 * secret never does.
 */
export type M365Connection = {
  directoryId: string | null;
  status: string;
  lastError: string | null;
  checkedAt: Date | null;
  connectedAt: Date | null;
  connectedBy: string | null;
  /** The application (client) id of the workspace's own Entra app registration (its secret is sealed at rest and never leaves). */
  ownClientId: string | null;
  /** An Entra app registration (the workspace's own, else the platform's) an admin can consent to. */
  consentAvailable: boolean;
  /** While Microsoft 365 is not connected: the plan's message when connecting it would pass the plan's data-lake sources, else null. */
  quotaRefusal: string | null;
};

export type ConsentResult =
  | { outcome: "connected"; directoryId: string }
  | { outcome: "connected_failing"; directoryId: string; error: string }
  | { outcome: "declined"; error: string }
  | { outcome: "bad_state" | "expired" | "used" | "other_user" | "over_quota" };

/** The address Microsoft sends the admin back to; it must be a redirect URI of the app registration. */
export function consentRedirectUri(): string {
  return `${env().APP_URL}/app/settings/m365/consent`;
}

export async function m365Connection(tenantId: string): Promise<M365Connection> {
  const { row, quotaRefusal: refusal } = await db.$withTenant(tenantId, async (tx) => {
    const found = await tx.lakeSource.findFirst({
      where: { source: "m365" },
      select: { directoryId: true, status: true, statusDetail: true, checkedAt: true, connectedAt: true, connectedBy: true, clientId: true },
    });
    const counted = found !== null && found.status !== "not_connected";
    const refusal = (await planFeatureRefusal(tx, tenantId, "lake_m365")) ?? (counted ? null : await quotaRefusal(tx, tenantId, "lakeSources"));
    return { row: found, quotaRefusal: refusal };
  });
  return {
    directoryId: row?.directoryId ?? null,
    status: row?.directoryId ? row.status : "not_connected",
    lastError: row?.directoryId ? (row.statusDetail ?? null) : null,
    checkedAt: row?.checkedAt ?? null,
    connectedAt: row?.directoryId ? row.connectedAt : null,
    connectedBy: row?.directoryId ? row.connectedBy : null,
    ownClientId: row?.clientId ?? null,
    consentAvailable: Boolean(row?.clientId ?? env().MS_CLIENT_ID),
    quotaRefusal: refusal,
  };
}

/**
 * Where to send the admin to consent to the app (the workspace's own
 * registration, else the platform's): the admin-consent endpoint of the
 * directory already linked, or `organizations` (the admin's own directory)
 * for a first connection. The state's nonce is stored, replacing any earlier
 * one, so only the newest Connect can come back.
 */
export async function beginM365Consent(tenantId: string, actor: { sub: string }): Promise<string> {
  const { state, nonceHash } = issueConsentState(secretRing(), { tenantId, sub: actor.sub });
  const { directoryId, ownClientId } = await db.$withTenant(tenantId, async (tx) => {
    // Refused before the admin is sent to Microsoft; the consent's return checks again.
    await assertLakeSourceFree(tx, tenantId, "m365");
    const row = await tx.lakeSource.upsert({
      where: { tenantId_source: { tenantId, source: "m365" } },
      create: { tenantId, source: "m365", consentNonceHash: nonceHash },
      update: { consentNonceHash: nonceHash },
      select: { directoryId: true, clientId: true },
    });
    return { directoryId: row.directoryId, ownClientId: row.clientId };
  });
  const clientId = ownClientId ?? env().MS_CLIENT_ID;
  if (!clientId) throw new SourceNotConnectedError("m365", "no Microsoft Entra app registration is configured (MS_CLIENT_ID and MS_CLIENT_SECRET)");
  return adminConsentUrl({
    loginBaseUrl: env().MS_LOGIN_BASE_URL,
    directoryId: directoryId ?? "organizations",
    clientId,
    redirectUri: consentRedirectUri(),
    state,
  });
}

/**
 * The admin came back from Microsoft. A state that is not this workspace's
 * and this admin's, is late or was already answered changes nothing; so does
 * a refusal. A consent records the directory Microsoft names, then tests the
 * connection and stores that outcome too.
 */
export async function finishM365Consent(tenantId: string, actor: Actor, query: URLSearchParams): Promise<ConsentResult> {
  const answer = parseConsentCallback(query);
  const state = checkConsentState(secretRing(), answer.state, { tenantId, sub: actor.sub });
  if (!state.ok) return { outcome: state.reason === "unreadable" ? "bad_state" : state.reason };
  const spent = await db.$withTenant(tenantId, (tx) =>
    tx.lakeSource.updateMany({ where: { source: "m365", consentNonceHash: state.nonceHash }, data: { consentNonceHash: null } }),
  );
  if (spent.count === 0) return { outcome: "used" };
  if (!answer.ok) {
    await recordAudit(tenantId, actor, "lake.m365.consent_declined", "m365", { error: answer.error });
    return { outcome: "declined", error: answer.error };
  }
  try {
    await connectM365(tenantId, { directoryId: answer.directoryId, connectedBy: actor.email ?? actor.sub });
  } catch (error) {
    // Another source was connected while the admin was at Microsoft, and the plan has no room for this one.
    if (!(error instanceof PlanRefusal)) throw error;
    await recordAudit(tenantId, actor, "lake.m365.refused", "m365", { reason: error.message });
    return { outcome: "over_quota" };
  }
  await recordAudit(tenantId, actor, "lake.m365.connected", "m365", { directoryId: answer.directoryId });
  const check = await checkM365Connection(tenantId);
  return check.ok
    ? { outcome: "connected", directoryId: answer.directoryId }
    : { outcome: "connected_failing", directoryId: answer.directoryId, error: check.error };
}

export type AppRegistrationResult =
  { ok: true; secretKept: boolean; check: { ok: true } | { ok: false; error: string } } | { ok: false; error: string; overQuota?: true };

/**
 * Links the workspace's directory through its own Entra app registration
 * (one the workspace's admin created and granted the application permissions
 * in the Entra admin center), then tests it. A blank secret keeps the one
 * already stored, but only for the same app in the same directory: a secret
 * is never carried over to another app.
 */
export async function saveM365AppRegistration(
  tenantId: string,
  actor: Actor,
  input: { directoryId: string; clientId: string; clientSecret?: string },
): Promise<AppRegistrationResult> {
  let clientSecret = input.clientSecret;
  const secretKept = !clientSecret;
  if (!clientSecret) {
    const current = await m365Connection(tenantId);
    if (current.ownClientId !== input.clientId || current.directoryId !== input.directoryId)
      return { ok: false, error: "Enter the app's client secret: none is stored for this app and directory." };
    clientSecret = (await m365GraphConfig(tenantId)).clientSecret;
  }
  try {
    await connectM365(tenantId, {
      directoryId: input.directoryId,
      connectedBy: actor.email ?? actor.sub,
      appRegistration: { clientId: input.clientId, clientSecret },
    });
  } catch (error) {
    if (error instanceof PlanRefusal) return { ok: false, error: error.message, overQuota: true };
    throw error;
  }
  await recordAudit(tenantId, actor, "lake.m365.app_registration_saved", "m365", { directoryId: input.directoryId, clientId: input.clientId, secretKept });
  return { ok: true, secretKept, check: await checkM365Connection(tenantId) };
}

/** Tests the connection now (an app-only token and one user read from Graph) and stores when and with what outcome. */
export async function checkM365Connection(tenantId: string): Promise<{ ok: true } | { ok: false; error: string }> {
  let outcome: { ok: true } | { ok: false; error: string };
  try {
    // A person is waiting on the answer: one quick repeat of a throttled call, not the sync's patience.
    const client = createGraphClient({ ...(await m365GraphConfig(tenantId)), retries: 1, timeoutMs: 15_000 });
    await client.accessToken();
    await client.probe("users", { $top: "1", $select: "id" });
    outcome = { ok: true };
  } catch (error) {
    outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  await db.$withTenant(tenantId, (tx) =>
    tx.lakeSource.updateMany({
      where: { source: "m365", directoryId: { not: null } },
      data: outcome.ok
        ? { status: "connected", statusDetail: null, checkedAt: new Date(), updatedAt: new Date() }
        : { status: "error", statusDetail: outcome.error.slice(0, 500), checkedAt: new Date(), updatedAt: new Date() },
    }),
  );
  return outcome;
}

/** Unlinks the directory: scheduled syncs stop, the lake keeps what it loaded. False when nothing was connected. */
export async function disconnectM365(tenantId: string, actor: Actor): Promise<boolean> {
  return db.$withTenant(tenantId, async (tx) => {
    const cleared = await tx.lakeSource.updateMany({
      where: { source: "m365", directoryId: { not: null } },
      data: {
        directoryId: null,
        clientId: null,
        secretCipher: null,
        secretKeyId: null,
        status: "not_connected",
        statusDetail: null,
        checkedAt: null,
        connectedAt: null,
        connectedBy: null,
        consentNonceHash: null,
        updatedAt: new Date(),
      },
    });
    if (cleared.count === 0) return false;
    // A source that is no longer synced on purpose is not stale.
    await resolveAlerts(tx, [staleAlertKind("m365")]);
    await recordAudit(tenantId, actor, "lake.m365.disconnected", "m365", {}, tx);
    return true;
  });
}
