import { recordAudit, type Actor } from "~/audit.server";
import { db } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { invalidateShortlists } from "~/shortlist/shortlist-build.server";
import { SUPPRESSION_KINDS, type SuppressionKind, type SuppressionRow } from "./suppression";

/**
 * A tenant's suppression lists in `suppression_entries`. Values arrive here
 * already normalised (./suppression); the unique (tenant, kind, value) index
 * makes adding the same value twice a no-op. Every change is audited.
 */
export const SUPPRESSIONS_PER_PAGE = 25;

export type SuppressionEntryView = { id: string; kind: SuppressionKind; value: string; reason: string | null; createdByEmail: string | null; createdAt: Date };

export type SuppressionList = {
  entries: SuppressionEntryView[];
  total: number;
  pages: number;
  counts: Record<SuppressionKind, number>;
};

export async function listSuppressions(tenantId: string, options: { kind?: SuppressionKind; q?: string; page?: number } = {}): Promise<SuppressionList> {
  const page = Math.max(1, options.page ?? 1);
  const where = {
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.q ? { value: { contains: options.q.toLowerCase(), mode: "insensitive" as const } } : {}),
  };
  return db.$withTenant(tenantId, async (tx) => {
    const [entries, total, grouped] = await Promise.all([
      tx.suppressionEntry.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { value: "asc" }],
        skip: (page - 1) * SUPPRESSIONS_PER_PAGE,
        take: SUPPRESSIONS_PER_PAGE,
        select: { id: true, kind: true, value: true, reason: true, createdByEmail: true, createdAt: true },
      }),
      tx.suppressionEntry.count({ where }),
      tx.suppressionEntry.groupBy({ by: ["kind"], _count: { _all: true } }),
    ]);
    const counts = Object.fromEntries(SUPPRESSION_KINDS.map((k) => [k, grouped.find((g) => g.kind === k)?._count._all ?? 0])) as Record<
      SuppressionKind,
      number
    >;
    return { entries: entries as SuppressionEntryView[], total, pages: Math.max(1, Math.ceil(total / SUPPRESSIONS_PER_PAGE)), counts };
  });
}

export type AddResult = { added: number; alreadyListed: number };

/** Stores the rows (already validated); values on the list already are counted, not duplicated. */
export async function addSuppressions(
  tenantId: string,
  actor: Actor,
  rows: SuppressionRow[],
  source: "single" | "paste" | "csv" | "erasure",
): Promise<AddResult> {
  if (rows.length === 0) return { added: 0, alreadyListed: 0 };
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const created = await tx.suppressionEntry.createMany({
        data: rows.map((r) => ({ tenantId, kind: r.kind, value: r.value, reason: r.reason, createdByEmail: actor.email ?? null })),
        skipDuplicates: true,
      });
      // A suppressed UEN leaves every shortlist (and the ranks after it move up).
      if (created.count > 0 && rows.some((r) => r.kind === "uen")) await invalidateShortlists(tx);
      const byKind = Object.fromEntries(SUPPRESSION_KINDS.map((k) => [k, rows.filter((r) => r.kind === k).length]));
      await recordAudit(
        tenantId,
        actor,
        "suppression.added",
        null,
        { source, submitted: rows.length, added: created.count, byKind, values: rows.slice(0, 100).map((r) => `${r.kind}:${r.value}`) },
        tx,
      );
      // Odoo's own mailing must skip the addresses too: the job lists them on its mail.blacklist.
      if (rows.some((r) => r.kind === "email")) await enqueue("push_suppressions_to_odoo", { tenantId, removed: [] }, { tx });
      return { added: created.count, alreadyListed: rows.length - created.count };
    },
    { actor, timeout: 60_000 },
  );
}

/** Removes one entry; false when it does not exist (or belongs to another tenant, which RLS hides). */
export async function removeSuppression(tenantId: string, actor: Actor, id: string): Promise<SuppressionEntryView | null> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const [removed] = await tx.$queryRaw<SuppressionEntryView[]>`
        DELETE FROM suppression_entries WHERE id = ${id}::uuid
        RETURNING id, kind, value, reason, created_by_email AS "createdByEmail", created_at AS "createdAt"`;
      if (!removed) return null;
      await recordAudit(tenantId, actor, "suppression.removed", `suppression:${removed.id}`, { kind: removed.kind, value: removed.value }, tx);
      if (removed.kind === "email") await enqueue("push_suppressions_to_odoo", { tenantId, removed: [removed.value] }, { tx });
      if (removed.kind === "uen") await invalidateShortlists(tx);
      return removed;
    },
    { actor },
  );
}
