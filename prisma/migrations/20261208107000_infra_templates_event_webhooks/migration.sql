-- Infra templates and image upgrades, and the scope of a webhook endpoint
-- (events a consumer subscribes to, or an alert channel's deliveries).

CREATE TABLE "infra_templates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "odoo_image" TEXT NOT NULL,
    "postgres_image" TEXT NOT NULL,
    -- small | medium | large: the CPU and memory each profile gets are fixed in code.
    "size_profile" TEXT NOT NULL DEFAULT 'small',
    -- Non-secret environment defaults, { "KEY": "value" }; secrets are referenced, never stored here.
    "env_defaults" JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- Only a tested image may be rolled out to a tenant.
    "tested" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "infra_templates_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "infra_templates_name_check" CHECK ("name" ~ '^[a-z][a-z0-9_-]{1,39}$'),
    CONSTRAINT "infra_templates_version_check" CHECK ("version" >= 1),
    CONSTRAINT "infra_templates_size_profile_check" CHECK ("size_profile" IN ('small', 'medium', 'large')),
    CONSTRAINT "infra_templates_env_defaults_check" CHECK (jsonb_typeof("env_defaults") = 'object')
);
CREATE UNIQUE INDEX "infra_templates_name_version_key" ON "infra_templates"("name", "version");
INSERT INTO "infra_templates" ("name", "version", "odoo_image", "postgres_image", "size_profile", "env_defaults", "tested") VALUES
  ('odoo-18', 1, 'odoo:18.0-20261101', 'postgres:16.4', 'small', '{"ODOO_WORKERS": "2", "ODOO_PROXY_MODE": "true"}', true);
ALTER TABLE "infra_templates" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "infra_templates" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "infra_templates" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "infra_templates" FROM nexius_app;

-- The template a tenant runs and the Odoo image actually applied (an
-- upgrade_image operation records it, and puts the old one back if Odoo
-- does not answer afterwards).
ALTER TABLE "tenants" ADD COLUMN "infra_template_id" UUID;
ALTER TABLE "tenants" ADD COLUMN "image_tag" TEXT;
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_infra_template_id_fkey" FOREIGN KEY ("infra_template_id") REFERENCES "infra_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- What an endpoint is for: platform and tenant events its owner subscribed
-- to, or the deliveries of one alert channel (which must not also receive
-- every alert.raised event).
ALTER TABLE "webhook_endpoints" ADD COLUMN "purpose" TEXT NOT NULL DEFAULT 'events';
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_purpose_check" CHECK ("purpose" IN ('events', 'alert_channel'));
UPDATE "webhook_endpoints" SET "purpose" = 'alert_channel' WHERE "id" IN (SELECT "webhook_endpoint_id" FROM "alert_channels" WHERE "webhook_endpoint_id" IS NOT NULL);
