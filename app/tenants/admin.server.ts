import { platformDb } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";

import { TENANT_STATUSES } from "./lifecycle";

/** Control-plane reads across tenants (platform client by design). */
export const TENANTS_PER_PAGE = 20;

export async function listTenants(input: { q?: string; status?: string; page: number }) {
  const where: Prisma.TenantWhereInput = {
    ...(input.q ? { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { slug: { contains: input.q.toLowerCase() } }] } : {}),
    ...(input.status && (TENANT_STATUSES as readonly string[]).includes(input.status) ? { status: input.status } : {}),
  };
  const [total, tenants] = await Promise.all([
    platformDb.tenant.count({ where }),
    platformDb.tenant.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (input.page - 1) * TENANTS_PER_PAGE,
      take: TENANTS_PER_PAGE,
      select: {
        id: true,
        slug: true,
        name: true,
        status: true,
        createdAt: true,
        onboardingStatus: { select: { status: true, phase: true } },
        odooConnection: { select: { mode: true } },
      },
    }),
  ]);
  return { total, pages: Math.max(1, Math.ceil(total / TENANTS_PER_PAGE)), tenants };
}

/** Billing's view of the tenants: name, status and plan only (no Odoo, members or audit). */
export async function listTenantPlans(page: number) {
  const [total, tenants, plans] = await Promise.all([
    platformDb.tenant.count(),
    platformDb.tenant.findMany({
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * TENANTS_PER_PAGE,
      take: TENANTS_PER_PAGE,
      select: { id: true, slug: true, name: true, status: true, plan: true, createdAt: true },
    }),
    platformDb.tenant.groupBy({ by: ["plan"], _count: { _all: true }, orderBy: { plan: "asc" } }),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / TENANTS_PER_PAGE)),
    tenants,
    plans: plans.map((p) => ({ plan: p.plan, tenants: p._count._all })),
  };
}

export async function tenantDetail(id: string, auditPage: number) {
  const tenant = await platformDb.tenant.findUnique({
    where: { id },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      plan: true,
      ownerSub: true,
      createdAt: true,
      onboardingStatus: true,
      odooConnection: {
        select: { baseUrl: true, database: true, mode: true, companyId: true, login: true, lastVerifiedAt: true, updatedAt: true },
      },
      _count: { select: { members: true } },
    },
  });
  if (!tenant) return null;
  const auditPerPage = 25;
  const [auditTotal, audit] = await Promise.all([
    platformDb.auditLog.count({ where: { tenantId: id } }),
    platformDb.auditLog.findMany({
      where: { tenantId: id },
      orderBy: { createdAt: "desc" },
      skip: (auditPage - 1) * auditPerPage,
      take: auditPerPage,
      select: { id: true, action: true, target: true, actorEmail: true, actorSub: true, details: true, createdAt: true },
    }),
  ]);
  return { tenant, audit, auditPages: Math.max(1, Math.ceil(auditTotal / auditPerPage)) };
}

export async function setTenantPaused(id: string, paused: boolean) {
  const tenant = await platformDb.tenant.findUnique({ where: { id }, select: { status: true } });
  if (!tenant) return null;
  if (paused && tenant.status !== "active") return { changed: false, reason: `Only an active workspace can be paused (this one is ${tenant.status})` };
  if (!paused && tenant.status !== "paused") return { changed: false, reason: "This workspace is not paused" };
  await platformDb.tenant.update({ where: { id }, data: { status: paused ? "paused" : "active" } });
  return { changed: true };
}

/** Workspaces for the development tenant selector (only shown under ALLOW_DEV_BYPASS). */
export async function tenantChoices() {
  return platformDb.tenant.findMany({
    where: { status: { not: "decommissioned" } },
    orderBy: { name: "asc" },
    take: 100,
    select: { slug: true, name: true },
  });
}
