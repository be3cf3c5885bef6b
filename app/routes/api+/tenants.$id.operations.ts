import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { requestBundleApply } from "~/catalog/bundles.server";
import { apiError } from "~/http.server";
import { upgradeRefusal } from "~/infra/image-upgrade.server";
import { backupRefusal } from "~/tenants/odoo-backups.server";
import { OWNER_OPERATION_TYPES } from "~/tenants/operations";
import { requestOperation } from "~/tenants/operations.server";
import { formatZodIssues } from "~/utils/zod-issues";

const OperationBody = z.object({ type: z.string().min(1).max(40), params: z.record(z.string(), z.unknown()).optional() }).strict();

/** What this endpoint runs; `create` goes through POST /api/tenants, which stores the tenant first. */
const API_OPERATION_TYPES = ["pause", "resume", "rebuild", "module_apply", "upgrade_image", "decommission", "backup", "restore"] as const;
const RestoreParams = z.object({ backup_id: z.uuid() });
/** module_apply's params: the bundle and, to apply another than its current one, the version. */
const ModuleApplyParams = z.object({ bundle: z.string().min(1).max(40), version: z.number().int().positive().optional() }).strict();

/**
 * POST /api/tenants/:id/operations `{ type, params? }`: queues a lifecycle
 * operation (202 `{ operation_id }`); 409 when the workspace's state does not
 * allow it or another operation is under way; 400 for an unknown type.
 * Decommission is for platform owners only; restore takes `params.backup_id`;
 * upgrade_image takes `params.templateId`, a tested infra template (400 otherwise);
 * module_apply takes `params: { bundle, version? }` and plans the install and
 * remove lists against the tenant's Odoo now (400 when Odoo cannot be read).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST");
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) return apiError(404, "not_found", "No such tenant");
  let raw: unknown;
  try {
    raw = JSON.parse(await request.text());
  } catch {
    return apiError(400, "invalid_json", "The body is not JSON");
  }
  const body = OperationBody.safeParse(raw);
  if (!body.success) return apiError(400, "invalid_body", formatZodIssues(body.error, "(body)"));
  const { type } = body.data;
  const known = z.enum(API_OPERATION_TYPES).safeParse(type);
  if (!known.success) return apiError(400, "invalid_body", `type: one of ${API_OPERATION_TYPES.join(", ")}`);
  if (OWNER_OPERATION_TYPES.includes(known.data)) requireRole(request, viewer, ["platform_owner"]);
  const actor = { sub: viewer.sub, email: viewer.email };
  let payload: Record<string, unknown> | undefined = body.data.params ? { params: body.data.params } : undefined;
  if (known.data === "module_apply") {
    const apply = ModuleApplyParams.safeParse(body.data.params ?? {});
    if (!apply.success) return apiError(400, "invalid_body", formatZodIssues(apply.error, "params"));
    const applied = await requestBundleApply(id.data, { ...apply.data, source: "api", actor });
    if (!applied.ok) return apiError(applied.status, { 400: "invalid_request", 404: "not_found", 409: "conflict" }[applied.status], applied.reason);
    return Response.json({ operation_id: applied.operationId, status: "queued" }, { status: 202, headers: { "Cache-Control": "no-store" } });
  }
  if (known.data === "restore") {
    const restore = RestoreParams.safeParse(body.data.params ?? {});
    if (!restore.success) return apiError(400, "invalid_body", formatZodIssues(restore.error, "params"));
    payload = { backupId: restore.data.backup_id };
  }
  if (known.data === "upgrade_image") {
    const refused = await upgradeRefusal(body.data.params?.templateId);
    if (refused) return apiError(400, "invalid_body", refused, { reason: "untested_or_unknown_image" });
  }
  if (known.data === "backup" || known.data === "restore") {
    const refused = await backupRefusal(id.data);
    if (refused) return apiError(409, "conflict", refused);
  }
  const result = await requestOperation(id.data, { type: known.data, source: "api", actor, payload });
  if (!result.ok) return apiError(result.status, result.status === 404 ? "not_found" : "conflict", result.reason);
  return Response.json({ operation_id: result.operationId, status: "queued" }, { status: 202, headers: { "Cache-Control": "no-store" } });
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
