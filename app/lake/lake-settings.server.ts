import { type Actor, recordAudit } from "~/audit.server";
import { db } from "~/db.server";
import { m365Connection, type M365Connection } from "./m365/connection.server";
import { LAKE_SOURCES, type LakeSource } from "./pipeline";
import { DEFAULT_SYNC_SCHEDULE, type SyncSchedule } from "./sync-schedule";

/** The data lake's part of the settings page: the Microsoft 365 connection and each source's sync schedule. */
export type SourceScheduleView = SyncSchedule & { source: LakeSource };

export type LakeSettings = { m365: M365Connection; schedules: SourceScheduleView[] };

export async function lakeSettings(tenantId: string): Promise<LakeSettings> {
  const [m365, rows] = await Promise.all([
    m365Connection(tenantId),
    db.$withTenant(tenantId, (tx) =>
      tx.lakeSource.findMany({ select: { source: true, incrementalEveryMinutes: true, fullReconcileHour: true, freshnessSlaMinutes: true } }),
    ),
  ]);
  const schedules = LAKE_SOURCES.map((source) => {
    const row = rows.find((r) => r.source === source);
    return { source, ...(row ? { ...row, source } : DEFAULT_SYNC_SCHEDULE) };
  });
  return { m365, schedules };
}

/** Saves one source's schedule (audited); the sweep follows it from its next round. */
export async function saveSyncSchedule(tenantId: string, actor: Actor, source: LakeSource, schedule: SyncSchedule): Promise<{ changed: boolean }> {
  return db.$withTenant(tenantId, async (tx) => {
    const before = await tx.lakeSource.findFirst({
      where: { source },
      select: { incrementalEveryMinutes: true, fullReconcileHour: true, freshnessSlaMinutes: true },
    });
    const current = before ?? DEFAULT_SYNC_SCHEDULE;
    const changed = (Object.keys(schedule) as Array<keyof SyncSchedule>).some((key) => current[key] !== schedule[key]);
    if (!changed && before) return { changed: false };
    await tx.lakeSource.upsert({
      where: { tenantId_source: { tenantId, source } },
      create: { tenantId, source, ...schedule },
      update: { ...schedule, updatedAt: new Date() },
    });
    if (changed) await recordAudit(tenantId, actor, "lake.schedule.updated", source, { before: current, after: schedule }, tx);
    return { changed };
  });
}
