import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { startTestLogin } from "~/auth/tenant-sso/flow.server";
import { formatRoleMapping } from "~/auth/tenant-sso/mapping";
import { DomainAddedError, NoProviderError, updateMemberSettings } from "~/auth/tenant-sso/portal-settings.server";
import { PORTAL_SSO_FIELDS, PortalSsoForm } from "~/auth/tenant-sso/portal-sso-form";
import { tenantIdentityProvider } from "~/auth/tenant-sso/providers.server";
import { RoleFields } from "~/auth/tenant-sso/role-fields";
import { type SsoActionResult } from "~/auth/tenant-sso/sso-form";
import { Field } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Notice, Section } from "~/dashboard/section";
import { actorOf, requirePortalAdmin } from "~/portal/portal-access.server";
import { PortalErrorBoundary } from "~/portal/portal-error-boundary";

/**
 * The workspace's own identity provider as its admin sees it: the member
 * settings they may change (PortalSsoForm says which and why) and the
 * platform's part read-only. The client secret never leaves the server.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePortalAdmin(request);
  const provider = await tenantIdentityProvider(viewer.tenant.id);
  return {
    provider: provider
      ? {
          kind: provider.kind,
          issuer: provider.issuer,
          clientId: provider.clientId,
          emailDomains: provider.emailDomains,
          rolesClaim: provider.rolesClaim,
          roleMapping: formatRoleMapping(provider.roleMapping),
          enabled: provider.enabled,
          updatedAt: provider.updatedAt,
        }
      : null,
  };
}

export async function action({ request }: ActionFunctionArgs): Promise<SsoActionResult | Response> {
  const viewer = await requirePortalAdmin(request);
  const posted = await request.formData();
  if (posted.get("intent") === "test") {
    // The admin signs in at the workspace's provider and reads what came back; no session is opened.
    const started = await startTestLogin(viewer.tenant.id, { testerSub: viewer.sub, returnTo: "/app/portal/sso" });
    return started.ok ? redirect(started.location, { headers: { "Set-Cookie": started.setCookie } }) : { ok: false, message: started.message };
  }
  // Only the portal's own fields are read: an issuer or a secret slipped into the form is never looked at.
  const formData = new FormData();
  for (const name of PORTAL_SSO_FIELDS) for (const value of posted.getAll(name)) formData.append(name, value);
  const submission = parseWithZod(formData, { schema: PortalSsoForm });
  if (submission.status !== "success") return { ok: false, message: "Check the fields below.", submission: submission.reply() };
  try {
    await updateMemberSettings(viewer.tenant.id, submission.value, actorOf(viewer));
  } catch (error) {
    if (error instanceof NoProviderError) return { ok: false, message: error.message };
    if (error instanceof DomainAddedError)
      return { ok: false, message: error.message, submission: submission.reply({ fieldErrors: { emailDomains: [error.message] } }) };
    throw error;
  }
  return { ok: true, message: "Saved. Your members' next sign-in uses these settings.", submission: submission.reply() };
}

export default function PortalSso() {
  const { provider } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!provider)
    return (
      <Section id="portal-sso-heading" title="Sign-in">
        <p className="text-sm text-slate-600">
          Your members sign in with Nexius SSO. To sign in through your organisation&apos;s own provider (Microsoft Entra ID or any OpenID Connect provider),
          file a support request under Sign-in and SSO: a platform owner registers it with its client secret, which stays sealed on our side.
        </p>
      </Section>
    );
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Section id="portal-sso-heading" title="Your members' sign-in" className="lg:col-span-2">
        {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
        <MemberSettingsForm key={String(provider.updatedAt)} />
      </Section>
      <Section id="portal-sso-platform" title="Set by the platform">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-500">Provider</dt>
          <dd>{provider.kind === "entra" ? "Microsoft Entra ID" : "OpenID Connect"}</dd>
          <dt className="text-slate-500">Issuer</dt>
          <dd className="break-all">{provider.issuer}</dd>
          <dt className="text-slate-500">Client id</dt>
          <dd className="break-all">{provider.clientId}</dd>
          <dt className="text-slate-500">Client secret</dt>
          <dd>stored sealed, never shown</dd>
          <dt className="text-slate-500">State</dt>
          <dd>
            <Badge tone={provider.enabled ? "green" : "gray"}>{provider.enabled ? "on" : "switched off"}</Badge>
          </dd>
        </dl>
        <p className="mt-4 text-xs text-slate-500">
          These decide who can issue sign-ins for your workspace, so the platform changes them on request: file a support request under Sign-in and SSO.
        </p>
        <Form method="post" className="mt-4">
          <input type="hidden" name="intent" value="test" />
          <Button type="submit" variant="secondary">
            Test login
          </Button>
          <p className="mt-1 text-xs text-slate-500">Sign in at your provider and see what it sends and the role it maps to; no session is opened.</p>
        </Form>
      </Section>
    </div>
  );
}

function MemberSettingsForm() {
  const { provider } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "portal-sso",
    lastResult: result?.submission,
    defaultValue: {
      emailDomains: provider!.emailDomains.join(", "),
      rolesClaim: provider!.rolesClaim,
      roleMapping: provider!.roleMapping,
      enabled: provider!.enabled ? "on" : "",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PortalSsoForm }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label="Your members' sign-in">
      <Field
        label="Email domains"
        help="Sign-ins with a work email in these domains go to your provider; separate with commas. You can remove a domain; adding one goes through support."
        inputProps={getInputProps(fields.emailDomains, { type: "text" })}
        errors={fields.emailDomains.errors}
      />
      <RoleFields
        rolesClaim={fields.rolesClaim}
        roleMapping={fields.roleMapping}
        help="One per line: claim value = admin, ops or viewer. Someone with no mapped value cannot sign in; keep at least one admin."
      />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input {...getInputProps(fields.enabled, { type: "checkbox" })} />
        Enabled: members sign in through your provider (off: with Nexius SSO)
      </label>
      <Button type="submit" disabled={navigation.state === "submitting"}>
        {navigation.state === "submitting" ? "Saving…" : "Save sign-in settings"}
      </Button>
    </Form>
  );
}

export const meta: MetaFunction = () => [{ title: "SSO · Tenant portal · Nexius Leads" }];

export const ErrorBoundary = PortalErrorBoundary;
