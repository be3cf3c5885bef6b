import type { MetaFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import type { loader as layoutLoader } from "./_layout";

export const meta: MetaFunction = () => [{ title: "Workspace · Nexius Leads" }];

export default function WorkspaceHome() {
  const data = useRouteLoaderData<typeof layoutLoader>("routes/app+/_layout");
  return (
    <Page title={data?.tenant.name ?? "Workspace"} description="Your shortlist, runs and agent chat live here.">
      <EmptyState title="No runs yet">
        The nightly lead run fills this page with today's shortlist and its progress.
      </EmptyState>
    </Page>
  );
}
