import { type Actor, recordAudit } from "~/audit.server";
import { isTenantAdmin } from "~/auth/roles";
import { db } from "~/db.server";
import { type SettingsActionResult, type SettingsReply } from "~/settings/settings-action-result";
import { effectiveWindows, RETENTION_CLASSES, type RetentionClass, type RetentionWindow } from "./retention-windows";

/**
 * The Retention section of the settings page: each data class's window
 * (default and override) with its last finished sweep, and the admins'
 * overrides. Ops see it; only admins change it.
 */
export type RetentionClassView = RetentionWindow & {
  lastSweep: { finishedAt: Date; cutoff: Date; rowsDeleted: number; rowsCleared: number } | null;
};

export type RetentionSettings = { classes: RetentionClassView[]; lastSweepAt: Date | null };

export async function retentionSettings(tenantId: string): Promise<RetentionSettings> {
  return db.$withTenant(tenantId, async (tx) => {
    const overrides = await tx.retentionOverride.findMany({ select: { dataClass: true, days: true } });
    const sweeps = await tx.retentionSweep.findMany({
      where: { finishedAt: { not: null } },
      distinct: ["dataClass"],
      orderBy: [{ dataClass: "asc" }, { startedAt: "desc" }],
      select: { dataClass: true, finishedAt: true, cutoff: true, rowsDeleted: true, rowsCleared: true },
    });
    const classes = effectiveWindows(overrides).map((window) => {
      const sweep = sweeps.find((s) => s.dataClass === window.dataClass);
      return { ...window, lastSweep: sweep ? { ...sweep, finishedAt: sweep.finishedAt! } : null };
    });
    const finished = classes.flatMap((c) => (c.lastSweep ? [c.lastSweep.finishedAt.getTime()] : []));
    return { classes, lastSweepAt: finished.length ? new Date(Math.max(...finished)) : null };
  });
}

export type RetentionOverrides = Record<RetentionClass, number | null>;

/** Saves the admin's overrides (null: back to the default), audited with what changed; the next daily sweep applies them. */
export async function saveRetentionOverrides(
  tenantId: string,
  actor: Actor,
  roles: readonly string[],
  overrides: RetentionOverrides,
  submission: SettingsReply,
): Promise<SettingsActionResult> {
  if (!isTenantAdmin(roles)) throw new Response("Only a workspace admin changes the retention windows", { status: 403 });
  const changed = await db.$withTenant(tenantId, async (tx) => {
    const before = Object.fromEntries((await tx.retentionOverride.findMany({ select: { dataClass: true, days: true } })).map((o) => [o.dataClass, o.days]));
    const changes = RETENTION_CLASSES.filter((c) => (before[c] ?? null) !== overrides[c]);
    for (const dataClass of changes) {
      const days = overrides[dataClass];
      if (days === null) await tx.retentionOverride.deleteMany({ where: { dataClass } });
      else
        await tx.retentionOverride.upsert({
          where: { tenantId_dataClass: { tenantId, dataClass } },
          create: { tenantId, dataClass, days, updatedByEmail: actor.email ?? null },
          update: { days, updatedByEmail: actor.email ?? null, updatedAt: new Date() },
        });
    }
    if (changes.length) {
      const pick = (from: Record<string, number | null>) => Object.fromEntries(changes.map((c) => [c, from[c] ?? null]));
      await recordAudit(tenantId, actor, "retention.updated", null, { before: pick(before), after: pick(overrides) }, tx);
    }
    return changes.length;
  });
  return {
    intent: "retention",
    ok: true,
    message: changed ? "Retention windows saved; the next daily sweep applies them." : "The retention windows were already so.",
    submission: submission.reply({ resetForm: true }),
  };
}
