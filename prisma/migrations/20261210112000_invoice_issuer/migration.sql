-- Who issued the invoice (name, address, GST registration), as it stood when
-- it was issued: set with the number, frozen with the figures.
ALTER TABLE "invoices" ADD COLUMN "issuer" TEXT NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION invoice_issuer_frozen() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF OLD."status" <> 'draft' AND NEW."issuer" IS DISTINCT FROM OLD."issuer" THEN
    RAISE EXCEPTION 'invoice % is %: its figures cannot change', OLD."number", OLD."status" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER "invoices_issuer_frozen" BEFORE UPDATE ON "invoices"
    FOR EACH ROW EXECUTE FUNCTION invoice_issuer_frozen();
