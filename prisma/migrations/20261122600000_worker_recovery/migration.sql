-- The ids graphile-worker gives the workers inside each worker process: when a
-- process dies (SIGKILL, crash), its heartbeat goes stale and a live process
-- releases the jobs those ids had locked, instead of waiting graphile-worker's
-- four-hour lock timeout.
ALTER TABLE "worker_heartbeats" ADD COLUMN "graphile_worker_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
