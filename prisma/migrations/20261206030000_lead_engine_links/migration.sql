-- The lead engine followed into the CRM: which canonical opportunities came
-- from a lead the platform pushed to Odoo.
--
-- The push writes each company once as a res.partner (ref = UEN) and keeps
-- odoo_partner_links(uen, partner_id, run_id, pushed_at), whose run and time
-- move to the latest push that changed the company. Credit belongs to the
-- first push, the one a salesperson acted on, so the link keeps it too.
ALTER TABLE "odoo_partner_links"
  ADD COLUMN "first_run_id" UUID,
  ADD COLUMN "first_pushed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "odoo_partner_links" SET "first_run_id" = "run_id", "first_pushed_at" = "pushed_at";

CREATE FUNCTION odoo_partner_links_first_push() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.first_run_id := NEW.run_id;
  NEW.first_pushed_at := NEW.pushed_at;
  RETURN NEW;
END
$fn$;

-- The first push is the one that inserts the link; a later push updates run_id and pushed_at, never these.
CREATE TRIGGER odoo_partner_links_first_push BEFORE INSERT ON "odoo_partner_links"
  FOR EACH ROW EXECUTE FUNCTION odoo_partner_links_first_push();

-- A pushed lead's opportunities: every canonical opportunity on the account
-- that holds the pushed partner (by its Odoo id), or on an account with the
-- pushed UEN (a partner the sales team made for the same company), opened
-- from the second of the first push on (a deal the company already had is
-- not the lead engine's). One row per opportunity, the partner match first.
-- security_invoker: the caller's tenant and hierarchy policies apply to every
-- table read, so a rep's view holds only their own deals. Always current, so
-- nothing needs refreshing after a sync; the lookups are index scans
-- (source record key, accounts by UEN, opportunities by account).
CREATE VIEW "lake_pushed_lead_opportunities" WITH (security_invoker = true) AS
SELECT DISTINCT ON (o.tenant_id, o.id)
       o.tenant_id, o.id AS opportunity_id, l.uen, l.partner_id, l.first_run_id AS run_id, l.first_pushed_at AS pushed_at, m.matched_by
FROM "odoo_partner_links" l
CROSS JOIN LATERAL (
  SELECT s.canonical_id AS account_id, 'partner'::text AS matched_by, 1 AS preference
  FROM "lake_source_records" s
  WHERE s.tenant_id = l.tenant_id AND s.source = 'odoo' AND s.entity = 'res.partner' AND s.source_id = l.partner_id::text
    AND s.canonical_kind = 'account' AND s.removed_at IS NULL
  UNION ALL
  SELECT a.id, 'uen'::text, 2 FROM "lake_accounts" a WHERE a.tenant_id = l.tenant_id AND a.uen = l.uen AND a.deleted_at IS NULL
) m
JOIN "lake_opportunities" o
  ON o.tenant_id = l.tenant_id AND o.account_id = m.account_id AND o.deleted_at IS NULL
 AND o.opened_at >= date_trunc('second', l.first_pushed_at)
WHERE l.first_run_id IS NOT NULL
ORDER BY o.tenant_id, o.id, m.preference;

REVOKE INSERT, UPDATE, DELETE ON "lake_pushed_lead_opportunities" FROM nexius_app, nexius_platform;
