-- Candidates are a cache derived from the registry and the tenant's ICP: a
-- refresh that finds nothing changed (same ICP version, same registry load,
-- same as-of date when the rules use company age) skips the work, and after a
-- load only the rows it changed are evaluated again. The refresh row records
-- what it was computed from. A cache row needs no refresh id and no per-row
-- foreign key check (a trigger still removes a deleted tenant's rows).

ALTER TABLE "icp_candidate_companies" DROP CONSTRAINT "icp_candidate_companies_tenant_id_fkey";
ALTER TABLE "icp_candidate_companies" DROP COLUMN "refresh_id";

CREATE FUNCTION delete_tenant_candidates() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM icp_candidate_companies WHERE tenant_id = OLD.id;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER "tenants_delete_candidates" AFTER DELETE ON "tenants" FOR EACH ROW EXECUTE FUNCTION delete_tenant_candidates();

ALTER TABLE "icp_candidate_refreshes" ADD COLUMN "registry_run_id" UUID, ADD COLUMN "as_of" DATE;
