import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { privacyAction, privacyPageData } from "~/privacy/privacy-page.server";
import { PrivacyRequests, type PrivacyPaths } from "~/privacy/privacy-requests";

/** Data-subject requests of the workspace: its admins only (PDPA access and deletion requests). */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return privacyPageData(viewer.tenant.id, new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  return privacyAction(request, viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, "/app/privacy");
}

const paths: PrivacyPaths = {
  page: "/app/privacy",
  archive: (q) => `/app/privacy/archive?${new URLSearchParams({ q })}`,
  receipt: (id) => `/app/privacy/receipts/${id}`,
};

export default function Privacy() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page
      title="Data-subject requests"
      description="Answer a person's access or deletion request: find everything the workspace holds about them, download it, or erase it."
    >
      <PrivacyRequests data={data} paths={paths} actionError={result?.message ?? null} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Data-subject requests · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
