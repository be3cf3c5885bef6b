import { z } from "zod";
import { optionalString } from "../../vendors/config.server";

/**
 * Env fragment for Microsoft 365 (Microsoft Graph with application
 * permissions). The hosts are settings so any Graph-compatible endpoint (the
 * simulator in development) can stand in; the client id and secret are our
 * own app registration's, which each tenant's admin consents to.
 */
export const m365Env = z.object({
  MS_GRAPH_BASE_URL: z.string().url().default("https://graph.microsoft.com"),
  MS_LOGIN_BASE_URL: z.string().url().default("https://login.microsoftonline.com"),
  MS_CLIENT_ID: optionalString,
  MS_CLIENT_SECRET: optionalString,
});

export type M365Env = z.infer<typeof m365Env>;
