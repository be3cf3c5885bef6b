import { z } from "zod";

/**
 * How long each class of data is kept: the platform's default, a workspace's
 * override, and the form that sets the overrides. Browser-safe; the sweep
 * (retention-sweep.server.ts) and the settings page read the same windows.
 */
export const RETENTION_CLASSES = ["crawl_text", "step_logs", "vendor_payloads", "chat_threads", "lake_raw"] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** Shorter windows would drop step logs before a run's problems are looked into; longer ones stop being retention. */
export const MIN_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;

export const RETENTION_CLASS_INFO: Record<RetentionClass, { label: string; what: string; defaultDays: number | null }> = {
  crawl_text: {
    label: "Crawl text and page snapshots",
    what: "The text and titles of crawled pages are emptied; each page's URL and content hash stay.",
    defaultDays: 90,
  },
  step_logs: { label: "Step logs", what: "Each run's step-by-step log lines are deleted; the run, its metrics and scores stay.", defaultDays: 180 },
  vendor_payloads: {
    label: "Raw vendor payloads",
    what: "The search hits and probes behind each company's domain are emptied; the domain and its content hash stay.",
    defaultDays: 90,
  },
  chat_threads: { label: "Chat threads", what: "Threads untouched for longer are deleted with their messages.", defaultDays: 365 },
  // The raw zone is what a replay rebuilds the canonical zone from, so the platform keeps it until the workspace chooses a window.
  lake_raw: {
    label: "Data-lake raw zone",
    what: "Versions of source records that a newer one superseded are deleted; each record's current version stays, so a replay still rebuilds the lake.",
    defaultDays: null,
  },
};

export type RetentionWindow = {
  dataClass: RetentionClass;
  defaultDays: number | null;
  overrideDays: number | null;
  /** What the sweep applies; null: kept without limit. */
  days: number | null;
};

/** Each class's window: the workspace's override where it set one, else the platform default. Unknown classes in the overrides are ignored. */
export function effectiveWindows(overrides: ReadonlyArray<{ dataClass: string; days: number }>): RetentionWindow[] {
  return RETENTION_CLASSES.map((dataClass) => {
    const overrideDays = overrides.find((o) => o.dataClass === dataClass)?.days ?? null;
    const { defaultDays } = RETENTION_CLASS_INFO[dataClass];
    return { dataClass, defaultDays, overrideDays, days: overrideDays ?? defaultDays };
  });
}

const DAY_MS = 86_400_000;

/** The instant before which a window's data goes, for a sweep at `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

const overrideDays = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const days = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
      ctx.addIssue({
        code: "custom",
        message: `Enter whole days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS.toLocaleString("en-SG")}, or leave it empty for the default`,
      });
      return z.NEVER;
    }
    return days;
  });

/** The overrides form: one field per class, in days; empty means the platform default. */
export const RetentionForm = z.object({
  intent: z.literal("retention"),
  crawl_text: overrideDays,
  step_logs: overrideDays,
  vendor_payloads: overrideDays,
  chat_threads: overrideDays,
  lake_raw: overrideDays,
});

/** "90 days", or what a class without a window does. */
export function formatWindow(days: number | null): string {
  if (days === null) return "kept";
  return days === 1 ? "1 day" : `${days.toLocaleString("en-SG")} days`;
}
