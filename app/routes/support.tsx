import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { env } from "~/env.server";
import { RunbookList } from "~/support/runbook-list";

/** Support for every signed-in user: how to reach the operators, and the runbooks failed operations link to. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  return { email: env().SUPPORT_EMAIL ?? null, url: env().SUPPORT_URL ?? null, workspace: viewer.tenant?.name ?? null };
}

export default function Support() {
  const { email, url, workspace } = useLoaderData<typeof loader>();
  return (
    <Page title="Support & runbooks" description="What to check when something fails, and how to reach the platform's operators.">
      <section aria-labelledby="contact" className="mb-8 rounded-lg border border-slate-200 bg-white p-5 text-sm">
        <h2 id="contact" className="font-semibold">
          Reach the operators
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
          {email ? (
            <li>
              Email{" "}
              <a href={`mailto:${email}`} className="font-medium text-brand-700 hover:underline">
                {email}
              </a>
              {workspace ? ` and name your workspace (${workspace})` : ""}, what you did and when, and the error shown.
            </li>
          ) : (
            <li>Ask your workspace&apos;s administrator: they reach the platform&apos;s operators.</li>
          )}
          {url ? (
            <li>
              Status and announcements:{" "}
              <a href={url} className="font-medium text-brand-700 hover:underline">
                {url}
              </a>
            </li>
          ) : null}
          <li>A failed operation shows its step and log; the runbook below says what to check before it is re-run.</li>
        </ul>
      </section>
      <RunbookList />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Support · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
