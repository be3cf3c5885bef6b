import { platformDb } from "~/db.server";
import { odooClient, odooSettings } from "~/odoo/connection.server";
import { storeTenantFile, tenantFiles } from "./tenant-files.server";

/**
 * Odoo backups of a workspace with its own database, through Odoo's `db`
 * service: `dump` in zip format (the SQL dump with the filestore) and
 * `restore` from one. A workspace in the shared database has no database of
 * its own to back up; the platform database's backup covers its platform side.
 */

export class BackupUnavailable extends Error {}

async function ownDatabase(tenantId: string): Promise<string> {
  const connection = await platformDb.odooConnection.findUnique({ where: { tenantId }, select: { mode: true, database: true } });
  if (!connection) throw new BackupUnavailable("The workspace has no Odoo connection yet: provision it first.");
  if (connection.mode !== "db_per_tenant") throw new BackupUnavailable("The workspace shares the Odoo database: Odoo backups are for a database per tenant.");
  return connection.database;
}

/** Why a backup or restore cannot run for this workspace, or null when it can. */
export async function backupRefusal(tenantId: string): Promise<string | null> {
  try {
    await ownDatabase(tenantId);
    return null;
  } catch (error) {
    if (error instanceof BackupUnavailable) return error.message;
    throw error;
  }
}

/** `nexius_acme-2026-12-05T10-30-00.zip` */
export function backupFilename(database: string, at: Date): string {
  return `${database}-${at.toISOString().slice(0, 19).replace(/:/g, "-")}.zip`;
}

/** Step dump_odoo: one backup per operation (a re-run finds it stored). */
export async function backupOdooDatabase(ctx: { operationId: string; tenantId: string }): Promise<string> {
  const database = await ownDatabase(ctx.tenantId);
  const dump = await odooClient().db.dump(odooSettings().masterPassword, database, "zip");
  const filename = backupFilename(database, new Date());
  await storeTenantFile({ tenantId: ctx.tenantId, operationId: ctx.operationId, kind: "backup", filename, contentType: "application/zip", content: dump });
  return `backup ${filename} (${dump.length} bytes)`;
}

/**
 * Step restore_odoo: Odoo restores only into a database that does not exist,
 * so the current one is dropped first; a re-run after a failed restore finds
 * it gone and restores again from the same backup.
 */
export async function restoreOdooDatabase(ctx: { tenantId: string; backupId: string }): Promise<string> {
  const database = await ownDatabase(ctx.tenantId);
  const backup = await platformDb.tenantFile.findFirst({ where: { id: ctx.backupId, tenantId: ctx.tenantId, kind: "backup" } });
  if (!backup) throw new BackupUnavailable("The backup to restore is gone.");
  const client = odooClient();
  const master = odooSettings().masterPassword;
  await client.db.drop(master, database);
  await client.db.restore(master, database, Buffer.from(backup.content));
  return `Odoo database ${database} restored from ${backup.filename}`;
}

export async function odooBackups(tenantId: string) {
  return tenantFiles(tenantId, ["backup"]);
}
