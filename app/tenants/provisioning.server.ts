import { randomBytes } from "node:crypto";
import { type Actor, recordAudit } from "~/audit.server";
import { tokenVerifier } from "~/auth/oidc.server";
import { platformDb } from "~/db.server";
import { currentIcpRules, saveIcpRules } from "~/icp/icp.server";
import { defaultIcpRules } from "~/icp/rules";
import { enqueue } from "~/jobs/enqueue.server";
import { log } from "~/logger.server";
import { OdooError, OdooTransportError, OdooAccessDenied } from "~/odoo/client.server";
import { type OdooMode } from "~/odoo/config.server";
import { odooClient, odooSettings, openOdooSecret, storeOdooSecrets } from "~/odoo/connection.server";
import { ensureIntegrationUser } from "~/odoo/integration-user.server";
import { installModules, REQUIRED_MODULES } from "~/odoo/module-install.server";
import { ensureOAuthProvider } from "~/odoo/oauth-provider.server";
import { OdooProvisioningError } from "~/odoo/provisioning-step.server";
import { smokeTest } from "~/odoo/smoke-test.server";
import { ensureSsoUser } from "~/odoo/sso-user.server";
import { ensureBaselineCompanyPartner, ensureCompany } from "~/odoo/tenant-company.server";
import { createTenantDatabase } from "~/odoo/tenant-database.server";
import { adoptWarmDatabase, claimWarmDatabase, REFILL_WARM_POOL_JOB_KEY } from "~/odoo/warm-pool.server";
import { PROVISIONING_PHASES, type ProvisioningPhase } from "./lifecycle";

export { PROVISIONING_PHASES, type ProvisioningPhase };

/**
 * First-login provisioning of a workspace, as a resumable sequence of phases
 * persisted in onboarding_status: starting → creating_odoo → configuring_oidc
 * → seeding → ready. Every phase is idempotent (Odoo-side steps look before
 * they create; generated credentials are stored before they are used), so a
 * retry resumes at the failed phase and creates nothing twice.
 */

type PhaseTiming = { startedAt: string; finishedAt?: string; ms?: number };
type Timings = Partial<Record<ProvisioningPhase, PhaseTiming>>;

export type ProvisioningStatus = {
  tenant_id: string;
  status: "provisioning" | "ready" | "error";
  phase: ProvisioningPhase;
  error: string | null;
  timings: Timings;
  attempts: number;
};

export function provisioningJobKey(tenantId: string): string {
  return `provision:${tenantId}`;
}

/**
 * Queues provisioning. On first login a pending job is left alone (double
 * clicks and concurrent tabs add nothing); a retry replaces it to run now.
 */
export async function requestProvisioning(tenantId: string, actor: Actor, options: { mode: "first_login" | "retry" }): Promise<void> {
  if (options.mode === "retry") {
    await platformDb.onboardingStatus.updateMany({
      where: { tenantId, status: "error" },
      data: { status: "provisioning", error: null, updatedAt: new Date() },
    });
    await platformDb.tenant.updateMany({ where: { id: tenantId, status: "error" }, data: { status: "provisioning" } });
    await recordAudit(tenantId, actor, "tenant.provisioning_retried");
  }
  await enqueue(
    "provision_tenant",
    { tenantId, actor: { sub: actor.sub, email: actor.email ?? null } },
    {
      jobKey: provisioningJobKey(tenantId),
      jobKeyMode: options.mode === "retry" ? "replace" : "dedupe",
      // One provisioning of a tenant at a time, even if a retry lands while one runs.
      queueName: provisioningJobKey(tenantId),
    },
  );
}

export async function provisioningStatus(tenantId: string): Promise<ProvisioningStatus | null> {
  const row = await platformDb.onboardingStatus.findUnique({ where: { tenantId } });
  if (!row) return null;
  return {
    tenant_id: tenantId,
    status: row.status as ProvisioningStatus["status"],
    phase: row.phase as ProvisioningPhase,
    error: row.error,
    timings: row.timings as Timings,
    attempts: row.attempts,
  };
}

type PhaseContext = { tenantId: string; slug: string; name: string; odooMode: string | null; actor: Actor };

/** The tenant's own choice from the create wizard, else the platform's ODOO_MODE. */
function odooModeOf(ctx: PhaseContext, platformMode: OdooMode): OdooMode {
  if (ctx.odooMode === "db_per_tenant") return "db_per_tenant";
  if (ctx.odooMode === "shared_db") return "company_per_tenant";
  return platformMode;
}

const PHASE_WORK: Record<Exclude<ProvisioningPhase, "ready">, (ctx: PhaseContext) => Promise<void>> = {
  starting: async (ctx) => {
    // The default ICP template (a repeat finds it unchanged and saves nothing).
    if (!(await currentIcpRules(ctx.tenantId)))
      await saveIcpRules(ctx.tenantId, ctx.actor.sub ? { sub: ctx.actor.sub, email: ctx.actor.email } : SYSTEM_ACTOR, defaultIcpRules());
    await platformDb.tenantSettings.upsert({ where: { tenantId: ctx.tenantId }, create: { tenantId: ctx.tenantId }, update: {} });
  },

  creating_odoo: async (ctx) => {
    const settings = odooSettings();
    const client = odooClient();
    const existing = await platformDb.odooConnection.findUnique({ where: { tenantId: ctx.tenantId } });
    const mode = odooModeOf(ctx, settings.mode);
    if (mode === "company_per_tenant") {
      const login = `nexius-svc-${ctx.slug}`;
      // Stored first, so a retry reuses the same password instead of orphaning one.
      const password = existing ? openOdooSecret(existing) : generatePassword();
      if (!existing) {
        await storeOdooSecrets(ctx.tenantId, { baseUrl: settings.url, database: settings.database, mode, login, password });
      }
      const admin = await client.connect(settings.database, settings.adminLogin, settings.adminPassword);
      await installModules(admin, REQUIRED_MODULES);
      const company = await ensureCompany(admin, { name: ctx.name, tenantKey: ctx.slug });
      const user = await ensureIntegrationUser(admin, {
        login,
        name: `Nexius integration (${ctx.name})`,
        companyId: company.companyId,
        password,
      });
      await platformDb.odooConnection.update({ where: { tenantId: ctx.tenantId }, data: { companyId: company.companyId, userId: user.uid } });
    } else {
      // A ready copy from the warm pool when there is one; Odoo has no cheap rename, so the tenant keeps the copy's name.
      const warm = existing ? null : await claimWarmDatabase(ctx.tenantId);
      const database = existing?.database ?? warm ?? `nexius_${ctx.slug.replace(/-/g, "_")}`;
      const adminPassword = existing?.adminSecretCipher ? openOdooSecret(existing, "admin") : generatePassword();
      const password = existing ? openOdooSecret(existing) : generatePassword();
      const login = "nexius-integration";
      if (!existing) {
        await storeOdooSecrets(ctx.tenantId, {
          baseUrl: settings.url,
          database,
          mode,
          login,
          password,
          admin: { login: "admin", password: adminPassword },
        });
      }
      const claimed = await platformDb.odooWarmDatabase.findUnique({ where: { tenantId: ctx.tenantId } });
      let admin;
      if (claimed?.dbName === database) {
        admin = await adoptWarmDatabase(client, { database, adminPassword, config: { master: settings.masterPassword, template: claimed.template } });
        // The claim emptied a slot: refill it in the background.
        await enqueue("refill_warm_pool", {}, { jobKey: REFILL_WARM_POOL_JOB_KEY, jobKeyMode: "dedupe" });
      } else {
        await createTenantDatabase(client, { master: settings.masterPassword, name: database, adminLogin: "admin", adminPassword });
        admin = await client.connect(database, "admin", adminPassword);
      }
      await installModules(admin, REQUIRED_MODULES);
      const companyId = await admin.xmlIdToResId("base.main_company");
      await admin.write("res.company", [companyId], { name: ctx.name });
      const user = await ensureIntegrationUser(admin, { login, name: "Nexius integration", companyId, password });
      await platformDb.odooConnection.update({ where: { tenantId: ctx.tenantId }, data: { companyId, userId: user.uid } });
    }
  },

  configuring_oidc: async (ctx) => {
    const discovery = await tokenVerifier().discovery();
    if (!discovery.userinfo_endpoint) throw new PhaseError("The identity provider publishes no userinfo endpoint, which Odoo's OAuth login needs.");
    const { admin, connection } = await adminSessionFor(ctx.tenantId);
    const provider = await ensureOAuthProvider(admin, {
      name: "Nexius SSO",
      clientId: odooSettings().oidcClientId,
      authEndpoint: discovery.authorization_endpoint,
      userinfoEndpoint: discovery.userinfo_endpoint,
      scope: "openid profile email",
      body: "Sign in with Nexius SSO",
    });
    await platformDb.odooConnection.update({ where: { tenantId: ctx.tenantId }, data: { oauthProviderId: provider.providerId } });
    const members = await platformDb.tenantUser.findMany({
      where: { tenantId: ctx.tenantId },
      select: { roles: true, user: { select: memberUserFields } },
    });
    for (const member of members) await linkOdooUser(admin, { ...connection, oauthProviderId: provider.providerId }, member);
  },

  seeding: async (ctx) => {
    const connection = await platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: ctx.tenantId } });
    // The smoke test runs as the integration user: it proves the stored credential itself works.
    const service = await odooClient().connect(connection.database, connection.login, openOdooSecret(connection));
    await smokeTest(service, { tenantSlug: ctx.slug, companyId: connection.companyId ?? undefined });
    const { admin } = await adminSessionFor(ctx.tenantId);
    await ensureBaselineCompanyPartner(admin, { companyId: connection.companyId!, name: ctx.name });
    await platformDb.odooConnection.update({ where: { tenantId: ctx.tenantId }, data: { lastVerifiedAt: new Date() } });
  },
};

/**
 * One provisioning phase on its own, for a rebuild of a workspace that was
 * provisioned already: the phases look before they create, so running one
 * again repairs what is missing and changes nothing else.
 */
export async function runProvisioningPhase(phase: Exclude<ProvisioningPhase, "ready">, tenantId: string, actor: Actor): Promise<void> {
  const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true, name: true, odooMode: true } });
  await PHASE_WORK[phase]({ tenantId, slug: tenant.slug, name: tenant.name, odooMode: tenant.odooMode, actor });
}

/** An Odoo session with administrator rights over the tenant's database (or its company). */
export async function adminSessionFor(tenantId: string) {
  const connection = await platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId } });
  const settings = odooSettings();
  const admin =
    connection.mode === "db_per_tenant"
      ? await odooClient().connect(connection.database, connection.adminLogin ?? "admin", openOdooSecret(connection, "admin"))
      : await odooClient().connect(connection.database, settings.adminLogin, settings.adminPassword);
  return { admin, connection };
}

const memberUserFields = { sub: true, email: true, emailVerified: true, name: true } as const;

type Member = { roles: string[]; user: { sub: string; email: string; emailVerified: boolean; name: string | null } };

/** The member's Odoo user, pre-linked to their SSO subject, with groups from their roles. */
async function linkOdooUser(
  admin: Awaited<ReturnType<typeof adminSessionFor>>["admin"],
  connection: { mode: string; companyId: number | null; oauthProviderId: number | null },
  member: Member,
) {
  await ensureSsoUser(admin, {
    email: member.user.email,
    emailVerified: member.user.emailVerified,
    name: member.user.name ?? member.user.email,
    sub: member.user.sub,
    providerId: connection.oauthProviderId!,
    roles: member.roles,
    companyId: connection.companyId!,
    sharedDatabase: connection.mode === "company_per_tenant",
  });
}

/**
 * For members who join after provisioning (sync_odoo_member task). A member
 * Odoo must not get (unverified email, a login held by someone else) is
 * recorded for the operator instead of retried: running again cannot help.
 */
export async function syncOdooMember(tenantId: string, userId: string): Promise<void> {
  const member = await platformDb.tenantUser.findUnique({
    where: { tenantId_userId: { tenantId, userId } },
    select: { roles: true, user: { select: memberUserFields } },
  });
  if (!member) return;
  const { admin, connection } = await adminSessionFor(tenantId);
  if (!connection.oauthProviderId) return; // provisioning links everyone when it configures SSO
  try {
    await linkOdooUser(admin, connection, member);
  } catch (error) {
    if (!(error instanceof OdooProvisioningError) || error.retryable) throw error;
    log().warn({ err: error, tenantId }, "odoo user not linked for a member");
    await recordAudit(tenantId, SYSTEM_ACTOR, "member.odoo_link_refused", member.user.email, { error: error.message });
  }
}

class PhaseError extends Error {}

const SYSTEM_ACTOR = { sub: "system", email: null };

/** Runs the remaining phases; records the failing phase and an actionable message, then rethrows. */
export async function runProvisioning(tenantId: string, actor: Actor): Promise<ProvisioningStatus> {
  const tenant = await platformDb.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { id: true, slug: true, name: true, status: true, odooMode: true },
  });
  const row = await platformDb.onboardingStatus.upsert({
    where: { tenantId },
    create: { tenantId, status: "provisioning", phase: "starting" },
    update: {},
  });
  if (row.status === "ready") return (await provisioningStatus(tenantId))!;
  await platformDb.onboardingStatus.update({
    where: { tenantId },
    data: { status: "provisioning", error: null, attempts: { increment: 1 }, updatedAt: new Date() },
  });
  const timings = { ...(row.timings as Timings) };
  const ctx: PhaseContext = { tenantId, slug: tenant.slug, name: tenant.name, odooMode: tenant.odooMode, actor };
  const from = PROVISIONING_PHASES.indexOf(row.phase as ProvisioningPhase);

  for (const phase of PROVISIONING_PHASES.slice(Math.max(0, from))) {
    if (phase === "ready") break;
    const started = new Date();
    timings[phase] = { startedAt: started.toISOString() };
    await platformDb.onboardingStatus.update({ where: { tenantId }, data: { phase, timings, updatedAt: started } });
    try {
      await PHASE_WORK[phase](ctx);
    } catch (error) {
      const message = actionableMessage(phase, error);
      log().warn({ err: error, tenantId, phase }, "provisioning phase failed");
      await platformDb.onboardingStatus.update({ where: { tenantId }, data: { status: "error", error: message, updatedAt: new Date() } });
      await platformDb.tenant.update({ where: { id: tenantId }, data: { status: "error" } });
      await recordAudit(tenantId, actor, "tenant.provisioning_failed", phase, { error: message });
      throw error;
    }
    const finished = new Date();
    timings[phase] = { startedAt: started.toISOString(), finishedAt: finished.toISOString(), ms: finished.getTime() - started.getTime() };
    await platformDb.onboardingStatus.update({ where: { tenantId }, data: { timings, updatedAt: finished } });
  }

  const now = new Date();
  timings.ready = { startedAt: now.toISOString(), finishedAt: now.toISOString(), ms: 0 };
  await platformDb.$transaction([
    platformDb.onboardingStatus.update({ where: { tenantId }, data: { status: "ready", phase: "ready", timings, readyAt: now, updatedAt: now } }),
    platformDb.tenant.update({ where: { id: tenantId }, data: { status: "active" } }),
  ]);
  await recordAudit(tenantId, actor, "tenant.provisioned", tenant.slug, { timings });
  return (await provisioningStatus(tenantId))!;
}

/** What went wrong, in words an operator can act on. */
export function actionableMessage(phase: ProvisioningPhase, error: unknown): string {
  const where = {
    starting: "Preparing the workspace",
    creating_odoo: "Creating the Odoo workspace",
    configuring_oidc: "Connecting Odoo to Nexius SSO",
    seeding: "Checking the Odoo connection",
    ready: "Finishing",
  }[phase];
  if (error instanceof OdooAccessDenied) {
    return `${where} failed: Odoo refused the platform's credentials. Check ODOO_ADMIN_LOGIN / ODOO_ADMIN_PASSWORD (or the master password for new databases), then retry.`;
  }
  if (error instanceof OdooTransportError || (error instanceof OdooProvisioningError && error.retryable)) {
    return `${where} failed: Odoo did not answer (${(error as Error).message}). This is usually temporary; retry in a minute.`;
  }
  if (error instanceof OdooError || error instanceof PhaseError) return `${where} failed: ${(error as Error).message}`;
  return `${where} failed unexpectedly (${error instanceof Error ? error.message : String(error)}). Retry; if it fails again, contact the platform operator.`;
}

function generatePassword(): string {
  return randomBytes(24).toString("base64url");
}
