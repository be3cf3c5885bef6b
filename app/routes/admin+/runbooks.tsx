import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { RunbookList } from "~/support/runbook-list";

/** The operators' runbooks in the control plane: the same entries /support shows everyone. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  return null;
}

export default function Runbooks() {
  return (
    <Page title="Runbooks" description="What to check when a step of an operation, or a sign-in through a tenant's provider, fails.">
      <RunbookList />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Runbooks · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
