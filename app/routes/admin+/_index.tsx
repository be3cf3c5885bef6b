import type { MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";

export const meta: MetaFunction = () => [{ title: "Platform admin · Nexius Leads" }];

export default function AdminHome() {
  return (
    <Page title="Platform admin" description="Tenants, provisioning and health across the platform.">
      <EmptyState title="No tenants yet">Tenants appear here as soon as their first user signs in.</EmptyState>
    </Page>
  );
}
