import type { MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";

export const meta: MetaFunction = () => [{ title: "Workspace · Nexius Leads" }];

export default function WorkspaceHome() {
  return (
    <Page title="Workspace" description="Your shortlist, runs and agent chat live here.">
      <EmptyState title="No runs yet">
        Once your workspace is set up, the nightly lead run fills this page with today's shortlist and its progress.
      </EmptyState>
    </Page>
  );
}
