-- A decommission stopped during its grace period ends as 'cancelled': it
-- neither succeeded nor failed, and it no longer holds the tenant's one active
-- operation slot.
ALTER TABLE "tenant_operations" DROP CONSTRAINT "tenant_operations_status_check";
ALTER TABLE "tenant_operations" ADD CONSTRAINT "tenant_operations_status_check" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
