import { platformDb } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";

import { TENANT_STATUSES } from "./lifecycle";
import { tenantOrder, type TenantSort } from "./tenant-list";

/** Control-plane reads across tenants (platform client by design). */
export const TENANTS_PER_PAGE = 20;

export type TenantListQuery = {
  q?: string;
  status?: string;
  plan?: string;
  region?: string;
  agencyGroup?: string;
  sort?: TenantSort;
  page: number;
  perPage?: number;
  /** Rows to skip, for the API (the pages use `page`). */
  offset?: number;
};

/** The tenants list and GET /api/tenants: search by name or slug, filters, a sort, one page. */
export async function listTenants(input: TenantListQuery) {
  const perPage = input.perPage ?? TENANTS_PER_PAGE;
  const where: Prisma.TenantWhereInput = {
    ...(input.q ? { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { slug: { contains: input.q.toLowerCase() } }] } : {}),
    ...(input.status && (TENANT_STATUSES as readonly string[]).includes(input.status) ? { status: input.status } : {}),
    ...(input.plan ? { plan: input.plan } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.agencyGroup ? { agencyGroup: input.agencyGroup } : {}),
  };
  const sort = tenantOrder(input.sort ?? "-created");
  const [total, tenants] = await Promise.all([
    platformDb.tenant.count({ where }),
    platformDb.tenant.findMany({
      where,
      orderBy: [{ [sort.field]: sort.direction }, { id: "asc" }],
      skip: input.offset ?? (input.page - 1) * perPage,
      take: perPage,
      select: {
        id: true,
        slug: true,
        name: true,
        status: true,
        plan: true,
        region: true,
        agencyGroup: true,
        createdAt: true,
        onboardingStatus: { select: { status: true, phase: true } },
        odooConnection: { select: { mode: true } },
      },
    }),
  ]);
  return { total, pages: Math.max(1, Math.ceil(total / perPage)), tenants };
}

/** The values the list's plan, region and agency group filters offer: those the tenants have. */
export async function tenantFilterChoices() {
  const [plans, regions, groups] = await Promise.all([
    platformDb.tenant.findMany({ distinct: ["plan"], select: { plan: true }, orderBy: { plan: "asc" } }),
    platformDb.tenant.findMany({ distinct: ["region"], where: { region: { not: null } }, select: { region: true }, orderBy: { region: "asc" } }),
    platformDb.tenant.findMany({
      distinct: ["agencyGroup"],
      where: { agencyGroup: { not: null } },
      select: { agencyGroup: true },
      orderBy: { agencyGroup: "asc" },
    }),
  ]);
  return { plans: plans.map((p) => p.plan), regions: regions.map((r) => r.region!), agencyGroups: groups.map((g) => g.agencyGroup!) };
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

/** Logs in one view are capped by a date range and a count: at most this many events of each kind. */
export const LOG_EVENTS_CAP = 500;
const DEFAULT_LOG_DAYS = 7;

export type LogRange = { from: Date; to: Date };

/** The Logs tab's range from `from`/`to` (YYYY-MM-DD, `to` inclusive); the last 7 days by default. */
export function logRange(url: URL, now = new Date()): LogRange {
  const day = (name: string) => {
    const value = url.searchParams.get(name);
    const parsed = value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
    return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
  };
  const toDay = day("to");
  const to = toDay ? new Date(toDay.getTime() + 86_400_000) : now;
  const from = day("from") ?? new Date(to.getTime() - DEFAULT_LOG_DAYS * 86_400_000);
  return from < to ? { from, to } : { from: to, to: from };
}

/** A tenant's audit log and operations in a date range, newest first, each capped at LOG_EVENTS_CAP. */
export async function tenantLogs(id: string, range: LogRange) {
  const createdAt = { gte: range.from, lt: range.to };
  const [audit, operations] = await Promise.all([
    platformDb.auditLog.findMany({
      where: { tenantId: id, createdAt },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: LOG_EVENTS_CAP + 1,
      select: { id: true, action: true, target: true, actorEmail: true, actorSub: true, details: true, createdAt: true },
    }),
    platformDb.tenantOperation.findMany({
      where: { tenantId: id, createdAt },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: LOG_EVENTS_CAP + 1,
      select: { id: true, type: true, status: true, triggerSource: true, actorEmail: true, failedStep: true, error: true, createdAt: true, finishedAt: true },
    }),
  ]);
  return {
    audit: audit.slice(0, LOG_EVENTS_CAP),
    operations: operations.slice(0, LOG_EVENTS_CAP),
    capped: audit.length > LOG_EVENTS_CAP || operations.length > LOG_EVENTS_CAP,
  };
}

export async function tenantDetail(id: string) {
  const tenant = await platformDb.tenant.findUnique({
    where: { id },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      plan: true,
      region: true,
      agencyGroup: true,
      bundleCode: true,
      odooMode: true,
      sizeProfile: true,
      ssoMode: true,
      purgeAfter: true,
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
  // The operation that put the workspace in error, with its step and log, for the operator to act on.
  const failedOperation =
    tenant.status === "error"
      ? await platformDb.tenantOperation.findFirst({
          where: { tenantId: id, status: "failed" },
          orderBy: { createdAt: "desc" },
          select: { id: true, type: true, failedStep: true, error: true, finishedAt: true, logs: true },
        })
      : null;
  return { tenant, failedOperation };
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
