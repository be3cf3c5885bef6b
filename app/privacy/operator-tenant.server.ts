import { z } from "zod";
import { type TenantSummary } from "~/auth/guards.server";
import { platformDb } from "~/db.server";
import { invariantFound } from "~/http.server";

/** The workspace an operator's privacy page is about (404 for an unknown id). */
export async function operatorTenant(id: string | undefined): Promise<TenantSummary> {
  const parsed = z.uuid().safeParse(id);
  const tenant = parsed.success
    ? await platformDb.tenant.findUnique({ where: { id: parsed.data }, select: { id: true, slug: true, name: true, status: true } })
    : null;
  invariantFound(tenant, "No such tenant");
  return tenant;
}
