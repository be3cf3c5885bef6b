import { type LakeScope } from "./serving-reads.server";

/**
 * Who sees which of the lake's records. A tenant admin sees the whole tenant;
 * a team manager (the leader of one or more sales teams) the records their
 * teams' reps and they own; a rep their own; a viewer, and a member whom no
 * lake user matches, the aggregates with every personal detail masked.
 */
export type LakeAccess =
  | { role: "admin"; lakeUserId: string | null; scope: LakeScope }
  | { role: "manager"; lakeUserId: string; teamIds: string[]; scope: LakeScope }
  | { role: "rep"; lakeUserId: string; scope: LakeScope }
  | { role: "aggregates"; lakeUserId: string | null; scope: LakeScope };

/** Teams as the hierarchy needs them: who leads each and who is in it. */
export type TeamRoster = { id: string; leaderId: string | null; memberIds: string[] };

/** The caller's access from their workspace roles, the lake user they map to (if any) and the teams. */
export function lakeAccessOf(roles: readonly string[], lakeUserId: string | null, teams: readonly TeamRoster[]): LakeAccess {
  if (roles.includes("admin")) return { role: "admin", lakeUserId, scope: { ownerIds: null } };
  if (!lakeUserId || roles.includes("viewer") || !roles.includes("ops")) return { role: "aggregates", lakeUserId, scope: { ownerIds: null } };
  const led = teams.filter((team) => team.leaderId === lakeUserId);
  if (led.length === 0) return { role: "rep", lakeUserId, scope: { ownerIds: [lakeUserId] } };
  const ownerIds = new Set([lakeUserId, ...led.flatMap((team) => team.memberIds)]);
  return { role: "manager", lakeUserId, teamIds: led.map((team) => team.id), scope: { ownerIds: [...ownerIds].sort() } };
}

/** Whether the caller sees people's names and addresses in full (aggregates-only callers see them masked). */
export function seesLakeRows(access: LakeAccess): boolean {
  return access.role !== "aggregates";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The value of `app.lake_owner_ids` for a scope: `*` for the whole tenant,
 * else the owners' ids joined by commas (empty: no owned row). Anything but
 * a uuid in the list is refused before it reaches the database.
 */
export function lakeOwnerSetting(scope: LakeScope): string {
  if (scope.ownerIds === null) return "*";
  const bad = scope.ownerIds.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new TypeError(`Not a lake user id: ${JSON.stringify(bad)}`);
  return scope.ownerIds.join(",");
}
