import { z } from "zod";

/** How first-login provisioning maps tenants onto Odoo: a database of its own each, or a company each in one shared database. */
export const ODOO_MODES = ["db_per_tenant", "company_per_tenant"] as const;
export type OdooMode = (typeof ODOO_MODES)[number];

/**
 * Env fragment for the Odoo integration. ODOO_URL is optional because
 * development starts the simulator when it is unset; the lead's env schema
 * decides when it becomes required.
 */
export const odooEnv = z.object({
  ODOO_URL: z.string().url().optional(),
  ODOO_MODE: z.enum(ODOO_MODES).default("company_per_tenant"),
  /** Odoo's `admin_passwd`; needed only for db_per_tenant (the `db` service). */
  ODOO_MASTER_PASSWORD: z.string().min(1).optional(),
  /** The shared database in company_per_tenant mode. */
  ODOO_DB: z.string().min(1).optional(),
  /** Platform admin of the shared database (company_per_tenant) or the admin created in each tenant database. */
  ODOO_ADMIN_LOGIN: z.string().min(1).default("admin"),
  ODOO_ADMIN_PASSWORD: z.string().min(1).optional(),
  ODOO_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

export type OdooEnv = z.infer<typeof odooEnv>;
