import { createHash } from "node:crypto";
import { type Actor, recordAudit } from "~/audit.server";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { type Prisma } from "~/generated/prisma/client";
import { odooClient, odooSettings } from "~/odoo/connection.server";
import { archiveTar, type ArchiveFile, tableCsv } from "~/privacy/subject-archive.server";
import { emitPlatformEvent } from "~/webhooks/platform-events.server";
import { dropTenantAnalyticsRole } from "./analytics-hub.server";
import { operationJobKey } from "./operations";
import { adminSessionFor } from "./provisioning.server";
import { storeTenantFile, operationFile } from "./tenant-files.server";
import { deletionReceipt, type ForeignKey, purgeableTables, purgeOrder, type PurgeCounts, UNEXPORTED_TABLES } from "./tenant-tables";

/**
 * Decommissioning a tenant: export everything first (downloadable during the
 * grace period), then, once the grace period is over, remove its Odoo side,
 * delete its rows from every tenant table and write a receipt of what went.
 */

export type DecommissionContext = { operationId: string; tenantId: string; actor: Actor };

/** Every table with a tenant_id column, from the catalog, so a new table is never forgotten. */
export async function tenantTables(): Promise<string[]> {
  const rows = await platformDb.$queryRaw<Array<{ table_name: string }>>`
    SELECT c.table_name::text AS table_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
    ORDER BY 1`;
  return rows.map((r) => r.table_name);
}

async function foreignKeys(): Promise<ForeignKey[]> {
  return platformDb.$queryRaw<ForeignKey[]>`
    SELECT child.relname::text AS child, parent.relname::text AS parent
    FROM pg_constraint con
    JOIN pg_class child ON child.oid = con.conrelid
    JOIN pg_class parent ON parent.oid = con.confrelid
    WHERE con.contype = 'f' AND con.connamespace = current_schema()::regnamespace`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A row as CSV cells: binary columns as base64, the rest as the CSV writer shows them. */
function exportable(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v]));
}

async function odooExport(tenantId: string): Promise<ArchiveFile[]> {
  const connection = await platformDb.odooConnection.findUnique({ where: { tenantId } });
  if (!connection) return [{ name: "odoo/README.txt", body: "The workspace had no Odoo connection: nothing to export from Odoo.\n" }];
  if (connection.mode === "db_per_tenant") {
    const dump = await odooClient().db.dump(odooSettings().masterPassword, connection.database, "zip");
    return [{ name: `odoo/${connection.database}.zip`, body: dump }];
  }
  // A shared database: the company's own records (its company, partners and leads), not the database.
  const { admin } = await adminSessionFor(tenantId);
  const companyId = connection.companyId ?? 0;
  const company = await admin.read("res.company", [companyId]);
  const partners = await admin.searchRead("res.partner", [["company_id", "=", companyId]], { context: { active_test: false } });
  const leads = await admin.searchRead("crm.lead", [["company_id", "=", companyId]], { context: { active_test: false } });
  return [{ name: "odoo/company.json", body: `${JSON.stringify({ company, partners, leads }, null, 2)}\n` }];
}

/** Step export_data: the archive (once per operation), then the tenant closes and its grace period starts. */
export async function exportTenantData(ctx: DecommissionContext): Promise<string> {
  const existing = await operationFile(ctx.operationId, "export");
  const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId } });
  let summary = existing ? `export ${existing.filename} kept from the earlier attempt` : "";
  if (!existing) {
    const files: ArchiveFile[] = [{ name: "tenant.json", body: `${JSON.stringify(tenant, null, 2)}\n` }];
    const tables = (await tenantTables()).filter((t) => !UNEXPORTED_TABLES.includes(t));
    for (const table of tables) {
      const rows = await platformDb.$queryRawUnsafe<Array<Record<string, unknown>>>(
        `SELECT * FROM ${quoteIdent(table)} WHERE tenant_id = $1::uuid`,
        ctx.tenantId,
      );
      files.push({ name: `tables/${table}.csv`, body: tableCsv(rows.map(exportable)) });
    }
    const archive = await archiveTar([...files, ...(await odooExport(ctx.tenantId))]);
    const filename = `export-${tenant.slug}-${new Date().toISOString().slice(0, 10)}.tar`;
    await storeTenantFile({
      tenantId: ctx.tenantId,
      operationId: ctx.operationId,
      kind: "export",
      filename,
      contentType: "application/x-tar",
      content: archive,
    });
    summary = `export ${filename} (${tables.length} tables, ${archive.length} bytes)`;
  }
  const purgeAfter = new Date(Date.now() + env().DECOMMISSION_GRACE_DAYS * 86_400_000);
  // The grace period starts once; a re-run keeps the date the operator was told.
  await platformDb.tenant.updateMany({ where: { id: ctx.tenantId, purgeAfter: null }, data: { purgeAfter } });
  await platformDb.tenant.update({ where: { id: ctx.tenantId }, data: { status: "decommissioning" } });
  const after = (await platformDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { purgeAfter: true } })).purgeAfter!;
  await recordAudit(ctx.tenantId, ctx.actor, "tenant.decommissioning", tenant.slug, { operationId: ctx.operationId, purgeAfter: after.toISOString() });
  return `${summary}; workspace closed, its data is purged after ${after.toISOString()}`;
}

/** Step await_grace_period: when the data may go, or null when it may go now. */
export async function graceEndsAt(tenantId: string): Promise<Date | null> {
  const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { purgeAfter: true } });
  return tenant.purgeAfter && tenant.purgeAfter.getTime() > Date.now() ? tenant.purgeAfter : null;
}

/** Step remove_odoo: drop its database, or archive its company in the shared one (Odoo keeps records a company's other data points to). */
export async function removeTenantOdoo(ctx: DecommissionContext): Promise<string> {
  const connection = await platformDb.odooConnection.findUnique({ where: { tenantId: ctx.tenantId } });
  if (!connection) return "no Odoo connection: nothing to remove";
  let outcome: string;
  if (connection.mode === "db_per_tenant") {
    const dropped = await odooClient().db.drop(odooSettings().masterPassword, connection.database);
    outcome = dropped ? `Odoo database ${connection.database} dropped` : `Odoo database ${connection.database} was already gone`;
  } else {
    const { admin } = await adminSessionFor(ctx.tenantId);
    if (connection.userId) await admin.write("res.users", [connection.userId], { active: false });
    await admin.write("res.company", [connection.companyId ?? 0], { active: false });
    outcome = `Odoo company ${connection.companyId} and its integration user archived`;
  }
  await platformDb.tenantOperation.update({ where: { id: ctx.operationId }, data: { payload: await withPayload(ctx.operationId, { odoo: outcome }) } });
  return outcome;
}

async function withPayload(operationId: string, extra: Record<string, unknown>): Promise<Prisma.InputJsonObject> {
  const { payload } = await platformDb.tenantOperation.findUniqueOrThrow({ where: { id: operationId }, select: { payload: true } });
  return { ...(payload as Record<string, unknown>), ...extra } as Prisma.InputJsonObject;
}

/** Step purge_rows: its analytics login, then every tenant table but the retained ones, children first, in one transaction with the counts. */
export async function purgeTenantRows(ctx: DecommissionContext): Promise<string> {
  const order = purgeOrder(purgeableTables(await tenantTables()), await foreignKeys());
  const counts: PurgeCounts = {};
  await platformDb.$transaction(
    async (tx) => {
      await dropTenantAnalyticsRole(tx, ctx.tenantId);
      for (const table of order) counts[table] = await tx.$executeRawUnsafe(`DELETE FROM ${quoteIdent(table)} WHERE tenant_id = $1::uuid`, ctx.tenantId);
      // Its Odoo backups go with it; the export and the receipt stay.
      counts["tenant_files (backups)"] = (await tx.tenantFile.deleteMany({ where: { tenantId: ctx.tenantId, kind: "backup" } })).count;
      const { payload } = await tx.tenantOperation.findUniqueOrThrow({ where: { id: ctx.operationId }, select: { payload: true } });
      await tx.tenantOperation.update({
        where: { id: ctx.operationId },
        data: { payload: { ...(payload as Record<string, unknown>), counts, purgedAt: new Date().toISOString() } as Prisma.InputJsonObject },
      });
    },
    { timeout: 600_000 },
  );
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${total} rows deleted from ${order.length} tables`;
}

/** Step write_receipt: the receipt file, then the tenant is decommissioned. */
export async function writeDeletionReceipt(ctx: DecommissionContext): Promise<string> {
  const operation = await platformDb.tenantOperation.findUniqueOrThrow({ where: { id: ctx.operationId } });
  const payload = operation.payload as { counts?: PurgeCounts; purgedAt?: string; odoo?: string };
  const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { id: true, slug: true, name: true } });
  const exported = await platformDb.tenantFile.findUnique({ where: { operationId_kind: { operationId: ctx.operationId, kind: "export" } } });
  const receipt = deletionReceipt({
    tenant,
    requestedBy: operation.actorEmail ?? operation.actorSub ?? "system",
    requestedAt: operation.createdAt.toISOString(),
    purgedAt: payload.purgedAt ?? new Date().toISOString(),
    odoo: payload.odoo ?? "no Odoo connection",
    counts: payload.counts ?? {},
    export: exported
      ? { filename: exported.filename, sizeBytes: exported.sizeBytes, sha256: createHash("sha256").update(exported.content).digest("hex") }
      : null,
  });
  const filename = `deletion-receipt-${tenant.slug}.json`;
  await storeTenantFile({
    tenantId: ctx.tenantId,
    operationId: ctx.operationId,
    kind: "receipt",
    filename,
    contentType: "application/json",
    content: Buffer.from(`${JSON.stringify(receipt, null, 2)}\n`),
  });
  await platformDb.tenant.update({ where: { id: ctx.tenantId }, data: { status: "decommissioned" } });
  await recordAudit(ctx.tenantId, ctx.actor, "tenant.decommissioned", tenant.slug, { operationId: ctx.operationId, rows: receipt.rows_deleted_total });
  await emitPlatformEvent(ctx.tenantId, "tenant.decommissioned", `tenant.decommissioned:${ctx.operationId}`, {
    operation_id: ctx.operationId,
    slug: tenant.slug,
    rows_deleted: receipt.rows_deleted_total,
    receipt: filename,
  });
  return `receipt ${filename}: ${receipt.rows_deleted_total} rows deleted`;
}

export type DecommissionCancelResult = { ok: true; status: string } | { ok: false; reason: string };

/**
 * Stops a decommission while it waits out its grace period: the operation
 * ends `cancelled` and the workspace reopens as it was before (its export
 * stays downloadable). Once the grace period is over, or the Odoo side is
 * already being removed, nothing can be stopped. One statement decides, so a
 * job waking at the same moment either finds the operation cancelled or the
 * cancellation finds it started.
 */
export async function cancelDecommission(tenantId: string, actor: Actor): Promise<DecommissionCancelResult> {
  const cancelled = await platformDb.$queryRaw<Array<{ id: string; status_before: string | null }>>`
    UPDATE tenant_operations o SET status = 'cancelled', finished_at = now(),
      logs = o.logs || jsonb_build_array(jsonb_build_object('at', now(), 'level', 'info', 'step', NULL,
        'message', 'cancelled during the grace period by ' || ${actor.email ?? actor.sub}::text))
    FROM tenants t
    WHERE o.tenant_id = ${tenantId}::uuid AND t.id = o.tenant_id AND o.type = 'decommission' AND o.status = 'queued'
      AND o.steps_done = ARRAY['export_data']::text[] AND t.purge_after > now()
    RETURNING o.id, o.payload->>'statusBefore' AS status_before`;
  const operation = cancelled[0];
  if (!operation) {
    const tenant = await platformDb.tenant.findUnique({ where: { id: tenantId }, select: { status: true, purgeAfter: true } });
    if (tenant?.status !== "decommissioning") return { ok: false, reason: "The workspace is not being decommissioned." };
    return {
      ok: false,
      reason: "The grace period is over and the deletion has begun: it can no longer be cancelled. The export stays downloadable.",
    };
  }
  const status = operation.status_before === "paused" ? "paused" : "active";
  await platformDb.tenant.update({ where: { id: tenantId }, data: { status, purgeAfter: null } });
  // Its job would find the operation cancelled and do nothing; removing it keeps the queue honest.
  await platformDb.$executeRaw`SELECT graphile_worker.remove_job(${operationJobKey(operation.id)})`;
  await recordAudit(tenantId, actor, "tenant.decommission_cancelled", null, { operationId: operation.id, status });
  return { ok: true, status };
}
