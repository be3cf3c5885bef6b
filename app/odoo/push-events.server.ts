import { db, type TenantTx } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { OdooServerError, OdooTransportError } from "./client.server";

/** A push's rows in the run's event log and vendor usage: stage `odoo_push`, vendor `odoo`. */
const STAGE = "odoo_push";
const VENDOR = "odoo";

export type PushEvent = { event: string; status: "ok" | "error" | "skipped" | "info"; durationMs?: number; args?: Record<string, unknown>; message?: string };

export async function recordPushEvents(tenantId: string, runId: string, events: PushEvent[], tx?: TenantTx): Promise<void> {
  const write = (t: TenantTx) =>
    t.runEventLog.createMany({
      data: events.map((e) => ({
        tenantId,
        runId,
        stage: STAGE,
        tool: VENDOR,
        event: e.event,
        status: e.status,
        durationMs: e.durationMs === undefined ? null : Math.round(e.durationMs),
        args: (e.args ?? {}) as Prisma.InputJsonValue,
        message: e.message ?? null,
      })),
    });
  if (tx) await write(tx);
  else await db.$withTenant(tenantId, write);
}

/** The push's last event, with the Odoo calls it made added to the run's vendor usage in the same transaction. */
export async function recordPushEnd(
  tenantId: string,
  runId: string,
  usage: { calls: number; errors: number } | undefined,
  status: "ok" | "error",
  event: Omit<PushEvent, "status">,
): Promise<void> {
  await db.$withTenant(tenantId, async (tx) => {
    if (usage && usage.calls > 0) {
      await tx.runVendorUsage.upsert({
        where: { tenantId_runId_vendor: { tenantId, runId, vendor: VENDOR } },
        create: { tenantId, runId, vendor: VENDOR, calls: usage.calls, errors: usage.errors },
        update: { calls: { increment: usage.calls }, errors: { increment: usage.errors }, updatedAt: new Date() },
      });
    }
    await recordPushEvents(tenantId, runId, [{ ...event, status }], tx);
  });
}

const PUSH_WAITING = "Odoo push waiting";

/**
 * A run whose push is waiting for Odoo (unreachable, or refusing the login) says so among its
 * degraded reasons; when a later attempt lands, the reason says the push came
 * late instead, so the run keeps the record of the outage.
 */
export async function notePushOutage(tenantId: string, runId: string, outage: { waiting: string } | { pushedAt: Date }): Promise<void> {
  await db.$withTenant(tenantId, async (tx) => {
    if ("waiting" in outage) {
      const reason = `${PUSH_WAITING}: ${outage.waiting}; the push is retried with backoff`;
      await tx.$executeRaw`
        UPDATE runs SET degraded = true,
          degraded_reasons = array_append(ARRAY(SELECT r FROM unnest(degraded_reasons) r WHERE r NOT LIKE ${`${PUSH_WAITING}%`}), ${reason})
        WHERE id = ${runId}::uuid`;
    } else {
      const reason = `Odoo push delayed: Odoo did not answer at first; the leads were pushed at ${outage.pushedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
      await tx.$executeRaw`
        UPDATE runs SET degraded_reasons = array_replace(degraded_reasons,
          (SELECT r FROM unnest(degraded_reasons) r WHERE r LIKE ${`${PUSH_WAITING}%`} LIMIT 1), ${reason})
        WHERE id = ${runId}::uuid AND EXISTS (SELECT 1 FROM unnest(degraded_reasons) r WHERE r LIKE ${`${PUSH_WAITING}%`})`;
    }
  });
}

/** Odoo's own words, without tracebacks; never arguments (they may carry personal data). */
export function describeOdooFailure(error: unknown): string {
  if (error instanceof OdooServerError) return `${error.odooName}: ${error.odooMessage}`.slice(0, 300);
  if (error instanceof OdooTransportError) return `odoo ${error.kind}${error.status ? ` ${error.status}` : ""}: ${error.message}`.slice(0, 300);
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);
}
