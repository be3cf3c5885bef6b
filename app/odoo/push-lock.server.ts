import { db } from "~/db.server";

// A push of a few thousand partners takes minutes; the lock's transaction must outlive it.
const PUSH_LOCK_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * One tenant's pushes run one at a time (a queued push and an operator's
 * approval could otherwise both plan the same new company). The lock is a
 * transaction-scoped advisory lock, so a killed process releases it.
 */
export async function withPushLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`odoo-push:${tenantId}`}, 0))`;
      return fn();
    },
    { timeout: PUSH_LOCK_TIMEOUT_MS, maxWait: 10_000 },
  );
}
