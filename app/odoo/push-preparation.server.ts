import { z } from "zod";
import { db, type TenantTx } from "~/db.server";
import { type OdooConnection } from "~/generated/prisma/client";
import { type DesiredCompany } from "./desired-partners.server";
import { OdooNotConnectedError, RunNotFinishedError, RunNotFoundError } from "./push-errors.server";
import { pushHash } from "./push-mapping.server";
import { pushModeOf, type PushMode } from "./push-mode.server";
import { buildPushSet, type PushSet, type PushSetOptions } from "./push-set.server";

/** The audit action of an operator's approval; its row is what marks a run approved. */
export const PUSH_APPROVED_ACTION = "odoo_push.approved";

export type RunPushOptions = PushSetOptions & {
  /** Companies per search/create call. */
  batchSize?: number;
  /** Ignore what was pushed before and compare every company with Odoo. */
  recheck?: boolean;
  /** Tries per batch when Odoo's answer is lost (each try re-plans from Odoo first). */
  maxBatchAttempts?: number;
};

export type PreparedPush = {
  connection: OdooConnection;
  set: PushSet;
  pending: DesiredCompany[];
  skipped: Array<{ uen: string; partnerId: number }>;
  hashes: Map<string, string>;
  mode: PushMode;
  approved: boolean;
};

/**
 * Everything a plan or a push needs from the platform, read in one tenant
 * transaction: the connection, the push set, and which companies were sent
 * before with exactly this data (skipped unless `recheck`).
 */
export async function preparePush(tenantId: string, runId: string, options: RunPushOptions): Promise<PreparedPush> {
  return db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } }, select: { status: true } });
    if (!run) throw new RunNotFoundError(`Run ${runId} does not exist in this workspace`);
    if (run.status === "queued" || run.status === "running") {
      throw new RunNotFinishedError(`Run ${runId} is still ${run.status}; its leads are pushed once it finishes`);
    }
    const connection = await tx.odooConnection.findUnique({ where: { tenantId } });
    if (!connection) throw new OdooNotConnectedError("This workspace has no Odoo connection yet");
    const set = await buildPushSet(tx, runId, options);
    const links = await tx.odooPartnerLink.findMany({
      where: { uen: { in: set.companies.map((c) => c.uen) } },
      select: { uen: true, partnerId: true, pushedHash: true },
    });
    const linkByUen = new Map(links.map((l) => [l.uen, l]));
    const target = { database: connection.database, companyId: connection.companyId };
    const hashes = new Map(set.companies.map((c) => [c.uen, pushHash(c, target)]));
    const pending: DesiredCompany[] = [];
    const skipped: PreparedPush["skipped"] = [];
    for (const company of set.companies) {
      const link = linkByUen.get(company.uen);
      if (!options.recheck && link && link.pushedHash === hashes.get(company.uen)) skipped.push({ uen: company.uen, partnerId: link.partnerId });
      else pending.push(company);
    }
    return { connection, set, pending, skipped, hashes, mode: await pushModeOf(tenantId, tx), approved: await isPushApproved(tx, runId) };
  });
}

export async function isPushApproved(tx: TenantTx, runId: string): Promise<boolean> {
  return (await tx.auditLog.findFirst({ where: { action: PUSH_APPROVED_ACTION, target: runId }, select: { id: true } })) !== null;
}

export function batchSizeOf(options: RunPushOptions): number {
  return z
    .number()
    .int()
    .min(1)
    .max(1000)
    .parse(options.batchSize ?? 100);
}
