-- The control plane's catalogue: the plans a tenant can be on and the module
-- bundles a tenant can be given, plus every lifecycle operation type the
-- control plane runs (create, module_apply, upgrade_image, decommission,
-- backup and restore join pause, resume and rebuild).

CREATE TABLE "plans" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "monthly_price_cents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'SGD',
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plans_pkey" PRIMARY KEY ("code"),
    CONSTRAINT "plans_code_check" CHECK ("code" ~ '^[a-z][a-z0-9_-]{1,39}$'),
    CONSTRAINT "plans_monthly_price_cents_check" CHECK ("monthly_price_cents" >= 0)
);
INSERT INTO "plans" ("code", "name", "description", "monthly_price_cents", "sort_order") VALUES
  ('trial', 'Trial', 'Fourteen days to try the lead engine on a small scale.', 0, 10),
  ('starter', 'Starter', 'A small sales team: nightly runs and the CRM dashboards.', 49000, 20),
  ('growth', 'Growth', 'Several teams, the data lake''s Microsoft 365 source and more enrichment.', 149000, 30),
  ('enterprise', 'Enterprise', 'Own identity provider, analytics hub and the highest quotas.', 490000, 40);

-- Plans are a public catalogue, not a tenant's data: the workspace reads them
-- (its portal shows the plan it is on), only the platform changes them.
ALTER TABLE "plans" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "plans" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "plans" TO nexius_platform USING (true) WITH CHECK (true);
CREATE POLICY catalogue_read ON "plans" FOR SELECT TO nexius_app USING (true);
REVOKE ALL ON "plans" FROM nexius_app;
GRANT SELECT ON "plans" TO nexius_app;

CREATE TABLE "module_bundles" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    -- base | vertical | addon
    "type" TEXT NOT NULL DEFAULT 'addon',
    -- Odoo technical module names (ir.module.module.name).
    "modules" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "module_bundles_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "module_bundles_code_check" CHECK ("code" ~ '^[a-z][a-z0-9_-]{1,39}$'),
    CONSTRAINT "module_bundles_type_check" CHECK ("type" IN ('base', 'vertical', 'addon')),
    CONSTRAINT "module_bundles_version_check" CHECK ("version" >= 1)
);
CREATE UNIQUE INDEX "module_bundles_code_key" ON "module_bundles"("code");
INSERT INTO "module_bundles" ("code", "name", "description", "type", "modules") VALUES
  ('sales-core', 'Sales core', 'What the lead engine and the CRM dashboards need in Odoo.', 'base', ARRAY['crm', 'contacts', 'mail']);

-- Platform data: only the platform client reads or writes it.
ALTER TABLE "module_bundles" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "module_bundles" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "module_bundles" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "module_bundles" FROM nexius_app;

-- The bundle a tenant was created with (the wizard's choice); applying it is
-- a module_apply operation.
ALTER TABLE "tenants" ADD COLUMN "bundle_code" TEXT;
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_bundle_code_fkey" FOREIGN KEY ("bundle_code") REFERENCES "module_bundles"("code") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "tenant_operations" DROP CONSTRAINT "tenant_operations_type_check";
ALTER TABLE "tenant_operations" ADD CONSTRAINT "tenant_operations_type_check" CHECK ("type" IN ('create', 'pause', 'resume', 'rebuild', 'module_apply', 'upgrade_image', 'decommission', 'backup', 'restore'));
