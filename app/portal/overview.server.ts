import { QUOTA_KEYS, QUOTAS } from "~/billing/quotas";
import { db, platformDb } from "~/db.server";

/**
 * The tenant portal's Overview: the workspace as its admin may see it, read
 * through the RLS-bound client in the workspace's own scope (its operations
 * through the platform client, narrowed to it). Operations are
 * listed by kind and outcome only: their payloads and logs are the
 * operators' (they can hold module lists, backup ids, Odoo errors).
 */
const RECENT_OPERATIONS = 10;

export async function portalOverview(tenantId: string) {
  // Operations are the control plane's records (the application role has no grant on them): read for this tenant only.
  const operations = await platformDb.tenantOperation.findMany({
    where: { tenantId },
    select: { id: true, type: true, status: true, triggerSource: true, failedStep: true, createdAt: true, finishedAt: true },
    orderBy: { createdAt: "desc" },
    take: RECENT_OPERATIONS,
  });
  return db.$withTenant(tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: {
        name: true,
        slug: true,
        status: true,
        region: true,
        plan: true,
        odooMode: true,
        createdAt: true,
        odooConnection: { select: { baseUrl: true, database: true, mode: true } },
      },
    });
    const plan = await tx.plan.findUnique({
      where: { code: tenant.plan },
      select: { name: true, description: true, runsPerDay: true, companiesPerMonth: true, seats: true, lakeSources: true, exportsPerMonth: true },
    });
    const members = await tx.tenantUser.findMany({ select: { roles: true } });
    const { odooConnection, ...workspace } = tenant;
    return {
      workspace,
      odoo: odooConnection
        ? {
            mode: odooConnection.mode,
            url: `${odooConnection.baseUrl.replace(/\/$/, "")}/web/login?db=${encodeURIComponent(odooConnection.database)}`,
          }
        : null,
      plan: {
        code: tenant.plan,
        name: plan?.name ?? tenant.plan,
        description: plan?.description ?? "",
        // The plan's limits, in the quotas' order; null is unlimited.
        limits: plan ? QUOTA_KEYS.map((key) => ({ key, label: QUOTAS[key].label, limit: plan[key] })) : [],
      },
      seats: {
        inUse: members.length,
        admins: members.filter((m) => m.roles.includes("admin")).length,
      },
      operations,
    };
  });
}
