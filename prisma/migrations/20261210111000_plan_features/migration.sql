-- Plans carry feature entitlements beside their quotas: a workspace's own
-- identity provider, the analytics hub's BI login and the Microsoft 365
-- data-lake source. A trial tries everything; Starter has none of them,
-- Growth the Microsoft 365 source, Enterprise all three.
ALTER TABLE "plans"
    ADD COLUMN "features" TEXT[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT "plans_features_check" CHECK ("features" <@ ARRAY['tenant_sso', 'analytics_hub', 'lake_m365']::text[]);
UPDATE "plans" SET "features" = ARRAY['tenant_sso', 'analytics_hub', 'lake_m365'] WHERE "code" IN ('trial', 'enterprise');
UPDATE "plans" SET "features" = ARRAY['lake_m365'] WHERE "code" = 'growth';
