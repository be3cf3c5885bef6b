-- A session's ID token is a signed credential the API would accept as a bearer
-- token, so it is sealed at rest like the refresh token (AES-256-GCM, the AAD
-- names the session). Plaintext tokens of live sessions are dropped: those
-- sessions only lose the id_token_hint at logout.
ALTER TABLE "sessions" DROP COLUMN "id_token";
ALTER TABLE "sessions" ADD COLUMN "id_token_cipher" BYTEA;
ALTER TABLE "sessions" ADD COLUMN "id_token_key_id" TEXT;
