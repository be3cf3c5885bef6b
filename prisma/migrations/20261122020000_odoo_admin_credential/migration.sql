-- db_per_tenant: each tenant's Odoo database has its own administrator,
-- created with a generated password; the platform keeps it (sealed) to
-- manage that database's users, e.g. to rotate the integration credential.
ALTER TABLE "odoo_connections" ADD COLUMN "admin_login" TEXT;
ALTER TABLE "odoo_connections" ADD COLUMN "admin_secret_cipher" BYTEA;
ALTER TABLE "odoo_connections" ADD COLUMN "admin_secret_key_id" TEXT;
-- The Odoo user id of the integration user, for rotation.
ALTER TABLE "odoo_connections" ADD COLUMN "user_id" INTEGER;
-- Odoo's auth.oauth.provider id that points at Nexius SSO.
ALTER TABLE "odoo_connections" ADD COLUMN "oauth_provider_id" INTEGER;
