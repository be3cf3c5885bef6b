import { ALL_ROLES, type GraphDirectory } from "./directory";

/**
 * The identity platform's admin-consent endpoint as the simulator plays it
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#request-the-permissions-from-a-directory-admin):
 *   GET  /{tenant}/adminconsent?client_id&redirect_uri&state   the consent page
 *   POST /{tenant}/adminconsent                                the admin's answer
 * `{tenant}` is a directory id or domain, or `organizations` (the page then
 * asks which of the directories that registered the app the admin signs in
 * to). Accepting grants the app's application permissions and redirects to
 * `redirect_uri?admin_consent=True&tenant=<directory id>&state=…`; cancelling
 * redirects with `error=permission_denied&error_description=…&state=…`.
 * A client id no directory knows gets an error page and no redirect, as at
 * Microsoft.
 */
export type ConsentReply = { status: number; html?: string; location?: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const GENERIC_TENANTS = new Set(["organizations", "common"]);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function errorPage(status: number, code: number, message: string): ConsentReply {
  return { status, html: page("Sign in to your account", `<p role="alert">AADSTS${code}: ${escapeHtml(message)}</p>`) };
}

function candidates(directories: Iterable<GraphDirectory>, tenant: string, clientId: string): GraphDirectory[] {
  const all = [...directories].filter((d) => d.credentials.clientId === clientId);
  if (GENERIC_TENANTS.has(tenant.toLowerCase())) return all;
  return all.filter((d) => d.credentials.directoryId === tenant || d.credentials.domain.toLowerCase() === tenant.toLowerCase());
}

function validRedirect(uri: string | null): uri is string {
  if (!uri) return false;
  try {
    return ["http:", "https:"].includes(new URL(uri).protocol);
  } catch {
    return false;
  }
}

export function adminConsentPage(directories: Iterable<GraphDirectory>, tenant: string, query: URLSearchParams): ConsentReply {
  const clientId = query.get("client_id") ?? "";
  const redirectUri = query.get("redirect_uri");
  const state = query.get("state") ?? "";
  const choices = candidates(directories, tenant, clientId);
  if (!choices.length) {
    return errorPage(400, 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
  }
  if (!validRedirect(redirectUri))
    return errorPage(400, 50011, "The redirect URI specified in the request does not match the redirect URIs configured for the application.");
  const hidden = [
    ["client_id", clientId],
    ["redirect_uri", redirectUri],
    ["state", state],
  ]
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value!)}">`)
    .join("");
  const options = choices
    .map(
      (d, i) =>
        `<label><input type="radio" name="directory" value="${escapeHtml(d.credentials.directoryId)}"${i === 0 ? " checked" : ""}> admin@${escapeHtml(d.credentials.domain)}</label><br>`,
    )
    .join("");
  const permissions = ALL_ROLES.map((r) => `<li>${escapeHtml(r)}</li>`).join("");
  return {
    status: 200,
    html: page(
      "Permissions requested",
      `<p>The app ${escapeHtml(clientId)} asks for these application permissions for your whole organization:</p><ul>${permissions}</ul>` +
        `<form method="post" action="/${encodeURIComponent(tenant)}/adminconsent">${hidden}<fieldset><legend>Signed in as</legend>${options}</fieldset>` +
        `<button type="submit" name="decision" value="accept">Accept</button> <button type="submit" name="decision" value="cancel">Cancel</button></form>`,
    ),
  };
}

export function adminConsentAnswer(directories: Iterable<GraphDirectory>, tenant: string, form: URLSearchParams): ConsentReply {
  const clientId = form.get("client_id") ?? "";
  const redirectUri = form.get("redirect_uri");
  const directory = candidates(directories, tenant, clientId).find((d) => d.credentials.directoryId === form.get("directory"));
  if (!directory) return errorPage(400, 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
  if (!validRedirect(redirectUri))
    return errorPage(400, 50011, "The redirect URI specified in the request does not match the redirect URIs configured for the application.");
  const back = new URL(redirectUri);
  if (form.get("decision") === "accept") {
    for (const role of ALL_ROLES) directory.roles.add(role);
    back.searchParams.set("admin_consent", "True");
    back.searchParams.set("tenant", directory.credentials.directoryId);
  } else {
    back.searchParams.set("error", "permission_denied");
    back.searchParams.set("error_description", "The admin canceled the request");
  }
  back.searchParams.set("state", form.get("state") ?? "");
  return { status: 302, location: back.toString() };
}
