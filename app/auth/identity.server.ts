import { randomBytes } from "node:crypto";
import { recordAudit } from "~/audit.server";
import { assertQuota, QuotaExceededError } from "~/billing/quotas";
import { quotaStanding } from "~/billing/usage-counters.server";
import { platformDb, type TenantTx } from "~/db.server";
import { type Tenant } from "~/generated/prisma/client";
import { enqueue } from "~/jobs/enqueue.server";
import { requestProvisioning } from "~/tenants/provisioning.server";
import { isTenantSlug, slugify } from "~/tenants/slug";
import { emitPlatformEvent } from "~/webhooks/platform-events.server";
import { isPlatformStaff, tenantRolesOf } from "./roles";

/**
 * Who a verified token belongs to, in platform terms: the user row, the
 * tenant (from the token's tenant_id, or the self-serve workspace bound to the
 * subject), and the roles that apply. Creating a missing tenant here is what
 * starts first-login provisioning. This is identity-layer work across
 * tenants, hence the platform client.
 */
export type TokenIdentity = {
  sub: string;
  email: string;
  /** The token's email_verified; undefined (a session already signed in) keeps what the last sign-in recorded. */
  email_verified?: boolean;
  name?: string;
  tenant_id?: string;
  roles: string[];
};

export type ResolvedIdentity = {
  userId: string;
  tenant: Tenant | null;
  /** Roles in effect for this session: the token's, plus admin for a self-serve workspace's owner. */
  roles: string[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveIdentity(identity: TokenIdentity): Promise<ResolvedIdentity> {
  let tenant: Tenant | null = null;
  let roles = [...new Set(identity.roles)];
  if (identity.tenant_id) {
    tenant = await tenantForClaim(identity.tenant_id, identity);
  } else if (!isPlatformStaff(roles) || tenantRolesOf(roles).length > 0) {
    tenant = await selfServeWorkspace(identity);
    if (!roles.includes("admin")) roles = [...roles, "admin"];
  }

  const tenantRoles = tenantRolesOf(roles);
  const { userId, before } = await platformDb
    .$transaction(async (tx) => {
      // A newcomer past the plan's seats is refused before anything of theirs is written (the transaction takes back the user row too).
      if (tenant) await assertSeatFor(tx, tenant, identity.sub);
      const user = await tx.user.upsert({
        where: { sub: identity.sub },
        create: {
          sub: identity.sub,
          email: identity.email,
          emailVerified: identity.email_verified ?? false,
          name: identity.name ?? null,
          lastSeenAt: new Date(),
        },
        update: { email: identity.email, emailVerified: identity.email_verified, name: identity.name ?? undefined, lastSeenAt: new Date() },
        select: { id: true },
      });
      if (!tenant) return { userId: user.id, before: null };
      const key = { tenantId_userId: { tenantId: tenant.id, userId: user.id } };
      const held = await tx.tenantUser.findUnique({ where: key, select: { roles: true } });
      await tx.tenantUser.upsert({ where: key, create: { tenantId: tenant.id, userId: user.id, roles: tenantRoles }, update: { roles: tenantRoles } });
      return { userId: user.id, before: held };
    })
    .catch(async (error: unknown) => {
      // The workspace's admins see who was turned away and why.
      if (tenant && error instanceof QuotaExceededError) {
        await recordAudit(tenant.id, { sub: identity.sub, email: identity.email }, "member.refused", identity.email, {
          quota: error.quota,
          reason: error.message,
        });
      }
      throw error;
    });

  if (tenant) {
    const rolesChanged = !before || before.roles.join() !== tenantRoles.join();
    if (rolesChanged) {
      await recordAudit(tenant.id, { sub: identity.sub, email: identity.email }, before ? "member.roles_changed" : "member.joined", identity.email, {
        roles: tenantRoles,
        ...(before ? { before: before.roles } : {}),
      });
    }
    if (tenant.status === "active" && rolesChanged) {
      await enqueue("sync_odoo_member", { tenantId: tenant.id, userId }, { jobKey: `odoo-member:${tenant.id}:${userId}` });
    }
    if (tenant.status === "provisioning") {
      await requestProvisioning(tenant.id, { sub: identity.sub, email: identity.email }, { mode: "first_login" });
    }
  }
  return { userId, tenant, roles };
}

/**
 * A newcomer takes one of the plan's seats, under the quota's lock so two
 * cannot both take the last one; throws QuotaExceededError (402) when none is
 * free. The workspace's first member (who created it) and a self-serve
 * workspace's owner always get in; a member keeps their seat whatever the
 * plan says now.
 */
async function assertSeatFor(tx: TenantTx, tenant: Tenant, sub: string): Promise<void> {
  const { plan, used } = await quotaStanding(tx, tenant.id, "seats");
  if (!plan || used === 0 || tenant.ownerSub === sub) return;
  const isMember = (await tx.tenantUser.count({ where: { tenantId: tenant.id, user: { sub } } })) > 0;
  if (!isMember) assertQuota(plan, "seats", used);
}

/**
 * The tenant a token names, by id or slug; an unknown one is created and
 * provisioned. A UUID claim becomes the new tenant's id, so later tokens
 * carrying it (looked up by id) find it.
 */
async function tenantForClaim(claim: string, identity: TokenIdentity): Promise<Tenant> {
  const byId = UUID.test(claim);
  const existing = await platformDb.tenant.findFirst({ where: byId ? { id: claim } : { slug: claim } });
  if (existing) return existing;
  const slug = byId ? uniqueSlug("workspace") : isTenantSlug(claim) ? claim : uniqueSlug(slugify(claim) || "workspace");
  return createTenant({ ...(byId ? { id: claim.toLowerCase() } : {}), slug, name: titleFromSlug(slug), ownerSub: null, createdBy: identity });
}

async function selfServeWorkspace(identity: TokenIdentity): Promise<Tenant> {
  const existing = await platformDb.tenant.findUnique({ where: { ownerSub: identity.sub } });
  if (existing) return existing;
  const local = identity.email.split("@")[0] ?? "workspace";
  const displayName = identity.name?.trim() || local;
  return createTenant({
    slug: uniqueSlug(slugify(local) || "workspace"),
    name: `${displayName}'s workspace`,
    ownerSub: identity.sub,
    createdBy: identity,
  });
}

async function createTenant(input: { id?: string; slug: string; name: string; ownerSub: string | null; createdBy: TokenIdentity }): Promise<Tenant> {
  try {
    const created = await platformDb.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({
        data: { id: input.id, slug: input.slug, name: input.name, ownerSub: input.ownerSub, status: "provisioning" },
      });
      await tx.onboardingStatus.create({ data: { tenantId: tenant.id, status: "provisioning", phase: "starting" } });
      await tx.auditLog.create({
        data: {
          tenantId: tenant.id,
          actorSub: input.createdBy.sub,
          actorEmail: input.createdBy.email,
          action: "tenant.created",
          target: tenant.slug,
          details: { via: input.ownerSub ? "self_serve_first_login" : "token_tenant_first_login" },
        },
      });
      return tenant;
    });
    await emitPlatformEvent(created.id, "tenant.created", `tenant.created:${created.id}`, { slug: created.slug, name: created.name });
    return created;
  } catch (error) {
    // Two first logins racing for the same tenant: the loser reads the winner's row.
    if ((error as { code?: string }).code === "P2002") {
      const winner = await platformDb.tenant.findFirst({
        where: input.id ? { id: input.id } : input.ownerSub ? { ownerSub: input.ownerSub } : { slug: input.slug },
      });
      if (winner) return winner;
    }
    throw error;
  }
}

function uniqueSlug(base: string): string {
  const stem = base.length >= 2 ? base.slice(0, 56) : `ws-${base}`;
  return `${stem}-${randomBytes(3).toString("hex")}`;
}

function titleFromSlug(slug: string): string {
  return slug
    .split("-")
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}
