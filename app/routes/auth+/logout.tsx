import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/audit.server";
import { sso } from "~/auth/oidc.server";
import { clearSessionCookie, destroySession, getSession, idTokenOf } from "~/auth/session.server";
import { endSessionUrl } from "~/auth/tokens.server";
import { env } from "~/env.server";
import { log } from "~/logger.server";

/**
 * Logout is a POST (a link or image cannot sign anyone out): the session row
 * goes, the cookie is cleared, and the browser continues to the IdP's
 * end_session_endpoint so the SSO session ends too.
 */
export async function action({ request }: ActionFunctionArgs) {
  const session = await getSession(request);
  let destination = "/";
  if (session) {
    await destroySession(session);
    if (session.tenantId) await recordAudit(session.tenantId, { sub: session.sub, email: session.email }, "auth.sign_out", session.email);
    try {
      const { discovery } = await sso();
      destination =
        endSessionUrl(discovery, {
          idTokenHint: idTokenOf(session) ?? undefined,
          postLogoutRedirectUri: `${env().APP_URL}/`,
        }) ?? "/";
    } catch (error) {
      log().warn({ err: error }, "IdP unreachable at logout; the platform session is gone regardless");
    }
  }
  return redirect(destination, { headers: { "Set-Cookie": clearSessionCookie(), "Cache-Control": "no-store" } });
}

export function loader() {
  return redirect("/");
}
