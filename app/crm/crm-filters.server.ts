import { type TenantTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { seesLakeRows, type LakeAccess } from "~/lake/hierarchy";
import { ownedBy } from "~/lake/serving-reads.server";

export type FilterChoice = { id: string; name: string };

/**
 * The owners and teams a CRM page's filters offer the caller: the lake users
 * of their scope, and every team (admins) or the teams they lead (managers).
 * Aggregates-only callers, who see no names, get none.
 */
export async function ownerAndTeamChoices(tx: TenantTx, access: LakeAccess): Promise<{ owners: FilterChoice[]; teams: FilterChoice[] }> {
  if (!seesLakeRows(access)) return { owners: [], teams: [] };
  const owners = await tx.$queryRaw<FilterChoice[]>`
    SELECT id, name FROM lake_users WHERE deleted_at IS NULL AND ${ownedBy(access.scope, Prisma.sql`id`)} ORDER BY name, id`;
  const teamIds = access.role === "manager" ? access.teamIds : access.role === "admin" ? null : [];
  const teams = await tx.$queryRaw<FilterChoice[]>`
    SELECT id, name FROM lake_teams WHERE deleted_at IS NULL AND active
      AND ${teamIds ? Prisma.sql`id = ANY(${teamIds}::uuid[])` : Prisma.sql`TRUE`} ORDER BY name, id`;
  return { owners, teams };
}
