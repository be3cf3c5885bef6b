import { type TenantViewer } from "~/auth/guards.server";
import { transactionSettingSql } from "~/db/tenant-scope-pipeline.server";
import { db, platformDb, type TenantScopeOptions, type TenantTx } from "~/db.server";
import { lakeAccessOf, lakeOwnerSetting, type LakeAccess, type TeamRoster } from "./hierarchy";
import { type LakeScope } from "./serving-reads.server";

/**
 * The sales hierarchy enforced in the database: every read or write of the
 * lake's owned records (opportunities, activities, serving rows) runs in a
 * transaction whose `app.lake_owner_ids` says whose records it may touch;
 * row-level policies compare each row's owner with it. A transaction that
 * does not set it sees no owned row.
 */

const LAKE_SCOPE_SQL = transactionSettingSql("app.lake_owner_ids");

/** Narrows the rest of the caller's tenant transaction to `scope`. */
export async function setLakeScope(tx: TenantTx, scope: LakeScope): Promise<void> {
  // In front of the transaction's first statement it travels with the tenant's setting (no round trip of its own).
  await tx.$executeRawUnsafe(LAKE_SCOPE_SQL, lakeOwnerSetting(scope));
}

/** `db.$withTenant` narrowed to `scope`; the sync engine and other whole-tenant work pass `WHOLE_TENANT`. */
export function withLakeScope<T>(tenantId: string, scope: LakeScope, fn: (tx: TenantTx) => Promise<T>, options?: TenantScopeOptions): Promise<T> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      await setLakeScope(tx, scope);
      return fn(tx);
    },
    options,
  );
}

/** Who a member is to the lake: their IdP subject, and their email once the IdP has verified it. */
export type LakeMember = { sub: string; verifiedEmail: string | null; roles: readonly string[] };

/**
 * The lake user a member is: the Odoo user linked to their identity
 * (`oauth_uid` = their subject, as provisioning links it), else the one
 * lake user with their verified email; null when neither (or several
 * users share the address).
 */
export async function lakeUserOf(tx: TenantTx, member: Pick<LakeMember, "sub" | "verifiedEmail">): Promise<string | null> {
  const [linked] = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT u.id FROM lake_source_records s
    JOIN lake_raw_records r ON r.tenant_id = s.tenant_id AND r.id = s.raw_id
    JOIN lake_users u ON u.id = s.canonical_id AND u.deleted_at IS NULL
    WHERE s.source = 'odoo' AND s.entity = 'res.users' AND s.canonical_kind = 'user' AND s.removed_at IS NULL
      AND r.payload->>'oauth_uid' = ${member.sub}
    ORDER BY u.id LIMIT 1`;
  if (linked) return linked.id;
  if (!member.verifiedEmail) return null;
  const byEmail = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM lake_users WHERE deleted_at IS NULL AND lower(email) = lower(${member.verifiedEmail}) LIMIT 2`;
  return byEmail.length === 1 ? byEmail[0]!.id : null;
}

/** The member's access: their lake user, and the teams they lead as Odoo's sales teams say now. */
export async function lakeAccessFor(tx: TenantTx, member: LakeMember): Promise<LakeAccess> {
  const lakeUserId = await lakeUserOf(tx, member);
  const teams = lakeUserId
    ? await tx.$queryRaw<TeamRoster[]>`
        SELECT id, leader_id AS "leaderId", member_ids::text[] AS "memberIds" FROM lake_teams
        WHERE leader_id = ${lakeUserId}::uuid AND deleted_at IS NULL AND active`
    : [];
  return lakeAccessOf(member.roles, lakeUserId, teams);
}

/** A signed-in caller as a lake member: a bearer token's email counts when the token says it is verified, a session's when the user row does. */
export async function lakeMemberOf(viewer: TenantViewer): Promise<LakeMember> {
  const verified =
    viewer.via === "bearer"
      ? viewer.emailVerified === true
      : // The users table belongs to no tenant: the platform client reads it, as the guards do.
        Boolean((await platformDb.user.findUnique({ where: { sub: viewer.sub }, select: { emailVerified: true } }))?.emailVerified);
  return { sub: viewer.sub, verifiedEmail: verified ? viewer.email : null, roles: viewer.roles };
}

/**
 * A request's caller resolved once: a page that reads in several transactions
 * side by side (each `withLakeAccess`) looks them up in the lake a single time
 * and every transaction waits for that one answer. Keyed by the viewer object,
 * which lives as long as its request.
 */
const accessOfRequest = new WeakMap<TenantViewer, Promise<LakeAccess>>();

function lakeAccessOfViewer(viewer: TenantViewer): Promise<LakeAccess> {
  const known = accessOfRequest.get(viewer);
  if (known) return known;
  const access = lakeMemberOf(viewer).then((member) => db.$withTenant(viewer.tenant.id, (tx) => lakeAccessFor(tx, member)));
  accessOfRequest.set(viewer, access);
  // A failed lookup is not remembered: the next read of the request asks again.
  access.catch(() => accessOfRequest.delete(viewer));
  return access;
}

/** Runs `fn` in the caller's tenant, narrowed to what the caller's place in the hierarchy lets them see. */
export async function withLakeAccess<T>(viewer: TenantViewer, fn: (tx: TenantTx, access: LakeAccess) => Promise<T>): Promise<T> {
  const access = await lakeAccessOfViewer(viewer);
  return withLakeScope(viewer.tenant.id, access.scope, (tx) => fn(tx, access));
}
