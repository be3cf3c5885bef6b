import { checkUrl } from "~/crawler/safe-fetch.server";

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookUrlError";
  }
}

/**
 * Where a webhook may be registered: a public http(s) URL without
 * credentials, https only in production. Hosts are resolved and checked
 * again at each delivery (a name may later point inside).
 */
export function checkWebhookUrl(raw: string, production: boolean): URL {
  let url: URL;
  try {
    url = checkUrl(raw.trim());
  } catch (error) {
    throw new WebhookUrlError(`Not a URL a webhook may be sent to: ${(error as Error).message}`);
  }
  if (production && url.protocol !== "https:") throw new WebhookUrlError("A webhook URL must use https.");
  if (url.username || url.password) throw new WebhookUrlError("A webhook URL may not carry a user name or password.");
  return url;
}
