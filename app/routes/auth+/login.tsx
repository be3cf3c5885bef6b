import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { sso, SsoNotConfiguredError } from "~/auth/oidc.server";
import { safeReturnTo, returnToCookie } from "~/auth/return-to.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { log } from "~/logger.server";

/**
 * Starts sign-in: a redirect to Nexius SSO (the platform never asks for a
 * password). Renders only when the IdP cannot be reached or is not configured.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"));
  try {
    const { authenticator } = await sso();
    await authenticator.authenticate("nexius", request);
  } catch (thrown) {
    if (thrown instanceof Response) {
      thrown.headers.append("Set-Cookie", returnToCookie(returnTo));
      throw thrown;
    }
    log().error({ err: thrown }, "cannot start sign-in");
    const configured = !(thrown instanceof SsoNotConfiguredError);
    return Response.json(
      {
        message: configured ? "The sign-in service is not answering right now. Please try again in a moment." : "Sign-in is not configured on this server.",
      },
      { status: 503 },
    );
  }
  return Response.json({ message: "Sign-in did not start." }, { status: 500 });
}

export default function Login() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-4 px-6 py-16">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
        {message}
      </p>
      <Link to="/auth/login" reloadDocument className="self-start rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
        Try again
      </Link>
    </main>
  );
}

export const meta: MetaFunction = () => [{ title: "Sign in · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
