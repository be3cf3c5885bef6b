import { type FieldMetadata, getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { requirePlatformUser, requireRole } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { REDIRECT_PATH, startTestLogin } from "~/auth/tenant-sso/flow.server";
import { formatRoleMapping, IDP_KINDS } from "~/auth/tenant-sso/mapping";
import {
  DirectoryTakenError,
  DomainTakenError,
  removeIdentityProvider,
  saveIdentityProvider,
  SecretRequiredError,
  tenantIdentityProvider,
} from "~/auth/tenant-sso/providers.server";
import { RoleFields } from "~/auth/tenant-sso/role-fields";
import { IdentityProviderForm, type SsoActionResult } from "~/auth/tenant-sso/sso-form";
import { planFeatureRefusal } from "~/billing/entitlements.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, SelectField } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Page } from "~/components/ui/page";
import { Notice, Section } from "~/dashboard/section";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { invariantFound } from "~/http.server";

/**
 * A tenant's SSO: its own OpenID provider (Microsoft Entra ID or any OIDC
 * issuer), which its members sign in through instead of Nexius SSO. Owners
 * edit it, operators see it; both can run a test login, which reports the
 * claims that came back and what they map to without signing anyone in.
 */
async function tenantOf(params: { id?: string }) {
  const id = z.uuid().safeParse(params.id);
  const tenant = id.success ? await platformDb.tenant.findUnique({ where: { id: id.data }, select: { id: true, slug: true, name: true, status: true } }) : null;
  invariantFound(tenant, "No such tenant");
  return tenant;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenant = await tenantOf(params);
  return {
    tenant,
    provider: await tenantIdentityProvider(tenant.id),
    redirectUri: `${env().APP_URL}${REDIRECT_PATH}`,
    defaultLoginHost: env().MS_LOGIN_BASE_URL,
    canEdit: viewer.roles.includes("platform_owner"),
  };
}

/** The client secret is write-only: the action's answer never carries it back to the browser. */
const SECRET = ["clientSecret"];

const Intent = z.object({ intent: z.enum(["save", "remove", "test"]) });

export async function action({ request, params }: ActionFunctionArgs): Promise<SsoActionResult | Response | ReturnType<typeof data<SsoActionResult>>> {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const tenant = await tenantOf(params);
  const formData = await request.formData();
  const intent = Intent.safeParse({ intent: formData.get("intent") });
  if (!intent.success) return { ok: false, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  switch (intent.data.intent) {
    case "save": {
      requireRole(request, viewer, ["platform_owner"]);
      const submission = parseWithZod(formData, { schema: IdentityProviderForm });
      if (submission.status !== "success") return { ok: false, message: "Check the fields below.", submission: submission.reply({ hideFields: SECRET }) };
      const refusal = await planFeatureRefusal(platformDb, tenant.id, "tenant_sso");
      if (refusal) return data({ ok: false, message: refusal, submission: submission.reply({ hideFields: SECRET }) }, { status: 403 });
      try {
        await saveIdentityProvider(tenant.id, submission.value, actor);
      } catch (error) {
        if (error instanceof DomainTakenError)
          return { ok: false, message: error.message, submission: submission.reply({ fieldErrors: { emailDomains: [error.message] }, hideFields: SECRET }) };
        if (error instanceof DirectoryTakenError)
          return { ok: false, message: error.message, submission: submission.reply({ fieldErrors: { directoryId: [error.message] }, hideFields: SECRET }) };
        if (error instanceof SecretRequiredError)
          return { ok: false, message: error.message, submission: submission.reply({ fieldErrors: { clientSecret: [error.message] }, hideFields: SECRET }) };
        throw error;
      }
      return { ok: true, message: "Saved. Run a test login to check it.", submission: submission.reply({ hideFields: SECRET }) };
    }
    case "remove": {
      requireRole(request, viewer, ["platform_owner"]);
      const removed = await removeIdentityProvider(tenant.id, actor);
      return { ok: removed, message: removed ? "Removed: the workspace's members sign in with Nexius SSO again." : "There was no provider to remove." };
    }
    case "test": {
      const started = await startTestLogin(tenant.id, { testerSub: viewer.sub, returnTo: `/admin/tenants/${tenant.id}/sso` });
      return started.ok ? redirect(started.location, { headers: { "Set-Cookie": started.setCookie } }) : { ok: false, message: started.message };
    }
  }
}

export default function TenantSso() {
  const { tenant, provider, redirectUri, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page
      title={`${tenant.name} · SSO`}
      description={
        <span className="flex items-center gap-2">
          <span>{tenant.slug}</span>{" "}
          <Badge tone={provider?.enabled ? "green" : "gray"}>{provider ? (provider.enabled ? "own provider" : "switched off") : "Nexius SSO"}</Badge>
        </span>
      }
    >
      <p className="mb-4 flex gap-4 text-sm">
        <Link to={`/admin/tenants/${tenant.id}`} className="text-brand-700 hover:underline">
          ← {tenant.name}
        </Link>
        <Link to="/admin/integrations/sso" className="text-brand-700 hover:underline">
          Every tenant&apos;s SSO
        </Link>
      </p>
      {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <Section id="sso-provider" title="Identity provider" className="lg:col-span-2">
          {/* A save remounts the form, so the secret typed into it is gone from the page too. */}
          {canEdit ? <ProviderForm key={String(provider?.updatedAt ?? "new")} /> : <ProviderSummary />}
        </Section>
        <Section id="sso-setup" title="At the provider">
          <p className="text-sm text-slate-600">Register this redirect URI for the client (a Web platform in Entra&apos;s app registration):</p>
          <p className="mt-2 break-all rounded bg-slate-100 p-2 font-mono text-xs" data-testid="redirect-uri">
            {redirectUri}
          </p>
          <p className="mt-3 text-sm text-slate-600">
            Scopes: <span className="font-mono">openid email profile</span>. For Entra, define app roles (their values go in the mapping) or emit security
            groups in the token (<span className="font-mono">groups</span>, object ids).
          </p>
          {provider ? (
            // Submitted by script, which follows the redirect to the provider: the page's CSP lets forms post only to us and Nexius SSO.
            <Form method="post" className="mt-4">
              <input type="hidden" name="intent" value="test" />
              <Button type="submit">Test login</Button>
            </Form>
          ) : null}
        </Section>
      </div>
    </Page>
  );
}

function ProviderSummary() {
  const { provider } = useLoaderData<typeof loader>();
  if (!provider) return <p className="text-sm text-slate-600">None: this workspace&apos;s members sign in with Nexius SSO. A platform owner can add one.</p>;
  const rows: Array<[string, string]> = [
    ["Kind", provider.kind === "entra" ? "Microsoft Entra ID" : "OpenID Connect"],
    ["Issuer", provider.issuer],
    ["Client id", provider.clientId],
    ["Client secret", "stored (never shown)"],
    ["Email domains", provider.emailDomains.join(", ") || "—"],
    ["Roles from", provider.rolesClaim],
    ["Mapping", formatRoleMapping(provider.roleMapping) || "—"],
    ["Enabled", provider.enabled ? "yes" : "no"],
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="whitespace-pre-line break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function TextField<Value>({ meta, label, help }: { meta: FieldMetadata<Value>; label: string; help?: string }) {
  return <Field label={label} help={help} inputProps={getInputProps(meta, { type: "text" })} errors={meta.errors} />;
}

function ProviderForm() {
  const { provider, defaultLoginHost } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const [form, fields] = useForm({
    id: "identity-provider",
    lastResult: result && "submission" in result ? result.submission : undefined,
    defaultValue: {
      kind: provider?.kind ?? "entra",
      issuer: provider?.kind === "oidc" ? provider.issuer : "",
      loginHost: provider?.loginHost ?? defaultLoginHost,
      directoryId: provider?.directoryId ?? "",
      clientId: provider?.clientId ?? "",
      emailDomains: provider?.emailDomains.join(", ") ?? "",
      rolesClaim: provider?.rolesClaim ?? "roles",
      roleMapping: provider ? formatRoleMapping(provider.roleMapping) : "",
      enabled: provider ? (provider.enabled ? "on" : "") : "on",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: IdentityProviderForm }),
  });
  const [kind, setKind] = useState(provider?.kind ?? "entra");
  return (
    <>
      <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label="Identity provider">
        <input type="hidden" name="intent" value="save" />
        <SelectField label="Kind" selectProps={{ ...getSelectProps(fields.kind), onChange: (e) => setKind(e.currentTarget.value) }} errors={fields.kind.errors}>
          {IDP_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === "entra" ? "Microsoft Entra ID" : "OpenID Connect"}
            </option>
          ))}
        </SelectField>
        {kind === "entra" ? (
          <>
            <TextField
              meta={fields.directoryId}
              label="Directory (tenant) id"
              help="The organisation's Entra tenant id; its tokens' tid claim. One directory belongs to one workspace."
            />
            <TextField meta={fields.loginHost} label="Login host" help="https://login.microsoftonline.com, or a national cloud's." />
          </>
        ) : (
          <TextField meta={fields.issuer} label="Issuer" help="Exactly as the provider's discovery document states it." />
        )}
        <TextField meta={fields.clientId} label="Client id" />
        <Field
          label="Client secret"
          help={provider ? "Stored and never shown; leave blank to keep it." : "Stored sealed; never shown again."}
          inputProps={{ ...getInputProps(fields.clientSecret, { type: "password" }), autoComplete: "new-password", defaultValue: "" }}
          errors={fields.clientSecret.errors}
        />
        <TextField
          meta={fields.emailDomains}
          label="Email domains"
          help="Sign-ins with a work email in these domains go to this provider; separate with commas."
        />
        <RoleFields
          rolesClaim={fields.rolesClaim}
          roleMapping={fields.roleMapping}
          help="One per line: claim value = admin, ops or viewer. Someone with no mapped value cannot sign in."
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input {...getInputProps(fields.enabled, { type: "checkbox" })} />
          Enabled: members sign in here
        </label>
        <Button type="submit" disabled={Boolean(busy)}>
          {busy === "save" ? "Saving…" : "Save provider"}
        </Button>
      </Form>
      {provider ? (
        <Form method="post" className="mt-4 border-t border-slate-100 pt-4">
          <input type="hidden" name="intent" value="remove" />
          <Button type="submit" variant="danger" disabled={Boolean(busy)}>
            Remove provider
          </Button>
        </Form>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.tenant.name ?? "Tenant"} SSO · Platform admin` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
