-- One full run at a time per workspace, held by the database rather than by a
-- check-then-insert that two concurrent starts both pass. Runs that already
-- overlap keep the oldest; the others are closed as failed.
UPDATE "runs" r SET "status" = 'failed', "error" = 'closed: another full run of this workspace was already active', "finished_at" = now()
WHERE r."kind" <> 're_enrich' AND r."status" IN ('queued', 'running', 'finalizing')
  AND EXISTS (
    SELECT 1 FROM "runs" o
    WHERE o."tenant_id" = r."tenant_id" AND o."kind" <> 're_enrich' AND o."status" IN ('queued', 'running', 'finalizing')
      AND (o."created_at", o."id") < (r."created_at", r."id"));
CREATE UNIQUE INDEX "runs_one_active_full_run" ON "runs" ("tenant_id")
  WHERE "kind" <> 're_enrich' AND "status" IN ('queued', 'running', 'finalizing');

-- A company's lease: the job (graphile-worker job id) and the worker (its
-- locked_by) that claimed it. Another job may take the company over only when
-- that worker's process is no longer beating.
ALTER TABLE "run_companies" ADD COLUMN "lease_job_id" TEXT, ADD COLUMN "lease_worker" TEXT;
