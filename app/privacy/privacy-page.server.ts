import { redirect } from "@remix-run/node";
import { z } from "zod";
import { recordAudit, type Actor } from "~/audit.server";
import { type TenantSummary } from "~/auth/guards.server";
import { erasureReceipt, erasureRequest, NothingToEraseError, recentErasures, requestErasure, type ErasureView } from "./erasure.server";
import { archiveFilename, archiveFiles, archiveTar } from "./subject-archive.server";
import { parseSubjectQuery } from "./subject-query";
import { recordCounts, searchDataSubject, type SubjectRecords } from "./subject-search.server";

/**
 * The data-subject requests page, shared by a workspace's admins
 * (/app/privacy) and the platform's operators (/admin/tenants/:id/privacy):
 * the search by ?q=, the person's records, the erasure under way (?erasure=)
 * and the recent ones; the archive and the receipts are downloads beside it.
 */
export type PrivacyPageData = {
  q: string;
  error: string | null;
  records: SubjectRecords | null;
  counts: Record<string, number> | null;
  erasure: ErasureView | null;
  erasures: ErasureView[];
};

export async function privacyPageData(tenantId: string, url: URL): Promise<PrivacyPageData> {
  const q = url.searchParams.get("q") ?? "";
  const erasureId = z.uuid().safeParse(url.searchParams.get("erasure"));
  const [erasure, erasures] = await Promise.all([erasureId.success ? erasureRequest(tenantId, erasureId.data) : null, recentErasures(tenantId)]);
  if (!q.trim()) return { q, error: null, records: null, counts: null, erasure, erasures };
  const parsed = parseSubjectQuery(q);
  if (!parsed.ok) return { q, error: parsed.reason, records: null, counts: null, erasure, erasures };
  const records = await searchDataSubject(tenantId, parsed.query);
  return { q, error: null, records, counts: recordCounts(records), erasure, erasures };
}

const EraseForm = z.object({ intent: z.literal("erase"), q: z.string().max(300), confirm: z.literal("erase") });

export type PrivacyActionResult = { ok: false; message: string };

/** Erase: a confirmed request for the person of `q` is stored and its job queued; the page then follows the erasure. */
export async function privacyAction(request: Request, tenantId: string, actor: Actor, basePath: string): Promise<PrivacyActionResult> {
  const form = EraseForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { ok: false, message: "Tick the confirmation to erase this person's data." };
  const parsed = parseSubjectQuery(form.data.q);
  if (!parsed.ok) return { ok: false, message: parsed.reason };
  try {
    const { id } = await requestErasure(tenantId, actor, parsed.query);
    throw redirect(`${basePath}?${new URLSearchParams({ q: form.data.q, erasure: id })}`);
  } catch (error) {
    if (error instanceof NothingToEraseError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The access-request archive for `q` as a download, audited with what it held. */
export async function archiveResponse(tenant: TenantSummary, actor: Actor, q: string): Promise<Response> {
  const parsed = parseSubjectQuery(q);
  if (!parsed.ok) return Response.json({ error: "invalid_query", message: parsed.reason }, { status: 400 });
  const records = await searchDataSubject(tenant.id, parsed.query);
  const exportedAt = new Date();
  const body = await archiveTar(archiveFiles(records, { tenantSlug: tenant.slug, exportedAt, exportedBy: actor.email ?? actor.sub }));
  await recordAudit(tenant.id, actor, "privacy.exported", null, { subject: parsed.query.value, counts: recordCounts(records) });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/x-tar",
      "Content-Disposition": `attachment; filename="${archiveFilename(tenant.slug, exportedAt)}"`,
      "Content-Length": String(body.length),
      "Cache-Control": "no-store",
    },
  });
}

export async function receiptResponse(tenantId: string, id: string | undefined): Promise<Response> {
  const parsed = z.uuid().safeParse(id);
  const receipt = parsed.success ? await erasureReceipt(tenantId, parsed.data) : null;
  if (!receipt) return Response.json({ error: "not_found", message: "No finished erasure with this id" }, { status: 404 });
  return new Response(`${JSON.stringify(receipt, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="erasure-receipt-${parsed.data}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
