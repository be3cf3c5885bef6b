-- Plans, usage and billing (seed 004 §5, billing_overview): what each
-- workspace used per day, the plan it was on when, monthly invoices computed
-- from both, and the plan changes finance proposes and an owner approves.

-- Plans price what they meter: a monthly fee plus each company enriched.
ALTER TABLE "plans"
    ADD COLUMN "price_per_company_cents" INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT "plans_price_per_company_cents_check" CHECK ("price_per_company_cents" >= 0);
UPDATE "plans" SET "price_per_company_cents" = 20 WHERE "code" = 'starter';
UPDATE "plans" SET "price_per_company_cents" = 15 WHERE "code" = 'growth';
UPDATE "plans" SET "price_per_company_cents" = 10 WHERE "code" = 'enterprise';

-- Which plan a workspace was on from when: written by a trigger on tenants,
-- so a plan changed by any path is billed pro rata from that moment.
CREATE TABLE "tenant_plan_periods" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "plan" TEXT NOT NULL,
    CONSTRAINT "tenant_plan_periods_pkey" PRIMARY KEY ("tenant_id", "started_at"),
    CONSTRAINT "tenant_plan_periods_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
SELECT enable_tenant_rls('tenant_plan_periods');
REVOKE INSERT, UPDATE, DELETE ON "tenant_plan_periods" FROM nexius_app;

-- Only the platform writes tenants (the workspace's role has no INSERT or
-- UPDATE on them), so the trigger runs with the platform's rights.
CREATE FUNCTION record_tenant_plan_period() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "tenant_plan_periods" ("tenant_id", "started_at", "plan")
  VALUES (NEW."id", CASE WHEN TG_OP = 'INSERT' THEN NEW."created_at" ELSE clock_timestamp() END, NEW."plan")
  ON CONFLICT ("tenant_id", "started_at") DO UPDATE SET "plan" = EXCLUDED."plan";
  RETURN NULL;
END
$fn$;
CREATE TRIGGER "tenants_plan_period_insert" AFTER INSERT ON "tenants"
    FOR EACH ROW EXECUTE FUNCTION record_tenant_plan_period();
CREATE TRIGGER "tenants_plan_period_update" AFTER UPDATE OF "plan" ON "tenants"
    FOR EACH ROW WHEN (OLD."plan" IS DISTINCT FROM NEW."plan") EXECUTE FUNCTION record_tenant_plan_period();
INSERT INTO "tenant_plan_periods" ("tenant_id", "started_at", "plan") SELECT "id", "created_at", "plan" FROM "tenants";

-- Usage per workspace per Singapore day, metered from what the platform
-- already records (runs, companies, vendor calls and their cost, LLM tokens,
-- exports) plus the seats and storage seen when the day was metered.
CREATE TABLE "tenant_usage_daily" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "companies_enriched" INTEGER NOT NULL DEFAULT 0,
    "vendor_calls" INTEGER NOT NULL DEFAULT 0,
    "vendor_cost_usd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "llm_calls" INTEGER NOT NULL DEFAULT 0,
    "llm_tokens" BIGINT NOT NULL DEFAULT 0,
    "exports" INTEGER NOT NULL DEFAULT 0,
    "seats" INTEGER NOT NULL DEFAULT 0,
    "storage_bytes" BIGINT NOT NULL DEFAULT 0,
    "metered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_usage_daily_pkey" PRIMARY KEY ("tenant_id", "day"),
    CONSTRAINT "tenant_usage_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
SELECT enable_tenant_rls('tenant_usage_daily');
REVOKE INSERT, UPDATE, DELETE ON "tenant_usage_daily" FROM nexius_app;

-- Monthly invoices. A draft is recomputed at will; issuing gives it the next
-- number of its year and freezes it; an issued invoice is paid or voided,
-- and nothing else. Kept when a tenant is decommissioned (the law keeps
-- billing records), so the tenant cannot be deleted under them.
CREATE TABLE "invoices" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "number" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "currency" TEXT NOT NULL,
    "tenant_name" TEXT NOT NULL,
    "tenant_slug" TEXT NOT NULL,
    "subtotal_cents" BIGINT NOT NULL,
    "tax_label" TEXT NOT NULL,
    "tax_rate_bp" INTEGER NOT NULL,
    "tax_cents" BIGINT NOT NULL,
    "total_cents" BIGINT NOT NULL,
    "usage" JSONB NOT NULL DEFAULT '{}',
    "due_date" DATE,
    "payment_reference" TEXT,
    "void_reason" TEXT,
    "created_by_email" TEXT,
    "issued_by_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issued_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "voided_at" TIMESTAMPTZ(3),
    CONSTRAINT "invoices_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "invoices_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "invoices_status_check" CHECK ("status" IN ('draft', 'issued', 'paid', 'void')),
    CONSTRAINT "invoices_period_check" CHECK ("period_end" >= "period_start"),
    CONSTRAINT "invoices_total_check" CHECK ("total_cents" = "subtotal_cents" + "tax_cents" AND "subtotal_cents" >= 0 AND "tax_cents" >= 0),
    CONSTRAINT "invoices_number_check" CHECK (("status" = 'draft') = ("number" IS NULL)),
    CONSTRAINT "invoices_void_check" CHECK ("status" <> 'void' OR "void_reason" IS NOT NULL)
);
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");
-- One live invoice per workspace and month: a voided one may be redone.
CREATE UNIQUE INDEX "invoices_tenant_period_key" ON "invoices"("tenant_id", "period_start") WHERE "status" <> 'void';
CREATE INDEX "invoices_status_period_idx" ON "invoices"("status", "period_start");

CREATE TABLE "invoice_lines" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "invoice_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    -- subscription | usage
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "unit_price_cents" BIGINT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("tenant_id", "invoice_id", "position"),
    CONSTRAINT "invoice_lines_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "invoice_lines_kind_check" CHECK ("kind" IN ('subscription', 'usage')),
    CONSTRAINT "invoice_lines_amount_check" CHECK ("amount_cents" >= 0)
);

SELECT enable_tenant_rls('invoices');
SELECT enable_tenant_rls('invoice_lines');
-- The workspace reads its invoices once issued, never drafts, and writes nothing.
REVOKE INSERT, UPDATE, DELETE ON "invoices", "invoice_lines" FROM nexius_app;
CREATE POLICY "issued_only" ON "invoices" AS RESTRICTIVE FOR SELECT TO nexius_app USING ("status" <> 'draft');
CREATE POLICY "issued_only" ON "invoice_lines" AS RESTRICTIVE FOR SELECT TO nexius_app
    USING (EXISTS (SELECT 1 FROM "invoices" i WHERE i."tenant_id" = "invoice_lines"."tenant_id" AND i."id" = "invoice_lines"."invoice_id"));

-- The lifecycle, enforced whoever writes: draft → issued (a draft is
-- deleted, not voided), issued → paid | void; an issued invoice's figures never change, and its
-- number is the next of its year, without gaps.
CREATE FUNCTION invoice_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  lines_total BIGINT;
  year_prefix TEXT;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'draft' THEN
      RAISE EXCEPTION 'invoice % is %: only drafts can be deleted', OLD."number", OLD."status" USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW."status" <> 'draft' THEN
      RAISE EXCEPTION 'an invoice starts as a draft' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD."status" <> 'draft' AND (
       NEW."subtotal_cents", NEW."tax_cents", NEW."total_cents", NEW."tax_rate_bp", NEW."currency",
       NEW."period_start", NEW."period_end", NEW."number", NEW."tenant_name", NEW."usage", NEW."issued_at"
     ) IS DISTINCT FROM (
       OLD."subtotal_cents", OLD."tax_cents", OLD."total_cents", OLD."tax_rate_bp", OLD."currency",
       OLD."period_start", OLD."period_end", OLD."number", OLD."tenant_name", OLD."usage", OLD."issued_at"
     ) THEN
    RAISE EXCEPTION 'invoice % is %: its figures cannot change', OLD."number", OLD."status" USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."status" IS DISTINCT FROM OLD."status" THEN
    IF NOT ((OLD."status", NEW."status") IN (('draft', 'issued'), ('issued', 'paid'), ('issued', 'void'))) THEN
      RAISE EXCEPTION 'an invoice cannot go from % to %', OLD."status", NEW."status" USING ERRCODE = 'check_violation';
    END IF;
    IF NEW."status" = 'issued' THEN
      SELECT COALESCE(SUM("amount_cents"), 0) INTO lines_total FROM "invoice_lines" WHERE "tenant_id" = NEW."tenant_id" AND "invoice_id" = NEW."id";
      IF lines_total <> NEW."subtotal_cents" THEN
        RAISE EXCEPTION 'invoice lines add up to % but the subtotal is %', lines_total, NEW."subtotal_cents" USING ERRCODE = 'check_violation';
      END IF;
      PERFORM pg_advisory_xact_lock(hashtext('invoice_number'));
      NEW."issued_at" := now();
      year_prefix := 'INV-' || to_char(NEW."issued_at" AT TIME ZONE 'Asia/Singapore', 'YYYY') || '-';
      SELECT year_prefix || lpad((COALESCE(MAX(substring("number" FROM length(year_prefix) + 1)::int), 0) + 1)::text, 5, '0')
        INTO NEW."number" FROM "invoices" WHERE "number" LIKE year_prefix || '%';
      NEW."due_date" := COALESCE(NEW."due_date", (NEW."issued_at" AT TIME ZONE 'Asia/Singapore')::date + 30);
    ELSIF NEW."status" = 'paid' THEN
      NEW."paid_at" := now();
    ELSIF NEW."status" = 'void' THEN
      NEW."voided_at" := now();
    END IF;
  END IF;
  NEW."updated_at" := now();
  RETURN NEW;
END
$fn$;
CREATE TRIGGER "invoices_lifecycle" BEFORE INSERT OR UPDATE OR DELETE ON "invoices"
    FOR EACH ROW EXECUTE FUNCTION invoice_lifecycle();

CREATE FUNCTION invoice_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  line RECORD := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  invoice_status TEXT;
BEGIN
  SELECT "status" INTO invoice_status FROM "invoices" WHERE "tenant_id" = line."tenant_id" AND "id" = line."invoice_id";
  -- A draft's lines change freely; so do those of an invoice being deleted (only drafts are).
  IF invoice_status IS NOT NULL AND invoice_status <> 'draft' THEN
    RAISE EXCEPTION 'the lines of a % invoice cannot change', invoice_status USING ERRCODE = 'check_violation';
  END IF;
  RETURN line;
END
$fn$;
CREATE TRIGGER "invoice_lines_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "invoice_lines"
    FOR EACH ROW EXECUTE FUNCTION invoice_lines_frozen();

-- Finance proposes a plan change, a platform owner approves or rejects it;
-- at most one proposal is open per workspace. Platform data.
CREATE TABLE "plan_change_requests" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "from_plan" TEXT NOT NULL,
    "to_plan" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "proposed_by_sub" TEXT NOT NULL,
    "proposed_by_email" TEXT,
    "decided_by_sub" TEXT,
    "decided_by_email" TEXT,
    "decision_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    CONSTRAINT "plan_change_requests_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "plan_change_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "plan_change_requests_to_plan_fkey" FOREIGN KEY ("to_plan") REFERENCES "plans"("code") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "plan_change_requests_status_check" CHECK ("status" IN ('proposed', 'approved', 'rejected', 'withdrawn')),
    CONSTRAINT "plan_change_requests_change_check" CHECK ("from_plan" <> "to_plan"),
    CONSTRAINT "plan_change_requests_decided_check" CHECK (("status" = 'proposed') = ("decided_at" IS NULL))
);
CREATE UNIQUE INDEX "plan_change_requests_open_key" ON "plan_change_requests"("tenant_id") WHERE "status" = 'proposed';
CREATE INDEX "plan_change_requests_status_created_at_idx" ON "plan_change_requests"("status", "created_at");
SELECT enable_tenant_rls('plan_change_requests');
REVOKE ALL ON "plan_change_requests" FROM nexius_app;
