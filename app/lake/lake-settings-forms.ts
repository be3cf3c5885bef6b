import { z } from "zod";
import { LAKE_SOURCES } from "./pipeline";
import { FRESHNESS_SLAS, INCREMENTAL_INTERVALS } from "./sync-schedule";

/**
 * The data lake's forms on the settings page: the Microsoft 365 connection's
 * buttons, a workspace's own Entra app registration and each source's sync
 * schedule. Browser-safe; part of the settings
 * page's union of forms, told apart by their intent.
 */
export const M365ConnectForm = z.object({ intent: z.literal("m365-connect") });
export const M365TestForm = z.object({ intent: z.literal("m365-test") });
export const M365DisconnectForm = z.object({ intent: z.literal("m365-disconnect") });

// Both ids appear as GUIDs on the app registration's overview page in the Entra admin center.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = (what: string) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .regex(GUID, `The ${what} is a GUID such as 0b8e4c2a-1f3d-4e5a-9b6c-7d8e9f0a1b2c`)
    .transform((v) => v.toLowerCase());

/** A workspace's own Entra app registration; a blank secret keeps the one stored for the same app. */
export const M365AppRegistrationForm = z.object({
  intent: z.literal("m365-app"),
  directoryId: guid("directory (tenant) id"),
  clientId: guid("application (client) id"),
  clientSecret: z
    .string()
    .trim()
    .max(512, "A client secret is at most 512 characters")
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "A client secret has no control characters")
    .optional(),
});

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

export const LAKE_SETTINGS_FORMS = [M365ConnectForm, M365TestForm, M365DisconnectForm, M365AppRegistrationForm, SyncScheduleForm] as const;
export type LakeSettingsIntent = z.output<(typeof LAKE_SETTINGS_FORMS)[number]>["intent"];
export const LAKE_SETTINGS_INTENTS: readonly LakeSettingsIntent[] = ["m365-connect", "m365-test", "m365-disconnect", "m365-app", "sync-schedule"];
