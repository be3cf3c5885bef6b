import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { isTenantAdmin } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam } from "~/components/ui/pagination";
import { Notice } from "~/dashboard/section";
import { M365Section, SyncScheduleSection } from "~/lake/lake-settings";
import { lakeSettings } from "~/lake/lake-settings.server";
import { consentRedirectUri } from "~/lake/m365/connection.server";
import { consentNotice } from "~/lake/m365/consent-notice";
import { RetentionSection } from "~/retention/retention-section";
import { retentionSettings } from "~/retention/retention-settings.server";
import { BudgetSection, FreeMailSection, PushModeSection, ThresholdsSection, WebsiteContactsSection } from "~/settings/policy-forms";
import { settingsAction } from "~/settings/settings-action.server";
import { workspaceSettings } from "~/settings/settings.server";
import { isSuppressionKind } from "~/settings/suppression";
import { SuppressionSection } from "~/settings/suppression-list";
import { listSuppressions } from "~/settings/suppression.server";

/** Workspace settings for admins and ops; viewers get 403 on the page and every action. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const url = new URL(request.url);
  const kindParam = url.searchParams.get("kind");
  const kind = isSuppressionKind(kindParam) ? kindParam : undefined;
  // No suppressed value holds a control character, and Postgres text cannot hold NUL.
  const q =
    url.searchParams
      .get("q")
      ?.replace(/[\u0000-\u001f\u007f]/g, "")
      .trim()
      .slice(0, 100) || undefined;
  const page = pageParam(url);
  const [settings, suppressions, lake, retention] = await Promise.all([
    workspaceSettings(viewer.tenant.id),
    listSuppressions(viewer.tenant.id, { kind, q, page }),
    lakeSettings(viewer.tenant.id),
    retentionSettings(viewer.tenant.id),
  ]);
  if (page > suppressions.pages) throw redirect(lastPageHref(url, suppressions.pages));
  return {
    settings,
    suppressions,
    page,
    filter: { kind: kind ?? null, q: q ?? "" },
    lake,
    retention,
    canManageSources: isTenantAdmin(viewer.roles),
    // Back from Microsoft's admin-consent page (the consent callback redirects here).
    consentNotice: consentNotice(url.searchParams.get("m365"), url.searchParams.get("error")),
    consentRedirectUri: consentRedirectUri(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  return settingsAction(
    request,
    viewer.tenant.id,
    {
      sub: viewer.sub,
      email: viewer.email,
    },
    viewer.roles,
  );
}

export default function Settings() {
  const { settings, suppressions, page, filter, lake, retention, canManageSources, consentNotice, consentRedirectUri } = useLoaderData<typeof loader>();
  const unscoped = useActionData<typeof action>();
  return (
    <Page
      title="Settings"
      description="Suppression lists, lead policies, the Odoo push, the data sources and retention for this workspace. Every change is recorded in the audit log."
      actions={
        canManageSources ? (
          <span className="flex gap-4">
            <Link to="/app/privacy" className="text-sm font-medium text-brand-700 hover:underline">
              Data-subject requests
            </Link>
            <Link to="/app/settings/alerts" className="text-sm font-medium text-brand-700 hover:underline">
              Alert delivery
            </Link>
            <Link to="/app/settings/analytics" className="text-sm font-medium text-brand-700 hover:underline">
              BI access
            </Link>
          </span>
        ) : null
      }
    >
      {unscoped && !unscoped.intent ? <Notice ok={false}>{unscoped.message}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <SuppressionSection suppressions={suppressions} page={page} filter={filter} />
          <M365Section connection={lake.m365} canManage={canManageSources} consentNotice={consentNotice} consentRedirectUri={consentRedirectUri} />
          <SyncScheduleSection schedules={lake.schedules} canManage={canManageSources} />
          <RetentionSection classes={retention.classes} lastSweepAt={retention.lastSweepAt} canManage={canManageSources} />
        </div>
        <div className="min-w-0 space-y-6">
          <FreeMailSection current={settings.freeMail} />
          <ThresholdsSection current={settings.scoreThresholds} />
          <PushModeSection current={settings.odooPushMode} latestRun={settings.latestRun} />
          <BudgetSection current={settings.dailyTokenBudget} updatedBy={settings.updatedByEmail} updatedAt={settings.updatedAt} />
          <WebsiteContactsSection current={settings.minWebsiteContacts} />
        </div>
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Settings · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
