import { platformDb } from "~/db.server";

/**
 * The lifecycle's files (exports, deletion receipts, Odoo backups), stored in
 * the platform database: every web and worker process serves them without a
 * shared disk, and one file per operation and kind lets a re-run step find
 * what it stored before instead of storing it twice.
 */
export type TenantFileKind = "export" | "receipt" | "backup";

export async function storeTenantFile(input: {
  tenantId: string;
  operationId: string;
  kind: TenantFileKind;
  filename: string;
  contentType: string;
  content: Buffer;
}): Promise<{ id: string }> {
  return platformDb.tenantFile.upsert({
    where: { operationId_kind: { operationId: input.operationId, kind: input.kind } },
    create: { ...input, content: new Uint8Array(input.content), sizeBytes: input.content.length },
    update: {},
    select: { id: true },
  });
}

export async function operationFile(operationId: string, kind: TenantFileKind) {
  return platformDb.tenantFile.findUnique({ where: { operationId_kind: { operationId, kind } }, select: fileSummary });
}

export const fileSummary = { id: true, kind: true, filename: true, sizeBytes: true, createdAt: true, operationId: true } as const;

/** A tenant's files of the given kinds, newest first (without their content). */
export async function tenantFiles(tenantId: string, kinds: TenantFileKind[]) {
  return platformDb.tenantFile.findMany({ where: { tenantId, kind: { in: kinds } }, orderBy: { createdAt: "desc" }, select: fileSummary, take: 100 });
}

/** The file as a download, or null when it is not this tenant's. */
export async function tenantFileResponse(tenantId: string, fileId: string): Promise<Response | null> {
  const file = await platformDb.tenantFile.findFirst({ where: { id: fileId, tenantId } });
  if (!file) return null;
  return new Response(file.content, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Content-Length": String(file.sizeBytes),
      "Cache-Control": "no-store",
    },
  });
}
