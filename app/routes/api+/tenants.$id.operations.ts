import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { apiError } from "~/http.server";
import { upgradeRefusal } from "~/infra/image-upgrade.server";
import { OPERATION_TYPES, PLANNED_OPERATION_TYPES } from "~/tenants/operations";
import { requestOperation } from "~/tenants/operations.server";
import { formatZodIssues } from "~/utils/zod-issues";

const OperationBody = z.object({ type: z.string().min(1).max(40), params: z.record(z.string(), z.unknown()).optional() }).strict();

/**
 * POST /api/tenants/:id/operations `{ type, params? }`: queues a lifecycle
 * operation (202 `{ operation_id }`); 409 when the workspace's state does not
 * allow it or another operation is under way; 400 for a type not built yet.
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
  if ((PLANNED_OPERATION_TYPES as readonly string[]).includes(type)) {
    return apiError(400, "not_available_yet", `${type} is not available yet: the control plane runs ${OPERATION_TYPES.join(", ")} for now.`, {
      reason: "not_built",
    });
  }
  const known = z.enum(OPERATION_TYPES).safeParse(type);
  if (!known.success) return apiError(400, "invalid_body", `type: one of ${[...OPERATION_TYPES, ...PLANNED_OPERATION_TYPES].join(", ")}`);
  if (known.data === "upgrade_image") {
    const refused = await upgradeRefusal(body.data.params?.templateId);
    if (refused) return apiError(400, "invalid_body", refused, { reason: "untested_or_unknown_image" });
  }
  const result = await requestOperation(id.data, {
    type: known.data,
    source: "api",
    actor: { sub: viewer.sub, email: viewer.email },
    payload: body.data.params ? { params: body.data.params } : undefined,
  });
  if (!result.ok) return apiError(result.status, result.status === 404 ? "not_found" : "conflict", result.reason);
  return Response.json({ operation_id: result.operationId, status: "queued" }, { status: 202, headers: { "Cache-Control": "no-store" } });
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST");
}
