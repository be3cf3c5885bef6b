-- A workspace runs the template version it was created on until an image
-- upgrade moves it: marking a newer version tested must not change what an
-- existing workspace's deployment files say. New tenants get the newest
-- tested version when they are created, whichever path creates them;
-- existing ones without a template are pinned to it now.
CREATE FUNCTION tenant_default_infra_template() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.infra_template_id IS NULL THEN
    SELECT id INTO NEW.infra_template_id FROM infra_templates WHERE tested ORDER BY created_at DESC, version DESC LIMIT 1;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER tenants_default_infra_template BEFORE INSERT ON "tenants"
  FOR EACH ROW EXECUTE FUNCTION tenant_default_infra_template();

UPDATE "tenants" SET "infra_template_id" = (SELECT id FROM infra_templates WHERE tested ORDER BY created_at DESC, version DESC LIMIT 1)
WHERE "infra_template_id" IS NULL;
