import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";
import { recordAudit, type Actor } from "~/audit.server";
import { db, platformDb } from "~/db.server";
import { env } from "~/env.server";
import { type AnalyticsRole, type Prisma } from "~/generated/prisma/client";
import { type AnalyticsConnection, type AnalyticsHubState } from "./analytics-hub";

/**
 * The analytics hub's control-plane side: per tenant, a Postgres login role
 * that reads schema `analytics` (the serving zone, its tenant's rows only; see
 * the migration 20261209103000_analytics_hub) and nothing else. The platform
 * connection creates, re-passwords and drops it, so its role needs CREATEROLE
 * (the embedded and test Postgres run it as superuser).
 */

/** The group role holding the grants on schema analytics; every tenant role is a member. */
const READER_GROUP = "nexius_analytics";

/**
 * The tenant's role name: a short hash of this database's name and the tenant's
 * id. Roles are cluster-wide, so two databases on one cluster (the tests' own
 * databases, staging beside production) never name the same role.
 */
async function roleNameFor(tx: Prisma.TransactionClient, tenantId: string): Promise<string> {
  const rows = await tx.$queryRaw<
    { name: string }[]
  >`SELECT 'nxa_' || left(md5(current_database()), 8) || '_' || replace(${tenantId}::uuid::text, '-', '') AS name`;
  return rows[0]!.name;
}

/**
 * The SCRAM-SHA-256 verifier Postgres stores for a password (RFC 5802/7677,
 * as libpq's PQencryptPasswordConn builds it): the role gets its password
 * without the password itself ever appearing in a statement the server might log.
 */
export function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** Where a BI tool connects: the platform database's host, port and name. */
function connectionOf(row: Pick<AnalyticsRole, "roleName"> | null): AnalyticsConnection | null {
  if (!row) return null;
  const url = new URL(env().DATABASE_URL);
  const host = url.hostname;
  const port = Number(url.port || 5432);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  const user = row.roleName;
  return {
    host,
    port,
    database,
    user,
    schema: "analytics",
    psql: `psql "host=${host} port=${port} dbname=${database} user=${user}"`,
    jdbc: `jdbc:postgresql://${host}:${port}/${database}?user=${user}&currentSchema=analytics`,
  };
}

export type AnalyticsAccess = {
  enabled: boolean;
  enabledAt: Date | null;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  biDashboardUrl: string | null;
  connection: AnalyticsConnection | null;
};

function accessOf(row: AnalyticsRole | null): AnalyticsAccess {
  const enabled = Boolean(row?.enabledAt && !row.revokedAt);
  return {
    enabled,
    enabledAt: row?.enabledAt ?? null,
    rotatedAt: row?.rotatedAt ?? null,
    revokedAt: row?.revokedAt ?? null,
    biDashboardUrl: row?.biDashboardUrl ?? null,
    connection: enabled ? connectionOf(row) : null,
  };
}

/** The control plane's view of a tenant's analytics access. */
export async function analyticsAccess(tenantId: string): Promise<AnalyticsAccess> {
  return accessOf(await platformDb.analyticsRole.findUnique({ where: { tenantId } }));
}

/** The analytics block of GET /api/tenants/:id (no password: there is none to give). */
export async function analyticsSummary(tenantId: string) {
  const access = await analyticsAccess(tenantId);
  return {
    enabled: access.enabled,
    host: access.connection?.host ?? null,
    port: access.connection?.port ?? null,
    database: access.connection?.database ?? null,
    user: access.connection?.user ?? null,
    schema: access.connection?.schema ?? null,
    enabled_at: access.enabledAt,
    rotated_at: access.rotatedAt,
    revoked_at: access.revokedAt,
    bi_dashboard_url: access.biDashboardUrl,
  };
}

const HUB_PAGE_SIZE = 20;

const HUB_STATE_WHERE: Record<AnalyticsHubState, Prisma.TenantWhereInput> = {
  enabled: { analyticsRole: { is: { enabledAt: { not: null }, revokedAt: null } } },
  revoked: { analyticsRole: { is: { revokedAt: { not: null } } } },
  off: { OR: [{ analyticsRole: { is: null } }, { analyticsRole: { is: { enabledAt: null, revokedAt: null } } }] },
};

/** Every tenant's analytics hub state, for /admin/integrations/analytics: role names and dates, never a password (none is kept). */
export async function listAnalyticsHub(input: { q?: string; state?: AnalyticsHubState; page: number }) {
  const where: Prisma.TenantWhereInput = {
    AND: [
      input.q ? { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { slug: { contains: input.q.toLowerCase() } }] } : {},
      input.state ? HUB_STATE_WHERE[input.state] : {},
    ],
  };
  const [total, tenants, counts] = await Promise.all([
    platformDb.tenant.count({ where }),
    platformDb.tenant.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (input.page - 1) * HUB_PAGE_SIZE,
      take: HUB_PAGE_SIZE,
      select: {
        id: true,
        slug: true,
        name: true,
        status: true,
        analyticsRole: { select: { roleName: true, enabledAt: true, rotatedAt: true, revokedAt: true, biDashboardUrl: true } },
      },
    }),
    Promise.all(
      (Object.keys(HUB_STATE_WHERE) as AnalyticsHubState[]).map(
        async (state) => [state, await platformDb.tenant.count({ where: HUB_STATE_WHERE[state] })] as const,
      ),
    ),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / HUB_PAGE_SIZE)),
    counts: Object.fromEntries(counts) as Record<AnalyticsHubState, number>,
    tenants: tenants.map(({ analyticsRole: role, ...tenant }) => {
      const state: AnalyticsHubState = role?.revokedAt ? "revoked" : role?.enabledAt ? "enabled" : "off";
      return {
        ...tenant,
        state,
        // A role name is shown only once there is (or was) a login of that name.
        roleName: state === "off" ? null : role!.roleName,
        since: state === "revoked" ? role!.revokedAt : state === "enabled" ? role!.enabledAt : null,
        rotatedAt: state === "enabled" ? role!.rotatedAt : null,
        biDashboardUrl: role?.biDashboardUrl ?? null,
      };
    }),
  };
}

/** The workspace's own view of it (its row only, through row-level security). */
export async function workspaceAnalyticsAccess(tenantId: string): Promise<AnalyticsAccess> {
  return accessOf(await db.$tenantRead(tenantId, (tx) => tx.analyticsRole.findFirst({ where: { tenantId } })));
}

/**
 * Creates the tenant's role, or gives the existing one a new password, and
 * returns the password: the only time anyone sees it.
 */
export async function setAnalyticsPassword(tenantId: string, actor: Actor): Promise<{ password: string; roleName: string }> {
  const password = randomBytes(24).toString("base64url");
  const verifier = scramVerifier(password);
  const { roleName, created } = await platformDb.$transaction(async (tx) => {
    const name = await roleNameFor(tx, tenantId);
    const [found] = await tx.$queryRaw<{ exists: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${name}) AS exists`;
    const role = pg.escapeIdentifier(name);
    if (found!.exists) {
      await tx.$executeRawUnsafe(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${pg.escapeLiteral(verifier)}`);
    } else {
      // Read-only by construction: no attribute beyond LOGIN, and no privilege but the group's SELECT on the views.
      await tx.$executeRawUnsafe(
        `CREATE ROLE ${role} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 5 PASSWORD ${pg.escapeLiteral(verifier)}`,
      );
      await tx.$executeRawUnsafe(`GRANT ${READER_GROUP} TO ${role}`);
    }
    const [current] = await tx.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
    // BI tools list the analytics views first; the role has no right on anything in public anyway.
    await tx.$executeRawUnsafe(`ALTER ROLE ${role} IN DATABASE ${pg.escapeIdentifier(current!.database)} SET search_path = analytics`);
    const existing = await tx.analyticsRole.findFirst({ where: { tenantId } });
    const now = new Date();
    const fresh = !existing?.enabledAt || Boolean(existing.revokedAt);
    await tx.analyticsRole.upsert({
      where: { tenantId },
      create: { tenantId, roleName: name, enabledAt: now },
      update: fresh ? { roleName: name, enabledAt: now, rotatedAt: null, revokedAt: null } : { rotatedAt: now },
    });
    return { roleName: name, created: fresh };
  });
  await recordAudit(tenantId, actor, created ? "analytics.role_enabled" : "analytics.password_rotated", roleName);
  return { password, roleName };
}

/**
 * Drops the role inside `tx`. Its open sessions (a BI tool keeps connections)
 * are closed first, waiting until they are gone, then what it owns here goes
 * (temporary tables a session left behind), or the role could not be dropped.
 */
async function dropRole(tx: Prisma.TransactionClient, roleName: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE usename = ${roleName}`;
  const [found] = await tx.$queryRaw<{ exists: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${roleName}) AS exists`;
  if (!found!.exists) return;
  const role = pg.escapeIdentifier(roleName);
  await tx.$executeRawUnsafe(`DROP OWNED BY ${role}`);
  await tx.$executeRawUnsafe(`DROP ROLE ${role}`);
}

/** Revokes the tenant's access: the role is dropped (it can no longer log in), the row and its dashboard URL stay. */
export async function revokeAnalyticsRole(tenantId: string, actor: Actor): Promise<boolean> {
  const row = await platformDb.analyticsRole.findUnique({ where: { tenantId } });
  if (!row?.enabledAt || row.revokedAt) return false;
  await platformDb.$transaction(async (tx) => {
    await dropRole(tx, row.roleName);
    await tx.analyticsRole.update({ where: { tenantId }, data: { revokedAt: new Date() } });
  });
  await recordAudit(tenantId, actor, "analytics.role_revoked", row.roleName);
  return true;
}

/** Stores (or clears, with null) the address of the tenant's BI dashboard. */
export async function saveBiDashboardUrl(tenantId: string, url: string | null, actor: Actor): Promise<void> {
  const roleName = await platformDb.$transaction((tx) => roleNameFor(tx, tenantId));
  await platformDb.analyticsRole.upsert({ where: { tenantId }, create: { tenantId, roleName, biDashboardUrl: url }, update: { biDashboardUrl: url } });
  await recordAudit(tenantId, actor, "analytics.dashboard_url_saved", url);
}

/** Decommission: the tenant's role goes before its rows do (in the purge's transaction), so no login outlives the tenant. */
export async function dropTenantAnalyticsRole(tx: Prisma.TransactionClient, tenantId: string): Promise<void> {
  await dropRole(tx, await roleNameFor(tx, tenantId));
}
