import { z } from "zod";
import { optionalString } from "../../vendors/config.server";
import { type GraphClientConfig } from "./graph-client.server";

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

/**
 * The Graph client's settings for one tenant's directory: the tenant's own
 * app registration when it brought one, else ours. Null while neither has a
 * client id and secret, so Microsoft 365 shows as not connectable.
 */
export function graphClientConfig(
  env: M365Env,
  connection: { directoryId: string; clientId?: string | null; clientSecret?: string | null },
): GraphClientConfig | null {
  const own = connection.clientId && connection.clientSecret;
  const clientId = own ? connection.clientId : env.MS_CLIENT_ID;
  const clientSecret = own ? connection.clientSecret : env.MS_CLIENT_SECRET;
  if (!clientId || !clientSecret) return null;
  return { graphBaseUrl: env.MS_GRAPH_BASE_URL, loginBaseUrl: env.MS_LOGIN_BASE_URL, directoryId: connection.directoryId, clientId, clientSecret };
}
