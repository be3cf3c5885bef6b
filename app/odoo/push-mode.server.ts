import { z } from "zod";
import { recordAudit, type Actor } from "~/audit.server";
import { db, type TenantTx } from "~/db.server";

/**
 * When a tenant's leads reach Odoo: `after_run` pushes when a run finishes;
 * `on_approval` writes nothing until an operator approves the run.
 */
export const PUSH_MODES = ["after_run", "on_approval"] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export async function pushModeOf(tenantId: string, tx?: TenantTx): Promise<PushMode> {
  const read = (t: TenantTx) => t.tenantSettings.findUnique({ where: { tenantId }, select: { odooPushMode: true } });
  const row = tx ? await read(tx) : await db.$withTenant(tenantId, read);
  return z.enum(PUSH_MODES).catch("after_run").parse(row?.odooPushMode);
}

export async function setPushMode(tenantId: string, mode: PushMode, actor: Actor): Promise<void> {
  const parsed = z.enum(PUSH_MODES).parse(mode);
  await db.$withTenant(
    tenantId,
    async (tx) => {
      const data = { odooPushMode: parsed, updatedByEmail: actor.email ?? null, updatedAt: new Date() };
      await tx.tenantSettings.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
      await recordAudit(tenantId, actor, "settings.odoo_push_mode_changed", null, { mode: parsed }, tx);
    },
    { actor },
  );
}
