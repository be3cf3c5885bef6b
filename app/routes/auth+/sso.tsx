import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { safeReturnTo } from "~/auth/return-to.server";
import { microsoftApp, MICROSOFT, SsoSignInError, startTenantSignIn } from "~/auth/tenant-sso/flow.server";
import { emailDomainOf } from "~/auth/tenant-sso/mapping";
import { providerForSignIn } from "~/auth/tenant-sso/providers.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { Notice } from "~/dashboard/section";

/**
 * Sign-in for people whose organisation has its own identity provider: the
 * work email's domain or the workspace's slug finds it, and the browser goes
 * there. Anything that names no provider goes to Nexius SSO, the platform's
 * IdP, which stays the default. "Sign in with Microsoft" starts the
 * platform's multi-tenant Entra app, whose token names the directory.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"));
  if (new URL(request.url).searchParams.get("with") === MICROSOFT) {
    const started = await startOrExplain(() => startTenantSignIn(MICROSOFT, { purpose: "sign_in", returnTo }));
    if (started instanceof Response) throw started;
    return { returnTo, microsoft: Boolean(microsoftApp()), message: started };
  }
  return { returnTo, microsoft: Boolean(microsoftApp()), message: null };
}

const SignInForm = z.object({
  account: z.string({ error: "Type your work email or your workspace" }).trim().min(2, "Type your work email or your workspace").max(320),
  returnTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SignInForm });
  if (submission.status !== "success") return { submission: submission.reply(), message: null };
  const { account } = submission.value;
  const returnTo = safeReturnTo(submission.value.returnTo);
  const provider = await providerForSignIn(account);
  if (!provider) return redirect(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  const started = await startOrExplain(() =>
    startTenantSignIn(provider, { purpose: "sign_in", returnTo, loginHint: emailDomainOf(account) ? account.trim() : undefined }),
  );
  if (started instanceof Response) return started;
  return { submission: submission.reply(), message: started };
}

/** The redirect to the provider, or why it cannot start (its discovery did not answer, Microsoft is not configured). */
async function startOrExplain(start: () => ReturnType<typeof startTenantSignIn>): Promise<Response | string> {
  try {
    const { location, setCookie } = await start();
    return redirect(location, { headers: { "Set-Cookie": setCookie } });
  } catch (error) {
    if (error instanceof SsoSignInError) return error.message;
    throw error;
  }
}

export default function CompanySignIn() {
  const { returnTo, microsoft, message: loaderMessage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "company-sign-in",
    lastResult: result?.submission,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInForm }),
  });
  const message = result?.message ?? loaderMessage;
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-5 px-6 py-16">
      <h1 className="text-2xl font-bold">Sign in with your organisation</h1>
      {message ? <Notice ok={false}>{message}</Notice> : null}
      {/* Submitted by script, which follows the redirect to the provider: the page's CSP lets forms post only to us and Nexius SSO. */}
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <input type="hidden" name="returnTo" value={returnTo} />
        <Field
          label="Work email or workspace"
          help="Your work email (you@company.com) or your workspace's short name."
          inputProps={{ ...getInputProps(fields.account, { type: "text" }), autoComplete: "username", autoFocus: true }}
          errors={fields.account.errors}
        />
        <Button type="submit" disabled={navigation.state !== "idle"}>
          Continue
        </Button>
      </Form>
      {microsoft ? (
        <a
          href={`/auth/sso?with=microsoft&returnTo=${encodeURIComponent(returnTo)}`}
          className="rounded-md border border-slate-300 bg-white px-4 py-2 text-center text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          Sign in with Microsoft
        </a>
      ) : null}
      <p className="text-sm text-slate-600">
        No organisation account?{" "}
        <Link to={`/auth/login?returnTo=${encodeURIComponent(returnTo)}`} reloadDocument className="font-medium text-brand-700 hover:underline">
          Sign in with Nexius SSO
        </Link>
      </p>
    </main>
  );
}

export const meta: MetaFunction = () => [{ title: "Sign in with your organisation · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
