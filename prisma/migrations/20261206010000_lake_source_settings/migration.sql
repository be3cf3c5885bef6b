-- What Settings shows and changes about a lake source: who connected
-- Microsoft 365 and when its connection was last checked, the admin-consent
-- round trip in flight, and a nightly full reconcile that can be turned off.

-- NULL: no nightly full reconcile (incremental syncs only).
ALTER TABLE "lake_sources" ALTER COLUMN "full_reconcile_hour" DROP NOT NULL;
-- The email of the admin who connected the source.
ALTER TABLE "lake_sources" ADD COLUMN "connected_by" TEXT;
-- When the connection was last tested (token and a Graph read); its failure is status_detail.
ALTER TABLE "lake_sources" ADD COLUMN "checked_at" TIMESTAMPTZ(3);
-- sha256 of the nonce of the admin-consent request in flight; cleared when its answer comes back, so a state is used once.
ALTER TABLE "lake_sources" ADD COLUMN "consent_nonce_hash" TEXT;
