-- A tenant's own OpenID provider: its members sign in there instead of at the
-- platform's IdP (which stays the default), and land in that tenant with the
-- roles the provider's claims map to. `kind` entra is Microsoft Entra ID,
-- where the directory id (`tid`) names the tenant and the issuer is the
-- directory's own. One provider per tenant, one tenant per directory.
CREATE TABLE "tenant_identity_providers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    -- Exactly as the provider's discovery document states it (for entra `<login host>/<tid>/v2.0`).
    "issuer" TEXT NOT NULL,
    "entra_tenant_id" UUID,
    "client_id" TEXT NOT NULL,
    -- The client secret, AES-256-GCM sealed like every secret at rest; never shown again.
    "client_secret_cipher" BYTEA NOT NULL,
    "client_secret_key_id" TEXT NOT NULL,
    -- Lower-case email domains whose sign-in goes to this provider.
    "email_domains" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    -- The claim holding roles or group ids, and how its values map to the tenant roles.
    "roles_claim" TEXT NOT NULL DEFAULT 'roles',
    "role_mapping" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_identity_providers_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tenant_identity_providers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tenant_identity_providers_kind_check" CHECK ("kind" IN ('oidc', 'entra')),
    CONSTRAINT "tenant_identity_providers_entra_check" CHECK (("kind" = 'entra') = ("entra_tenant_id" IS NOT NULL)),
    CONSTRAINT "tenant_identity_providers_roles_claim_check" CHECK ("roles_claim" IN ('roles', 'groups'))
);
CREATE UNIQUE INDEX "tenant_identity_providers_tenant_id_key" ON "tenant_identity_providers"("tenant_id");
-- A directory belongs to one tenant: a token from it can name no other.
CREATE UNIQUE INDEX "tenant_identity_providers_entra_tenant_id_key" ON "tenant_identity_providers"("entra_tenant_id");
CREATE INDEX "tenant_identity_providers_email_domains_idx" ON "tenant_identity_providers" USING GIN ("email_domains");

-- Platform data: only the platform client reads or writes it (sign-in runs
-- before any tenant is known, and the secret is the platform's to keep).
ALTER TABLE "tenant_identity_providers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_identity_providers" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "tenant_identity_providers" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "tenant_identity_providers" FROM nexius_app;
