import { type Actor } from "~/audit.server";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { type Prisma } from "~/generated/prisma/client";
import { enqueue } from "~/jobs/enqueue.server";
import { currentLogContext, log } from "~/logger.server";
import { type OdooClient } from "./client.server";
import { WARM_STATES, type WarmState } from "./warm-pool";
import { REFILL_WARM_POOL_JOB_KEY } from "./warm-pool.server";

/**
 * The warm pool seen from /admin/infra/warm-pool: what it holds, and the
 * operators' three levers on it — refill now, discard a failed copy, reclaim
 * copies a worker stopped in the middle of. Each lever is recorded in
 * odoo_warm_pool_actions (the pool belongs to no workspace, so audit_log
 * cannot hold it).
 */

/** A copy takes seconds; one still `creating` after this long lost its worker mid-copy. */
export const STALE_CREATING_MS = 15 * 60_000;
const PAGE_SIZE = 20;
const RECENT_ACTIONS = 10;

type PoolAction = "refill" | "discard" | "reclaim";

async function recordPoolAction(
  client: Prisma.TransactionClient | typeof platformDb,
  action: PoolAction,
  dbName: string | null,
  actor: Actor,
  details: Record<string, unknown> = {},
): Promise<void> {
  await client.odooWarmPoolAction.create({
    data: {
      action,
      dbName,
      actorSub: actor.sub,
      actorEmail: actor.email ?? null,
      details: details as object,
      requestId: currentLogContext().requestId ?? null,
    },
  });
}

export async function warmPoolOverview(options: { page: number; state: WarmState | null; now?: Date }) {
  const staleBefore = new Date((options.now ?? new Date()).getTime() - STALE_CREATING_MS);
  const where = options.state ? { state: options.state } : {};
  const [groups, total, staleCreating, actions] = await Promise.all([
    platformDb.odooWarmDatabase.groupBy({ by: ["state"], _count: { _all: true } }),
    platformDb.odooWarmDatabase.count({ where }),
    platformDb.odooWarmDatabase.count({ where: { state: "creating", startedAt: { lt: staleBefore } } }),
    platformDb.odooWarmPoolAction.findMany({
      orderBy: { id: "desc" },
      take: RECENT_ACTIONS,
      select: { id: true, action: true, dbName: true, actorEmail: true, actorSub: true, details: true, createdAt: true },
    }),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(options.page, pages);
  const rows = await platformDb.odooWarmDatabase.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { dbName: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      dbName: true,
      template: true,
      state: true,
      attempts: true,
      error: true,
      retryAt: true,
      createdAt: true,
      startedAt: true,
      readyAt: true,
      claimedAt: true,
      tenant: { select: { id: true, name: true, slug: true } },
    },
  });
  const counts = Object.fromEntries(WARM_STATES.map((s) => [s, 0])) as Record<WarmState, number>;
  for (const g of groups) if ((WARM_STATES as readonly string[]).includes(g.state)) counts[g.state as WarmState] = g._count._all;
  return {
    size: env().ODOO_WARM_POOL_SIZE,
    template: env().ODOO_WARM_TEMPLATE,
    mode: env().ODOO_MODE,
    counts,
    staleCreating,
    staleAfterMinutes: STALE_CREATING_MS / 60_000,
    page,
    pages,
    total,
    rows: rows.map((r) => ({ ...r, stale: r.state === "creating" && r.startedAt < staleBefore })),
    actions: actions.map((a) => ({ ...a, id: a.id.toString() })),
  };
}

/** Queues a refill now, under the cron's job key: a refill already waiting is moved to now instead of doubled. */
export async function requestWarmPoolRefill(actor: Actor): Promise<{ jobId: string }> {
  const job = await enqueue("refill_warm_pool", {}, { jobKey: REFILL_WARM_POOL_JOB_KEY, jobKeyMode: "replace" });
  await recordPoolAction(platformDb, "refill", null, actor, { jobId: job.id });
  return { jobId: job.id };
}

export type DiscardResult = { ok: true; dropped: boolean } | { ok: false; message: string };

/**
 * Drops a failed copy in Odoo (db.drop; false when Odoo has no such database,
 * e.g. the copy failed before it began) and forgets it. Under the refill's
 * lock, so a refill cannot take the row for a retry while it is being dropped.
 */
export async function discardFailedCopy(client: OdooClient, master: string, dbName: string, actor: Actor): Promise<DiscardResult> {
  return platformDb.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('odoo_warm_pool'))`;
      const row = await tx.odooWarmDatabase.findUnique({ where: { dbName }, select: { state: true, error: true, attempts: true } });
      if (!row) return { ok: false as const, message: `The pool has no copy named ${dbName}.` };
      if (row.state !== "failed") return { ok: false as const, message: `${dbName} is ${row.state}; only failed copies can be discarded.` };
      const dropped = await client.db.drop(master, dbName);
      await tx.odooWarmDatabase.delete({ where: { dbName } });
      await recordPoolAction(tx, "discard", dbName, actor, { dropped, error: row.error, attempts: row.attempts });
      log().info({ odoo: { db: dbName, dropped }, actor: actor.email }, "warm pool copy discarded");
      return { ok: true as const, dropped };
    },
    // db.drop waits for Odoo to close the database's connections.
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/**
 * Copies still `creating` long after they started lost their worker mid-copy
 * and would hold their slots for ever: they become failed copies due for a
 * retry now (which drops any half-made database first), and a refill is queued.
 */
export async function reclaimStaleCopies(actor: Actor, now = new Date()): Promise<string[]> {
  const staleBefore = new Date(now.getTime() - STALE_CREATING_MS);
  const reclaimed = await platformDb.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('odoo_warm_pool'))`;
    const rows = await tx.$queryRaw<Array<{ db_name: string; started_at: Date }>>`
      UPDATE odoo_warm_databases
      SET state = 'failed', attempts = attempts + 1, retry_at = now(),
          error = 'The copy did not finish within ' || ${STALE_CREATING_MS / 60_000}::int || ' minutes of its start (its worker stopped mid-copy); reclaimed for a retry.'
      WHERE state = 'creating' AND started_at < ${staleBefore}
      RETURNING db_name, started_at`;
    for (const row of rows) await recordPoolAction(tx, "reclaim", row.db_name, actor, { startedAt: row.started_at.toISOString() });
    return rows.map((r) => r.db_name);
  });
  if (reclaimed.length > 0) await requestWarmPoolRefill(actor);
  return reclaimed;
}
