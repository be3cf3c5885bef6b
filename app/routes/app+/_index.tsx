import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { QuotaExceededError } from "~/billing/quotas";
import { BudgetMeter } from "~/components/charts/budget-meter";
import { ScoreDistributionChart } from "~/components/charts/score-distribution-chart";
import { TrendChart } from "~/components/charts/trend-chart";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { dashboardSummary, resolveAlert } from "~/dashboard/dashboard.server";
import { RunProgressBar } from "~/dashboard/live-run-progress";
import { Notice, Section } from "~/dashboard/section";
import { VendorUsageTable } from "~/dashboard/vendor-usage-table";
import { isRunFinished } from "~/runs/run-vocabulary";
import { RunAlreadyActiveError, startRun } from "~/runs/start-run.server";
import { formatDay, formatWhen } from "~/utils/date-format";
import { formatCount, formatPercent } from "~/utils/number-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const summary = await dashboardSummary(viewer.tenant.id);
  return { ...summary, tenantName: viewer.tenant.name, canOperate: canOperate(viewer.roles) };
}

const DashboardAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("run-now") }),
  z.object({ intent: z.literal("resolve-alert"), alertId: z.string().default("") }),
]);

type ActionResult = { ok: boolean; message: string; activeRunId?: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult | Response | ReturnType<typeof data<ActionResult>>> {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const parsed = DashboardAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  const tenantId = viewer.tenant.id;
  const command = parsed.data;
  switch (command.intent) {
    case "run-now": {
      try {
        const { runId } = await startRun(tenantId, { kind: "manual", actor });
        return redirect(`/app/runs/${runId}`);
      } catch (error) {
        if (error instanceof RunAlreadyActiveError) {
          return { ok: false, message: "A run is already in progress for this workspace; only one full run runs at a time.", activeRunId: error.runId };
        }
        if (error instanceof QuotaExceededError) return data<ActionResult>({ ok: false, message: error.message }, { status: 402 });
        throw error;
      }
    }
    case "resolve-alert": {
      const alertId = z.uuid().safeParse(command.alertId);
      const resolved = alertId.success && (await resolveAlert(tenantId, actor, alertId.data));
      return resolved ? { ok: true, message: "Alert resolved." } : { ok: false, message: "That alert is already resolved or does not exist." };
    }
  }
}

const SEVERITY_TONE = { critical: "red", warning: "amber", info: "blue" } as const;

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST" ? String(navigation.formData?.get("intent") ?? "") : null;
  const { latest } = data;

  const runNow = data.canOperate ? (
    data.activeRunId ? (
      <Link
        to={`/app/runs/${data.activeRunId}`}
        className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        Watch the run in progress
      </Link>
    ) : (
      <Form method="post">
        <input type="hidden" name="intent" value="run-now" />
        <Button type="submit" disabled={busy === "run-now"}>
          {busy === "run-now" ? "Starting…" : "Run now"}
        </Button>
      </Form>
    )
  ) : null;

  return (
    <Page title="Dashboard" description={`${data.tenantName} · today is ${formatDay(data.today)} in Singapore`} actions={runNow}>
      {result ? (
        <Notice ok={result.ok}>
          {result.message}{" "}
          {result.activeRunId ? (
            <Link to={`/app/runs/${result.activeRunId}`} className="font-medium underline">
              Open the active run
            </Link>
          ) : null}
        </Notice>
      ) : null}

      {!latest ? (
        <EmptyState title="No runs yet">
          {data.canOperate
            ? "Start the first run with “Run now”: it picks today's candidates from your ICP, enriches them and scores a shortlist. The nightly run does the same every night."
            : "The nightly run fills this page with today's shortlist and its figures. An ops user or admin can also start a run now."}
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <Section
            id="latest-run"
            title="Latest run"
            actions={
              <Link to={`/app/runs/${latest.id}`} className="text-sm font-medium text-brand-700 hover:underline">
                Open run
              </Link>
            }
          >
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={statusTone(latest.status)}>{latest.status}</Badge>
              {latest.degraded ? <Badge tone="amber">degraded</Badge> : null}
              <span className="text-sm text-slate-600">
                {latest.kind} run of {formatDay(latest.runDate)}, started {formatWhen(latest.startedAt ?? latest.createdAt)}
                {latest.startedByEmail ? ` by ${latest.startedByEmail}` : ""}
              </span>
            </div>
            {isRunFinished(latest.status) ? (
              <dl className="mt-4 grid grid-cols-2 gap-3 text-sm">
                <div>
                  <dt className="text-slate-500">Finished</dt>
                  <dd className="font-medium">{formatWhen(latest.finishedAt)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Shortlist</dt>
                  <dd className="font-medium">{formatCount(latest.shortlist)} companies</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Verified-email rate</dt>
                  <dd className="font-medium">{formatPercent(latest.emailRate)}</dd>
                </div>
              </dl>
            ) : (
              <div className="mt-4">
                <RunProgressBar settled={latest.settled} target={latest.target} status={latest.status} />
              </div>
            )}
            {latest.degradedReasons.length ? (
              <div className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                <p className="font-medium">Why it is degraded</p>
                <ul className="mt-1 list-disc pl-5">
                  {latest.degradedReasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </Section>

          <Section id="distribution" title="Latest shortlist">
            {data.distribution ? (
              <ScoreDistributionChart
                id="dashboard-distribution"
                distribution={data.distribution.buckets}
                caption={`Run of ${formatDay(data.distribution.runDate)}`}
              />
            ) : (
              <p className="text-sm text-slate-600">The score distribution appears when the first run finishes.</p>
            )}
          </Section>

          <Section id="trend" title="Trend" className="lg:col-span-2">
            {data.trend.length ? (
              <TrendChart id="dashboard-trend" points={data.trend} />
            ) : (
              <p className="text-sm text-slate-600">The trend starts with the first finished run.</p>
            )}
          </Section>

          <Section id="spend" title="Today's usage">
            <BudgetMeter label="LLM tokens today" used={data.tokens.used} limit={data.tokens.budget} unit="tokens" />
            <p className="mt-1 text-xs text-slate-500">
              {formatCount(data.tokens.calls)} LLM calls. When the budget is used up, rationales fall back to the template text.
              {data.canOperate ? (
                <>
                  {" "}
                  <Link to="/app/settings#budget" className="text-brand-700 hover:underline">
                    Change the budget
                  </Link>
                </>
              ) : null}
            </p>
            <h3 className="mt-5 text-sm font-semibold text-slate-900">Vendor usage today</h3>
            {data.vendorsToday.length ? (
              <div className="mt-2">
                <VendorUsageTable vendors={data.vendorsToday} />
              </div>
            ) : (
              <p className="mt-2 text-sm text-slate-600">No vendor calls today yet.</p>
            )}
          </Section>

          <Section id="alerts" title={`Open alerts (${data.alerts.length})`}>
            {data.alerts.length ? (
              <ul className="divide-y divide-slate-100">
                {data.alerts.map((alert) => (
                  <li key={alert.id} className="flex flex-wrap items-start justify-between gap-3 py-3">
                    <div className="min-w-0 flex-1">
                      <p className="flex flex-wrap items-center gap-2 text-sm">
                        <Badge tone={SEVERITY_TONE[alert.severity as keyof typeof SEVERITY_TONE] ?? "gray"}>{alert.severity}</Badge>
                        <span className="font-mono text-xs text-slate-500">{alert.kind}</span>
                      </p>
                      <p className="mt-1 text-sm text-slate-900">{alert.message}</p>
                      <p className="mt-1 text-xs text-slate-500">
                        {formatWhen(alert.createdAt)}
                        {alert.runId ? (
                          <>
                            {" · "}
                            <Link to={`/app/runs/${alert.runId}`} className="text-brand-700 hover:underline">
                              its run
                            </Link>
                          </>
                        ) : null}
                      </p>
                    </div>
                    {data.canOperate ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="resolve-alert" />
                        <input type="hidden" name="alertId" value={alert.id} />
                        <Button
                          type="submit"
                          variant="secondary"
                          disabled={busy === "resolve-alert" && navigation.formData?.get("alertId") === alert.id}
                          aria-label={`Resolve alert: ${alert.message}`}
                        >
                          Resolve
                        </Button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">Nothing needs attention.</p>
            )}
          </Section>
        </div>
      )}
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Dashboard · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
