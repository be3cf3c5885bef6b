import { z } from "zod";
import { LAKE_SOURCES } from "./pipeline";
import { FRESHNESS_SLAS, INCREMENTAL_INTERVALS } from "./sync-schedule";

/**
 * The data lake's forms on the settings page: the Microsoft 365 connection's
 * buttons and each source's sync schedule. Browser-safe; part of the settings
 * page's union of forms, told apart by their intent.
 */
export const M365ConnectForm = z.object({ intent: z.literal("m365-connect") });
export const M365TestForm = z.object({ intent: z.literal("m365-test") });
export const M365DisconnectForm = z.object({ intent: z.literal("m365-disconnect") });

const minutesChoice = (choices: readonly number[], message: string) =>
  z
    .string({ error: message })
    .refine((v) => choices.map(String).includes(v), { message })
    .transform(Number);

export const SyncScheduleForm = z
  .object({
    intent: z.literal("sync-schedule"),
    source: z.enum(LAKE_SOURCES, { error: "Unknown source" }),
    incrementalEveryMinutes: minutesChoice(INCREMENTAL_INTERVALS, "Choose how often to sync"),
    fullReconcileHour: z
      .string({ error: "Choose an hour or Off" })
      .refine((v) => v === "off" || /^(1?\d|2[0-3])$/.test(v), { message: "Choose an hour or Off" })
      .transform((v) => (v === "off" ? null : Number(v))),
    freshnessSlaMinutes: minutesChoice(FRESHNESS_SLAS, "Choose a freshness target"),
  })
  .refine((s) => s.freshnessSlaMinutes >= s.incrementalEveryMinutes, {
    // Shorter, and every wait between two on-time syncs would raise the stale alert.
    message: "The freshness target must be at least the sync interval",
    path: ["freshnessSlaMinutes"],
  });

export const LAKE_SETTINGS_FORMS = [M365ConnectForm, M365TestForm, M365DisconnectForm, SyncScheduleForm] as const;
export type LakeSettingsIntent = z.output<(typeof LAKE_SETTINGS_FORMS)[number]>["intent"];
export const LAKE_SETTINGS_INTENTS: readonly LakeSettingsIntent[] = ["m365-connect", "m365-test", "m365-disconnect", "sync-schedule"];
