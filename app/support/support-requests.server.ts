import { recordAudit, type Actor } from "~/audit.server";
import { db, platformDb } from "~/db.server";
import { mayMoveTo, SUPPORT_STATUSES, type SupportHandlingInput, type SupportRequestInput, type SupportStatus } from "./support-requests";

/**
 * Support requests: a workspace files and reads its own through the
 * RLS-bound client (its admin's portal); the operators' queue reads and
 * handles every tenant's through the platform client. Every filing and every
 * change of status is in the tenant's audit log.
 */
const SUPPORT_PAGE_SIZE = 20;

const listed = {
  id: true,
  subject: true,
  category: true,
  severity: true,
  body: true,
  status: true,
  requestedByEmail: true,
  reply: true,
  createdAt: true,
  updatedAt: true,
  resolvedAt: true,
} as const;

export async function fileSupportRequest(tenantId: string, input: SupportRequestInput, actor: Actor): Promise<string> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const row = await tx.supportRequest.create({
        data: { ...input, requestedBySub: actor.sub, requestedByEmail: actor.email ?? null },
        select: { id: true },
      });
      await recordAudit(tenantId, actor, "support.request_filed", input.subject, { requestId: row.id, category: input.category, severity: input.severity }, tx);
      return row.id;
    },
    { actor },
  );
}

/** The workspace's own requests, newest first, a page at a time. */
export async function tenantSupportRequests(tenantId: string, page: number) {
  return db.$withTenant(tenantId, async (tx) => {
    // One connection: the two statements run one after the other.
    const total = await tx.supportRequest.count();
    const requests = await tx.supportRequest.findMany({
      select: listed,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * SUPPORT_PAGE_SIZE,
      take: SUPPORT_PAGE_SIZE,
    });
    return { requests, total, pages: Math.max(1, Math.ceil(total / SUPPORT_PAGE_SIZE)) };
  });
}

export function isSupportStatus(value: string | null): value is SupportStatus {
  return (SUPPORT_STATUSES as readonly string[]).includes(value ?? "");
}

/**
 * The operators' queue across every tenant (or one tenant's, for its detail
 * page): the platform client, deliberately, since handling requests is the
 * operators' cross-tenant work. Unresolved first when no status is asked for.
 */
export async function unsafeAllSupportRequests(filter: { status?: SupportStatus; tenantId?: string }, page: number) {
  const where = { ...(filter.status ? { status: filter.status } : {}), ...(filter.tenantId ? { tenantId: filter.tenantId } : {}) };
  const [total, requests, open] = await Promise.all([
    platformDb.supportRequest.count({ where }),
    platformDb.supportRequest.findMany({
      where,
      select: { ...listed, tenant: { select: { id: true, slug: true, name: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * SUPPORT_PAGE_SIZE,
      take: SUPPORT_PAGE_SIZE,
    }),
    platformDb.supportRequest.count({ where: { ...where, status: { not: "resolved" } } }),
  ]);
  return { requests, total, open, pages: Math.max(1, Math.ceil(total / SUPPORT_PAGE_SIZE)) };
}

export type HandlingResult = { ok: true; status: SupportStatus } | { ok: false; reason: string };

/**
 * Moves a request on and records the reply. The update is conditional on the
 * status it moves from, so two operators handling one request at once cannot
 * both move it (the second is told it changed).
 */
export async function handleSupportRequest(input: SupportHandlingInput, actor: Actor): Promise<HandlingResult> {
  const current = await platformDb.supportRequest.findUnique({
    where: { tenantId_id: { tenantId: input.tenantId, id: input.requestId } },
    select: { status: true, subject: true },
  });
  if (!current) return { ok: false, reason: "No such request" };
  if (!mayMoveTo(current.status, input.status))
    return { ok: false, reason: `The request is ${current.status.replace("_", " ")}: it cannot become ${input.status.replace("_", " ")}` };
  const { count } = await platformDb.supportRequest.updateMany({
    where: { tenantId: input.tenantId, id: input.requestId, status: current.status },
    data: {
      status: input.status,
      ...(input.reply ? { reply: input.reply } : {}),
      handledByEmail: actor.email ?? actor.sub,
      ...(input.status === "resolved" ? { resolvedAt: new Date() } : {}),
    },
  });
  if (count === 0) return { ok: false, reason: "Someone else handled the request meanwhile; reload to see it" };
  await recordAudit(input.tenantId, actor, "support.request_handled", current.subject, {
    requestId: input.requestId,
    from: current.status,
    to: input.status,
    replied: Boolean(input.reply),
  });
  return { ok: true, status: input.status };
}
