/** Tenant and provisioning states, shared by the server and the pages that show them. */
export const TENANT_STATUSES = ["provisioning", "active", "paused", "error", "decommissioning", "decommissioned"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const PROVISIONING_PHASES = ["starting", "creating_odoo", "configuring_oidc", "seeding", "ready"] as const;
export type ProvisioningPhase = (typeof PROVISIONING_PHASES)[number];
