-- Limits that every worker process shares, so a second worker does not double
-- the call rate: one row per vendor key (keyed by a hash of the API key, never
-- the key), per crawled host, or per piece of work only one process should do
-- at a time (a rationale being written). A claim is one INSERT … ON CONFLICT
-- DO UPDATE … RETURNING on the row: Postgres's row lock makes concurrent
-- claims take turns, and each sees the row as the previous one left it.
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    -- Sliding-window limits: the times of the most recent grants, oldest first,
    -- at most as many as the window allows.
    "grants" TIMESTAMPTZ(3)[] NOT NULL DEFAULT '{}',
    -- Nothing is granted before this time: a host's spacing after its last
    -- request, or a vendor's block of the key.
    "next_at" TIMESTAMPTZ(3),
    -- The claim token of the last grant, or of the lease in flight.
    "holder" TEXT,
    -- A lease in flight (a request to the host, a rationale being written)
    -- ends at this time even if its holder died.
    "busy_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- Platform data: only the platform client reads or writes it.
ALTER TABLE "rate_limits" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "rate_limits" FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_access ON "rate_limits" TO nexius_platform USING (true) WITH CHECK (true);
REVOKE ALL ON "rate_limits" FROM nexius_app;
