/**
 * Which Odoo groups each kind of user holds. Group lists are XML ids; the
 * steps resolve them in the database they provision.
 */

export type TenantRole = "admin" | "ops" | "viewer";

/**
 * Odoo groups per platform role where the database is the tenant's own
 * (db_per_tenant): its admin may hold Settings, which reaches nothing but
 * that tenant.
 */
export const ROLE_GROUPS: Record<TenantRole, string[]> = {
  admin: ["sales_team.group_sale_manager", "base.group_system"],
  ops: ["sales_team.group_sale_salesman_all_leads"],
  viewer: ["sales_team.group_sale_salesman"],
};

/**
 * In one database shared by every tenant (company_per_tenant), groups are
 * global: Settings or Access Rights there let a user grant themselves every
 * other tenant's company. An admin gets what a company-level administrator
 * needs (Sales Manager, contact creation), nothing that crosses companies.
 */
export const SHARED_DATABASE_ROLE_GROUPS: Record<TenantRole, string[]> = {
  admin: ["sales_team.group_sale_manager", "base.group_partner_manager"],
  ops: ROLE_GROUPS.ops,
  viewer: ROLE_GROUPS.viewer,
};

/** Groups that administer the whole database; never held by a tenant user of a shared one. */
export const GLOBAL_ADMIN_GROUPS = ["base.group_system", "base.group_erp_manager", "base.group_no_one"];

/**
 * What the service account needs to upsert partners and read the CRM for
 * the data lake — and no more (no Settings, no Access Rights).
 */
export const INTEGRATION_USER_GROUPS = ["base.group_user", "base.group_partner_manager", "sales_team.group_sale_salesman_all_leads"];

/** Groups for a set of platform roles; unknown roles are ignored, and no known role means viewer (least privilege). */
export function groupsForRoles(roles: readonly string[], options: { sharedDatabase?: boolean } = {}): string[] {
  const table = options.sharedDatabase ? SHARED_DATABASE_ROLE_GROUPS : ROLE_GROUPS;
  const known = roles.filter((r): r is TenantRole => r in table);
  const effective = known.length ? known : (["viewer"] as TenantRole[]);
  return [...new Set(["base.group_user", ...effective.flatMap((r) => table[r])])];
}
