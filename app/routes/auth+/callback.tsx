import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OAuth2RequestError } from "remix-auth-oauth2";
import { recordAudit } from "~/audit.server";
import { resolveIdentity } from "~/auth/identity.server";
import { sso } from "~/auth/oidc.server";
import { clearReturnToCookie, readReturnTo } from "~/auth/return-to.server";
import { isPlatformStaff } from "~/auth/roles";
import { createSession } from "~/auth/session.server";
import { TokenError } from "~/auth/tokens.server";
import { QuotaExceededError, refusedQuota } from "~/billing/quotas";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { env } from "~/env.server";
import { log } from "~/logger.server";

/** The IdP sends the browser back here with a code: verify, find or create the workspace, open a session. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  let signIn;
  try {
    signIn = await (await sso()).authenticator.authenticate("nexius", request);
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown;
    log().warn({ err: thrown }, "sign-in callback failed");
    const headers = new Headers();
    for (const cookie of clearStateCookies(request)) headers.append("Set-Cookie", cookie);
    return Response.json({ message: explain(thrown) }, { status: 400, headers });
  }

  const { claims } = signIn;
  const identity = await resolveIdentity({
    sub: claims.sub,
    email: claims.email,
    email_verified: claims.email_verified,
    name: claims.name,
    tenant_id: claims.tenant_id,
    roles: claims.roles,
  }).catch(refusedQuota);
  if (identity instanceof QuotaExceededError) {
    // No seat left on the workspace's plan: no member and no session were created.
    const headers = new Headers();
    for (const cookie of clearStateCookies(request)) headers.append("Set-Cookie", cookie);
    return Response.json({ message: `You could not join this workspace. ${identity.message}` }, { status: 402, headers });
  }
  const { setCookie } = await createSession(
    {
      userId: identity.userId,
      tenantId: identity.tenant?.id ?? null,
      sub: claims.sub,
      email: claims.email,
      roles: identity.roles,
      idToken: signIn.idToken,
      refreshToken: signIn.refreshToken,
      tokensExpireAt: signIn.tokensExpireAt,
      clientIp: context.clientIp,
    },
    request,
  );
  if (identity.tenant) {
    await recordAudit(identity.tenant.id, { sub: claims.sub, email: claims.email }, "auth.sign_in", claims.email);
  }

  const destination = !identity.tenant
    ? isPlatformStaff(identity.roles)
      ? "/admin"
      : "/"
    : identity.tenant.status === "provisioning" || identity.tenant.status === "error"
      ? "/app/setup"
      : readReturnTo(request);
  const headers = new Headers();
  headers.append("Set-Cookie", setCookie);
  headers.append("Set-Cookie", clearReturnToCookie());
  for (const cookie of clearStateCookies(request)) headers.append("Set-Cookie", cookie);
  return redirect(destination, { headers });
}

/**
 * remix-auth-oauth2 keeps each sign-in's state in its own cookie named
 * `<name>:<uuid>` (so parallel tabs work); expire the one holding the state
 * this callback used, so it cannot be used again.
 */
function clearStateCookies(request: Request): string[] {
  const production = env().NODE_ENV === "production";
  const base = production ? "__Host-nexius_oidc" : "nexius_oidc";
  const state = new URL(request.url).searchParams.get("state");
  if (!state) return [];
  const attributes = `Path=/; HttpOnly; SameSite=Lax${production ? "; Secure" : ""}; Max-Age=0`;
  const cleared: string[] = [];
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    if (eq < 0 || (name !== base && !name.startsWith(`${base}:`))) continue;
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (new URLSearchParams(value).get("state") === state) cleared.push(`${name}=; ${attributes}`);
  }
  return cleared;
}

function explain(error: unknown): string {
  if (error instanceof OAuth2RequestError) {
    return error.code === "access_denied" ? "Sign-in was cancelled." : `The sign-in service refused the request (${error.code}).`;
  }
  if (error instanceof TokenError) return `The sign-in token was not accepted (${error.reason}). Please sign in again.`;
  if (error instanceof ReferenceError || error instanceof RangeError) {
    return "This sign-in link has expired or was opened in another browser. Please start again.";
  }
  return "Sign-in could not be completed. Please try again.";
}

export default function Callback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-4 px-6 py-16">
      <h1 className="text-2xl font-bold">We could not sign you in</h1>
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
        {message}
      </p>
      <Link to="/auth/login" reloadDocument className="self-start rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
        Sign in again
      </Link>
    </main>
  );
}

export const meta: MetaFunction = () => [{ title: "Sign-in problem · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
