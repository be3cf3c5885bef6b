-- Whether the IdP verified the user's email (the `email_verified` claim of their newest token).
-- Only a verified email may become, or find, an Odoo login; rows from before this column are unverified until their next sign-in.
ALTER TABLE "users" ADD COLUMN "email_verified" BOOLEAN NOT NULL DEFAULT false;
