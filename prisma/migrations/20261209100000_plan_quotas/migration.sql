-- Plans carry quotas beside their price. A null quota is unlimited. The
-- seeded quotas are generous enough that a demo workspace on the trial plan
-- runs and exports through a day of demonstrations without being refused.
ALTER TABLE "plans"
    ADD COLUMN "runs_per_day" INTEGER,
    ADD COLUMN "companies_per_month" INTEGER,
    ADD COLUMN "seats" INTEGER,
    ADD COLUMN "lake_sources" INTEGER,
    ADD COLUMN "exports_per_month" INTEGER,
    ADD CONSTRAINT "plans_quotas_check" CHECK (
        ("runs_per_day" IS NULL OR "runs_per_day" >= 0)
        AND ("companies_per_month" IS NULL OR "companies_per_month" >= 0)
        AND ("seats" IS NULL OR "seats" >= 0)
        AND ("lake_sources" IS NULL OR "lake_sources" >= 0)
        AND ("exports_per_month" IS NULL OR "exports_per_month" >= 0)
    );

UPDATE "plans" SET "runs_per_day" = 50, "companies_per_month" = 2000, "seats" = 10, "lake_sources" = 2, "exports_per_month" = 500 WHERE "code" = 'trial';
UPDATE "plans" SET "runs_per_day" = 50, "companies_per_month" = 5000, "seats" = 15, "lake_sources" = 3, "exports_per_month" = 1000 WHERE "code" = 'starter';
UPDATE "plans" SET "runs_per_day" = 100, "companies_per_month" = 20000, "seats" = 50, "lake_sources" = 10, "exports_per_month" = 5000 WHERE "code" = 'growth';
