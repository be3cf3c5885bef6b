import { z } from "zod";

/** How a BI tool reaches a tenant's analytics views (the password is shown once, when set, and never again). */
export type AnalyticsConnection = {
  host: string;
  port: number;
  database: string;
  user: string;
  schema: "analytics";
  psql: string;
  jdbc: string;
};

/** The BI dashboard's address (Superset, Metabase): an http(s) URL, or blank to clear it. */
export const BiDashboardForm = z.object({
  biDashboardUrl: z
    .string()
    .trim()
    .max(2000, "At most 2000 characters")
    .optional()
    .refine((value) => !value || /^https?:\/\//i.test(value), "Use an http:// or https:// address")
    .refine((value) => !value || URL.canParse(value), "Not a valid address"),
});

/** A tenant's analytics login, as the platform-wide list filters it. */
export const ANALYTICS_HUB_STATES = ["enabled", "revoked", "off"] as const;
export type AnalyticsHubState = (typeof ANALYTICS_HUB_STATES)[number];
export const ANALYTICS_HUB_STATE_LABELS: Record<AnalyticsHubState, string> = { enabled: "enabled", revoked: "revoked", off: "not enabled" };
