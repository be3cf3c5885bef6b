import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { OPERATION_STEPS, type OperationStep, RUNBOOKS } from "~/tenants/operations";

/** What to do when an operation's step fails: a failed operation links to its step here. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return null;
}

export default function Runbooks() {
  return (
    <Page title="Runbooks" description="What to check when a step of an operation fails. Re-running the operation resumes at that step.">
      <div className="space-y-4">
        {(Object.keys(RUNBOOKS) as OperationStep[]).map((step) => (
          <section key={step} id={step} className="rounded-lg border border-slate-200 bg-white p-5 text-sm" aria-labelledby={`${step}-title`}>
            <h2 id={`${step}-title`} className="font-semibold">
              {OPERATION_STEPS[step]} <span className="font-mono text-xs text-slate-500">({step})</span>
            </h2>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
              {RUNBOOKS[step].map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Runbooks · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
