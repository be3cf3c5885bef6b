import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Await, Link, useLoaderData } from "@remix-run/react";
import { Suspense } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { ErrorNotice, GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { Page } from "~/components/ui/page";
import { EventFeed, LiveRunProgress, RunProgressBar } from "~/dashboard/live-run-progress";
import { loadPushPlan } from "~/dashboard/odoo-push.server";
import { PushPlanPanel, PushPlanSkeleton } from "~/dashboard/push-plan-panel";
import { QaSampleSection } from "~/dashboard/qa-sample";
import { runAction } from "~/dashboard/run-action.server";
import { MetricsSection } from "~/dashboard/run-figures";
import { runDetail } from "~/dashboard/runs.server";
import { Section } from "~/dashboard/section";
import { VendorUsageTable } from "~/dashboard/vendor-usage-table";
import { invariantFound } from "~/http.server";
import { pushModeOf } from "~/odoo/push-mode.server";
import { seesPersonalData } from "~/privacy/mask";
import { isRunFinished } from "~/runs/run-vocabulary";
import { durationMsBetween, formatDay, formatDurationMs, formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const id = z.uuid().safeParse(params.id);
  const detail = id.success
    ? await runDetail(viewer.tenant.id, id.data, {
        maskPersonalData: !seesPersonalData(viewer.roles),
      })
    : null;
  invariantFound(detail, "No such run");
  const operate = canOperate(viewer.roles);
  // The dry-run asks the tenant's Odoo, so it streams in after the page (a skeleton until then).
  const onApproval = operate && detail.run.status === "succeeded" && (await pushModeOf(viewer.tenant.id)) === "on_approval";
  return {
    ...detail,
    canOperate: operate,
    maskPersonalData: !seesPersonalData(viewer.roles),
    odooPush: onApproval ? loadPushPlan(viewer.tenant.id, detail.run.id) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const id = z.uuid().safeParse(params.id);
  invariantFound(id.success ? id.data : null, "No such run");
  return runAction(await request.formData(), viewer.tenant.id, id.data!, {
    sub: viewer.sub,
    email: viewer.email,
  });
}

const KIND_LABEL: Record<string, string> = {
  nightly: "Nightly run",
  manual: "Manual run",
  re_enrich: "Re-enrich run",
};
const SEVERITY_TONE = {
  critical: "red",
  warning: "amber",
  info: "blue",
} as const;

export default function RunPage() {
  const data = useLoaderData<typeof loader>();
  const { run, metrics } = data;
  const finished = isRunFinished(run.status);
  return (
    <Page
      title={`${KIND_LABEL[run.kind] ?? run.kind} of ${formatDay(run.runDate)}`}
      description={
        <span className="flex flex-wrap items-center gap-2">
          <Badge tone={statusTone(run.status)}>{run.status}</Badge>
          {run.degraded ? <Badge tone="amber">degraded</Badge> : null}
          <span>
            Started {formatWhen(run.startedAt ?? run.createdAt)}
            {run.startedByEmail ? ` by ${run.startedByEmail}` : run.kind === "nightly" ? " by the schedule" : ""}
          </span>
        </span>
      }
    >
      <p className="mb-4 text-sm">
        <Link to="/app/runs" className="text-brand-700 hover:underline">
          ← All runs
        </Link>
      </p>

      {run.error ? (
        <div role="alert" className="mb-6 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          This run failed: {run.error}
        </div>
      ) : null}
      {run.degradedReasons.length ? (
        <div className="mb-6 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <p className="font-medium">Degraded, because:</p>
          <ul className="mt-1 list-disc pl-5">
            {run.degradedReasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <Section id="progress" title={finished ? "Progress" : "Live progress"} className="lg:col-span-2">
          {finished ? (
            <div className="space-y-4">
              <RunProgressBar settled={data.outcomes.done + data.outcomes.failed} target={run.target} status={run.status} />
              <p className="text-sm text-slate-600">
                {formatCount(data.outcomes.done)} enriched and scored, {formatCount(data.outcomes.failed)} failed
                {data.outcomes.open ? `, ${formatCount(data.outcomes.open)} never finished` : ""}.
              </p>
              <details>
                <summary className="cursor-pointer text-sm text-brand-700 hover:underline">Last {data.events.length} events</summary>
                <div className="mt-3">
                  <EventFeed events={data.events} title="Events" />
                </div>
              </details>
            </div>
          ) : (
            <LiveRunProgress
              key={run.id}
              runId={run.id}
              initial={{
                progress: {
                  status: run.status,
                  target: run.target,
                  settled: run.settled,
                  stages: data.stages,
                },
                events: data.events,
                lastEventId: data.lastEventId,
              }}
              maskPersonalData={data.maskPersonalData}
            />
          )}
        </Section>

        <Section id="facts" title="About this run">
          <dl className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
            <dt className="text-slate-500">Created</dt>
            <dd>{formatWhen(run.createdAt)}</dd>
            <dt className="text-slate-500">Finished</dt>
            <dd>{formatWhen(run.finishedAt)}</dd>
            <dt className="text-slate-500">Duration</dt>
            <dd>{formatDurationMs(durationMsBetween(run.startedAt, run.finishedAt))}</dd>
            <dt className="text-slate-500">ICP version</dt>
            <dd>{run.icpVersion ?? "default"}</dd>
            <dt className="text-slate-500">Candidates</dt>
            <dd>{formatCount(run.candidatesTotal)}</dd>
          </dl>
        </Section>

        {finished ? <MetricsSection metrics={metrics} candidatesTotal={run.candidatesTotal} vendors={data.vendors} /> : null}

        <Section id="vendors" title="Vendor usage and cost" className="lg:col-span-2">
          {data.vendors.length ? (
            <VendorUsageTable vendors={data.vendors} withCacheHits withTotal />
          ) : (
            <p className="text-sm text-slate-600">No vendor has been called for this run{finished ? "" : " yet"}.</p>
          )}
        </Section>

        <Section id="run-alerts" title="Alerts">
          {data.alerts.length ? (
            <ul className="space-y-3">
              {data.alerts.map((a) => (
                <li key={a.id} className="text-sm">
                  <p className="flex flex-wrap items-center gap-2">
                    <Badge tone={SEVERITY_TONE[a.severity as keyof typeof SEVERITY_TONE] ?? "gray"}>{a.severity}</Badge>
                    {a.resolvedAt ? <Badge tone="gray">resolved</Badge> : <Badge tone="amber">open</Badge>}
                  </p>
                  <p className="mt-1 text-slate-900">{a.message}</p>
                  <p className="text-xs text-slate-500">{formatWhen(a.createdAt)}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">No alerts for this run.</p>
          )}
        </Section>

        {data.odooPush ? (
          <Section id="odoo-push" title="Odoo push (on approval)" className="lg:col-span-3">
            <Suspense fallback={<PushPlanSkeleton />}>
              <Await
                resolve={data.odooPush}
                errorElement={<p className="text-sm text-red-700">The dry-run could not be loaded. Reload the page to try again.</p>}
              >
                {(plan) => <PushPlanPanel plan={plan} />}
              </Await>
            </Suspense>
          </Section>
        ) : null}

        <QaSampleSection qa={data.qa} finished={finished} canOperate={data.canOperate} />
      </div>
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data ? `Run of ${formatDay(data.run.runDate)}` : "Run"} · Nexius Leads`,
  },
];

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: () => (
          <ErrorNotice
            status={404}
            title="Run not found"
            detail="This run does not exist in your workspace."
            back={{ to: "/app/runs", label: "See all runs" }}
          />
        ),
      }}
    />
  );
}
