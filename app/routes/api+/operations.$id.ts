import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { apiError } from "~/http.server";
import { runbookPath } from "~/support/runbooks";
import { operationDetail } from "~/tenants/operations.server";

/** GET /api/operations/:id: one operation with its steps done, log, and for a failed one the step and its runbook. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  const operation = id.success ? await operationDetail(id.data) : null;
  if (!operation) return apiError(404, "not_found", "No such operation");
  return Response.json(
    { ...operation, runbook: operation.failedStep ? runbookPath(operation.failedStep) : null },
    { headers: { "Cache-Control": "no-store" } },
  );
}
