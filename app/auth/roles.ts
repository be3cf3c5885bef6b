/** Roles carried in the token's `roles` claim. Safe to import in the browser. */
export const TENANT_ROLES = ["admin", "ops", "viewer"] as const;
export const PLATFORM_ROLES = ["platform_owner", "platform_operator", "finance_owner"] as const;

export type TenantRole = (typeof TENANT_ROLES)[number];
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type Role = TenantRole | PlatformRole;

export function tenantRolesOf(roles: readonly string[]): TenantRole[] {
  return TENANT_ROLES.filter((r) => roles.includes(r));
}

export function platformRolesOf(roles: readonly string[]): PlatformRole[] {
  return PLATFORM_ROLES.filter((r) => roles.includes(r));
}

/** ops and admin change the ICP and start runs; viewers only read. */
export function canOperate(roles: readonly string[]): boolean {
  return roles.includes("admin") || roles.includes("ops");
}

export function isTenantAdmin(roles: readonly string[]): boolean {
  return roles.includes("admin");
}

export function isPlatformStaff(roles: readonly string[]): boolean {
  return platformRolesOf(roles).length > 0;
}

/**
 * Who sees which part of the control plane: the tenants list and
 * a tenant's detail (its Odoo login, audit log, actions) are for the owners and
 * operators; billing is for the owners and finance, which sees nothing else.
 */
export const TENANT_OPERATIONS_ROLES = ["platform_owner", "platform_operator"] as const satisfies readonly PlatformRole[];
export const BILLING_ROLES = ["platform_owner", "finance_owner"] as const satisfies readonly PlatformRole[];

export function canOperateTenants(roles: readonly string[]): boolean {
  return TENANT_OPERATIONS_ROLES.some((r) => roles.includes(r));
}

/** Where platform staff land in the control plane: finance goes straight to billing. */
export function controlPlaneHome(roles: readonly string[]): string {
  return canOperateTenants(roles) ? "/admin" : "/admin/billing";
}

/**
 * The analytics hub (seed 004 §2 and §6): owners, operators and finance see a
 * tenant's analytics connection; only owners enable, rotate, revoke and set
 * the BI dashboard. A tenant's admin sees their own workspace's in settings.
 */
export const ANALYTICS_VIEW_ROLES = ["platform_owner", "platform_operator", "finance_owner"] as const satisfies readonly PlatformRole[];
