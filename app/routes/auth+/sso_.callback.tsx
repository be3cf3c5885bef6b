import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { recordAudit } from "~/audit.server";
import { requireViewer } from "~/auth/guards.server";
import { resolveIdentity } from "~/auth/identity.server";
import { canOperateTenants, isTenantAdmin } from "~/auth/roles";
import { createSession } from "~/auth/session.server";
import { clearFlowCookie, completeTenantSignIn, readFlow, SsoSignInError, type FederatedIdentity, type Flow } from "~/auth/tenant-sso/flow.server";
import { QuotaExceededError, refusedQuota } from "~/billing/quotas";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge } from "~/components/ui/badge";
import { Page } from "~/components/ui/page";
import { platformDb } from "~/db.server";
import { log } from "~/logger.server";

/**
 * Where a tenant's identity provider sends the browser back. A sign-in joins
 * the provider's tenant with the roles its claims map to and opens a
 * session; a test login (an operator trying the provider from its SSO tab,
 * or the workspace's admin from the tenant portal)
 * only reports what came back, and no session or member is created.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const started = readFlow(request);
  if (started?.purpose === "test") await requireTester(request, started);
  const headers = new Headers({ "Set-Cookie": clearFlowCookie() });
  let outcome;
  try {
    outcome = await completeTenantSignIn(request);
  } catch (error) {
    if (!(error instanceof SsoSignInError)) throw error;
    log().warn({ err: error }, "tenant sign-in failed");
    return Response.json(
      { kind: "error" as const, message: error.message, back: started?.purpose === "test" ? started.returnTo : null },
      { status: error.status, headers },
    );
  }
  const { flow, identity } = outcome;
  if (flow.purpose === "test") return Response.json({ kind: "test" as const, back: flow.returnTo, report: await testReport(identity) }, { headers });

  if (!identity.roles.length) {
    const message = `Your account (${identity.email}) has no role in this workspace: none of its ${identity.provider.rolesClaim} is mapped. Ask your organisation's administrator to assign you one.`;
    return Response.json({ kind: "error" as const, message, back: null }, { status: 403, headers });
  }
  const resolved = await resolveIdentity({
    sub: identity.sub,
    email: identity.email,
    email_verified: identity.emailVerified,
    name: identity.name,
    tenant_id: identity.provider.tenantId,
    roles: identity.roles,
  }).catch(refusedQuota);
  if (resolved instanceof QuotaExceededError) {
    // No seat left on the workspace's plan: no member and no session were created.
    return Response.json({ kind: "error" as const, message: `You could not join this workspace. ${resolved.message}`, back: null }, { status: 402, headers });
  }
  const tenant = resolved.tenant!;
  const { setCookie } = await createSession(
    {
      userId: resolved.userId,
      tenantId: tenant.id,
      sub: identity.sub,
      email: identity.email,
      roles: resolved.roles,
      // The provider's tokens stay with the provider: the session alone carries the sign-in, until it idles out or reaches its maximum age.
      idToken: null,
      refreshToken: null,
      tokensExpireAt: null,
      clientIp: context.clientIp,
    },
    request,
  );
  await recordAudit(tenant.id, { sub: identity.sub, email: identity.email }, "auth.sign_in", identity.email, {
    via: identity.provider.kind,
    issuer: identity.claims.iss,
  });
  headers.append("Set-Cookie", setCookie);
  return redirect(tenant.status === "provisioning" || tenant.status === "error" ? "/app/setup" : flow.returnTo, { headers });
}

/**
 * Only who started a test login may read its report, and only while they
 * may run one: an operator (from the tenant's SSO tab) or an admin of the
 * provider's own workspace (from the tenant portal).
 */
async function requireTester(request: Request, started: Flow): Promise<void> {
  const viewer = await requireViewer(request);
  if (viewer.sub !== started.testerSub) throw new Response("This test login was started by someone else", { status: 403 });
  if (canOperateTenants(viewer.roles)) return;
  const provider = await platformDb.tenantIdentityProvider.findUnique({ where: { id: started.providerId }, select: { tenantId: true } });
  if (provider && viewer.tenant?.id === provider.tenantId && isTenantAdmin(viewer.roles)) return;
  throw new Response("Test logins are for the platform's operators and the workspace's admins", { status: 403 });
}

async function testReport(identity: FederatedIdentity) {
  const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: identity.provider.tenantId }, select: { slug: true, name: true } });
  return {
    tenant,
    kind: identity.provider.kind,
    issuer: identity.claims.iss ?? "",
    sub: identity.sub,
    email: identity.email,
    emailVerified: identity.emailVerified,
    rolesClaim: identity.provider.rolesClaim,
    claimValues: identity.claimValues,
    roles: identity.roles,
    claims: Object.entries(identity.claims)
      .filter(([name]) => name !== "nonce")
      .map(([name, value]) => ({ name, value: typeof value === "string" ? value : JSON.stringify(value) })),
  };
}

export default function TenantSignInCallback() {
  const data = useLoaderData<typeof loader>();
  if (data.kind === "error") {
    return (
      <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-4 px-6 py-16">
        <h1 className="text-2xl font-bold">{data.back ? "Test login failed" : "We could not sign you in"}</h1>
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
          {data.message}
        </p>
        <Link
          to={data.back ?? "/auth/sso"}
          reloadDocument
          className="self-start rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
        >
          {data.back ? "Back to the SSO settings" : "Sign in again"}
        </Link>
      </main>
    );
  }
  const { report } = data;
  return (
    <Page title="Test login" description={`What ${report.issuer} said, and what a sign-in would do with it. No session was opened.`}>
      <div className="space-y-6 text-sm">
        <section aria-labelledby="mapped" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="mapped" className="font-semibold">
            Would sign in
          </h2>
          <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt className="text-slate-500">Workspace</dt>
            <dd data-testid="test-login-tenant">
              {report.tenant.name} ({report.tenant.slug})
            </dd>
            <dt className="text-slate-500">Email</dt>
            <dd>
              {report.email} {report.emailVerified ? <Badge tone="green">in the provider&apos;s domains</Badge> : null}
            </dd>
            <dt className="text-slate-500">Roles</dt>
            <dd data-testid="test-login-roles">{report.roles.length ? report.roles.join(", ") : "none: this account would be refused"}</dd>
            <dt className="text-slate-500">From {report.rolesClaim}</dt>
            <dd>{report.claimValues.length ? report.claimValues.join(", ") : "(no values)"}</dd>
            <dt className="text-slate-500">User id here</dt>
            <dd className="font-mono text-xs">{report.sub}</dd>
          </dl>
        </section>
        <section aria-labelledby="claims" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="claims" className="font-semibold">
            Claims in the ID token
          </h2>
          <table className="mt-3 w-full text-left">
            <caption className="sr-only">Claims in the ID token</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="py-1 pr-4 font-medium">
                  Claim
                </th>
                <th scope="col" className="py-1 font-medium">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {report.claims.map((claim: { name: string; value: string }) => (
                <tr key={claim.name} className="border-t border-slate-100">
                  <th scope="row" className="py-1 pr-4 font-mono text-xs font-normal">
                    {claim.name}
                  </th>
                  <td className="break-all py-1 font-mono text-xs">{claim.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <Link to={data.back} className="font-medium text-brand-700 hover:underline">
          Back to the SSO settings
        </Link>
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Sign-in · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
