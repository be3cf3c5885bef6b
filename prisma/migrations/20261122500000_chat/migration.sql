-- Agent chat: each user's threads in their workspace, and the messages in
-- them. Assistant messages carry a typed payload (tables, cards, run progress)
-- besides their plain text. Tenant-owned and under row-level security; a
-- thread belongs to the IdP subject that opened it.

CREATE TABLE "chat_threads" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "owner_sub" TEXT NOT NULL,
    "owner_email" TEXT,
    "title" TEXT NOT NULL DEFAULT 'New chat',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_threads_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "chat_threads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "chat_threads_title_check" CHECK (char_length("title") BETWEEN 1 AND 120)
);
CREATE INDEX "chat_threads_tenant_id_owner_sub_updated_at_idx" ON "chat_threads"("tenant_id", "owner_sub", "updated_at");

CREATE TABLE "chat_messages" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "thread_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "payload" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_messages_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "chat_messages_thread_fkey" FOREIGN KEY ("tenant_id", "thread_id") REFERENCES "chat_threads"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "chat_messages_role_check" CHECK ("role" IN ('user', 'assistant'))
);
CREATE INDEX "chat_messages_tenant_id_thread_id_id_idx" ON "chat_messages"("tenant_id", "thread_id", "id");

SELECT enable_tenant_rls('chat_threads');
SELECT enable_tenant_rls('chat_messages');
