-- Server-side sign-in sessions. The browser holds only a random id; the row
-- is keyed by its sha256, so a copy of this table cannot be replayed as
-- cookies. Sessions are read before any tenant is known, by the identity
-- layer through the platform role; tenant_id is null until the user has a
-- workspace (platform staff may never have one).

CREATE TABLE "sessions" (
    "id_hash" TEXT NOT NULL,
    "tenant_id" UUID,
    "user_id" UUID NOT NULL,
    "sub" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "roles" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "id_token" TEXT,
    "refresh_cipher" BYTEA,
    "refresh_key_id" TEXT,
    "tokens_expire_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "user_agent" TEXT,
    "ip" TEXT,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id_hash"),
    CONSTRAINT "sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

SELECT enable_tenant_rls('sessions');

-- Who did it, without every caller passing it: filled from the transaction's settings.
ALTER TABLE "audit_log" ALTER COLUMN "actor_sub" SET DEFAULT NULLIF(current_setting('app.actor_sub', true), '');
ALTER TABLE "audit_log" ALTER COLUMN "actor_email" SET DEFAULT NULLIF(current_setting('app.actor_email', true), '');
ALTER TABLE "audit_log" ALTER COLUMN "request_id" SET DEFAULT NULLIF(current_setting('app.request_id', true), '');
