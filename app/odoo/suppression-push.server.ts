import { db } from "~/db.server";
import { blacklistEmails, openWorkspaceOdoo, unblacklistEmails } from "./data-subject.server";

/**
 * Keeps a workspace's Odoo `mail.blacklist` in step with its suppressed
 * addresses: every suppressed address is listed (again, if someone
 * archived it in Odoo), and the addresses just taken off the platform's
 * list are archived there — unless they were suppressed again meanwhile.
 * Each job reconciles the whole list, so a job that ran before the
 * workspace had its Odoo is made good by the next change.
 */
const CHUNK = 500;

export async function pushSuppressionsToOdoo(tenantId: string, removed: readonly string[]): Promise<{ listed: number; unlisted: number }> {
  const odoo = await openWorkspaceOdoo(tenantId);
  if (!odoo) return { listed: 0, unlisted: 0 };
  const suppressed = (await db.$tenantRead(tenantId, (tx) => tx.suppressionEntry.findMany({ where: { kind: "email" }, select: { value: true } }))).map(
    (e) => e.value,
  );
  for (let i = 0; i < suppressed.length; i += CHUNK) await blacklistEmails(odoo, suppressed.slice(i, i + CHUNK));
  const still = new Set(suppressed);
  const unlisted = removed.filter((e) => !still.has(e));
  if (unlisted.length) await unblacklistEmails(odoo, unlisted, "Removed from the workspace's suppression list");
  return { listed: suppressed.length, unlisted: unlisted.length };
}
