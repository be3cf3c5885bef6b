import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Await, Form, isRouteErrorResponse, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Suspense } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { ScoreDistributionChart } from "~/components/charts/score-distribution-chart";
import { Skeleton } from "~/components/charts/skeleton";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Page } from "~/components/ui/page";
import { EventFeed, LiveRunProgress, RunProgressBar } from "~/dashboard/live-run-progress";
import { approvePush, loadPushPlan, type PushPlanView } from "~/dashboard/odoo-push.server";
import {
  durationBetween,
  formatCount,
  formatDay,
  formatDuration,
  formatMs,
  formatPercent,
  formatUsd,
  formatWhen,
  type RunMetricsView,
} from "~/dashboard/run-metrics";
import { isRunFinished, stageLabel } from "~/dashboard/run-stages";
import { NotInQaSampleError, QaCheckForm, recordQaCheck, runDetail, type QaEntry } from "~/dashboard/runs.server";
import { Notice, Section, Stat } from "~/dashboard/section";
import { VendorUsageTable } from "~/dashboard/vendor-usage-table";
import { invariantFound } from "~/http.server";
import { pushModeOf } from "~/odoo/push-mode.server";
import { seesPersonalData } from "~/privacy/mask";
import { fieldErrors, submittedValues, type FieldErrors } from "~/settings/settings-forms";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const id = z.uuid().safeParse(params.id);
  const detail = id.success ? await runDetail(viewer.tenant.id, id.data, { maskPersonalData: !seesPersonalData(viewer.roles) }) : null;
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

const Intent = z.enum(["qa-check", "approve-push"]);

type ActionResult = {
  ok: boolean;
  intent: z.infer<typeof Intent> | null;
  uen?: string;
  message: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
};

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const id = z.uuid().safeParse(params.id);
  invariantFound(id.success ? id.data : null, "No such run");
  const form = await request.formData();
  const intent = Intent.safeParse(form.get("intent"));
  if (!intent.success) return { ok: false, intent: null, message: "Unknown action" };
  const actor = { sub: viewer.sub, email: viewer.email };
  if (intent.data === "approve-push") return { intent: "approve-push", ...(await approvePush(viewer.tenant.id, id.data!, actor)) };
  const values = submittedValues(form, ["uen", "verdict", "notes"]);
  const parsed = QaCheckForm.safeParse({ uen: form.get("uen") ?? "", verdict: form.get("verdict") ?? undefined, notes: form.get("notes") ?? "" });
  if (!parsed.success)
    return { ok: false, intent: "qa-check", uen: values.uen, message: "Check the highlighted fields.", errors: fieldErrors(parsed.error), values };
  try {
    await recordQaCheck(viewer.tenant.id, actor, id.data!, parsed.data);
  } catch (error) {
    if (error instanceof NotInQaSampleError) return { ok: false, intent: "qa-check", uen: parsed.data.uen, message: error.message, values };
    throw error;
  }
  return { ok: true, intent: "qa-check", uen: parsed.data.uen, message: `${parsed.data.uen} marked ${parsed.data.verdict === "ok" ? "OK" : "as a problem"}.` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Run of ${formatDay(data.run.runDate)}` : "Run"} · Nexius Leads` }];

const KIND_LABEL: Record<string, string> = { nightly: "Nightly run", manual: "Manual run", re_enrich: "Re-enrich run" };
const SEVERITY_TONE = { critical: "red", warning: "amber", info: "blue" } as const;
const CONTACT_VENDORS = ["apify_linkedin", "lusha"];

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
                progress: { status: run.status, target: run.target, settled: run.settled, stages: data.stages },
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
            <dd>{formatDuration(durationBetween(run.startedAt, run.finishedAt))}</dd>
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

        <Section id="qa" title="QA sample of High entries" className="lg:col-span-3">
          {data.qa.length ? (
            <>
              <p className="mb-3 text-sm text-slate-600">
                {data.qa.filter((q) => q.check).length} of {data.qa.length} checked. Open each company, judge whether High is right, and record the verdict.
              </p>
              <ul className="divide-y divide-slate-100">
                {data.qa.map((entry) => (
                  <QaRow key={entry.uen} entry={entry} canOperate={data.canOperate} />
                ))}
              </ul>
            </>
          ) : (
            <p className="text-sm text-slate-600">
              {finished ? "This run has no High entries to sample." : "The sample of ten High entries is drawn when the run finishes."}
            </p>
          )}
        </Section>
      </div>
    </Page>
  );
}

function MetricsSection({
  metrics,
  candidatesTotal,
  vendors,
}: {
  metrics: RunMetricsView;
  candidatesTotal: number | null;
  vendors: Array<{ vendor: string; calls: number }>;
}) {
  const contactVendors = vendors.filter((v) => CONTACT_VENDORS.includes(v.vendor));
  return (
    <>
      <Section id="metrics" title="Run figures" className="lg:col-span-2">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <Stat label="Candidates (pre-filter)" value={formatCount(metrics.candidates_total ?? candidatesTotal)} />
          <Stat
            label="Candidates (post-filter)"
            value={formatCount(metrics.candidates_post_filter)}
            hint={`${formatCount(metrics.companies)} enriched, ${formatCount(metrics.failed)} failed`}
          />
          <Stat label="Crawl success rate" value={formatPercent(metrics.crawl_success_rate)} />
          <Stat label="Tavily fallback rate" value={formatPercent(metrics.tavily_fallback_rate)} />
          <Stat
            label="Contact-vendor coverage"
            value={formatPercent(metrics.contacts_available_rate)}
            hint={contactVendors.length ? contactVendors.map((v) => `${v.vendor}: ${formatCount(v.calls)} calls`).join(", ") : "no contact-vendor calls"}
          />
          <Stat label="Verified-email rate" value={formatPercent(metrics.email_rate)} />
          <Stat label="Token spend" value={formatCount(metrics.token_spend)} hint="LLM tokens" />
          <Stat label="Vendor cost" value={formatUsd(metrics.vendor_cost_usd)} hint={`error rate ${formatPercent(metrics.vendor_error_rate)}`} />
          <Stat label="Rationale cache hits" value={formatPercent(metrics.rationale_cache_hit_rate)} />
        </dl>
        <h3 className="mt-6 text-sm font-semibold text-slate-900">Latency per stage</h3>
        {metrics.latency_ms?.length ? (
          <div className="relative mt-2 overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-1.5 pr-4">
                    Stage
                  </th>
                  <th scope="col" className="py-1.5 pr-4 text-right">
                    p50
                  </th>
                  <th scope="col" className="py-1.5 pr-4 text-right">
                    p95
                  </th>
                  <th scope="col" className="py-1.5 text-right">
                    Steps
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {metrics.latency_ms.map((l) => (
                  <tr key={l.stage}>
                    <th scope="row" className="py-1.5 pr-4 text-left font-medium">
                      {stageLabel(l.stage)}
                    </th>
                    <td className="py-1.5 pr-4 text-right">{formatMs(l.p50)}</td>
                    <td className="py-1.5 pr-4 text-right">{formatMs(l.p95)}</td>
                    <td className="py-1.5 text-right">{formatCount(l.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No timed steps recorded.</p>
        )}
      </Section>
      <Section id="run-distribution" title="Shortlist">
        {metrics.score_distribution ? (
          <ScoreDistributionChart id="run-distribution-chart" distribution={metrics.score_distribution} />
        ) : (
          <p className="text-sm text-slate-600">No company was scored in this run.</p>
        )}
      </Section>
    </>
  );
}

function PushPlanSkeleton() {
  return (
    <div aria-busy className="space-y-3">
      <p className="text-sm text-slate-600">Asking Odoo what the push would change…</p>
      <Skeleton className="h-16 w-full" />
      <Skeleton className="h-32 w-full" />
    </div>
  );
}

const EXCLUSION_TEXT: Record<string, string> = {
  bucket: "not High or Medium",
  suppressed_uen: "suppressed UEN",
  suppressed_domain: "suppressed domain",
  not_in_registry: "not in the registry",
  invalid: "incomplete data",
};

function PushPlanPanel({ plan }: { plan: PushPlanView }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "approve-push";
  const outcome = result?.intent === "approve-push" ? result : undefined;
  if (!plan.ok) return <Notice ok={false}>{plan.message}</Notice>;
  const c = plan.counts;
  const nothing = c.companiesCreate + c.companiesUpdate + c.contactsCreate + c.contactsUpdate === 0;
  const show = (v: string | number | boolean | null) => (v === null ? "—" : String(v));
  return (
    <div className="space-y-5" data-testid="push-plan">
      {outcome ? <Notice ok={outcome.ok}>{outcome.message}</Notice> : null}
      <p className="text-sm text-slate-600">
        {plan.approved
          ? "This run's push was approved. Below is what pushing it again would change in Odoo now (a dry run)."
          : "This workspace pushes leads to Odoo only after an operator approves. This is a dry run: nothing has been written to Odoo yet."}
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Companies to create" value={c.companiesCreate} />
        <Stat label="Companies to update" value={c.companiesUpdate} hint={`${c.companiesUnchanged + c.companiesSkipped} already up to date`} />
        <Stat label="Contacts to create" value={c.contactsCreate} />
        <Stat label="Contacts to update" value={c.contactsUpdate} hint={`${c.contactsUnchanged} unchanged`} />
      </dl>
      {Object.keys(plan.excluded).length || plan.droppedContacts ? (
        <p className="text-sm text-slate-700">
          Left out:{" "}
          {Object.entries(plan.excluded)
            .map(([reason, n]) => `${n} ${EXCLUSION_TEXT[reason] ?? reason}`)
            .join(", ")}
          {plan.droppedContacts ? `${Object.keys(plan.excluded).length ? ", " : ""}${plan.droppedContacts} contacts with a suppressed address` : ""}. Emails
          withheld: {plan.withheldEmails.unverified ?? 0} unverified, {plan.withheldEmails.suppressed ?? 0} suppressed, {plan.withheldEmails.invalid ?? 0}{" "}
          invalid.
        </p>
      ) : null}
      {plan.warnings.length ? (
        <ul className="list-disc rounded-md border border-amber-200 bg-amber-50 p-3 pl-8 text-sm text-amber-900">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {plan.companyCreates.length ? (
        <details open={plan.companyCreates.length <= 10}>
          <summary className="cursor-pointer text-sm font-semibold text-slate-900">New companies ({c.companiesCreate})</summary>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {plan.companyCreates.map((company) => (
              <li key={company.uen} className="py-2">
                <span className="font-medium text-emerald-800">+ {company.name}</span> <span className="font-mono text-xs text-slate-500">{company.uen}</span>
                <span className="block text-xs text-slate-600">{company.fields.map((f) => `${f.field}: ${show(f.value)}`).join(" · ")}</span>
              </li>
            ))}
          </ul>
          {c.companiesCreate > plan.companyCreates.length ? (
            <p className="text-xs text-slate-500">…and {c.companiesCreate - plan.companyCreates.length} more.</p>
          ) : null}
        </details>
      ) : null}
      {plan.companyUpdates.length || plan.contactUpdates.length ? (
        <details open>
          <summary className="cursor-pointer text-sm font-semibold text-slate-900">Changes to existing partners</summary>
          <div className="relative mt-2 overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-1.5 pr-4">
                    Partner
                  </th>
                  <th scope="col" className="py-1.5 pr-4">
                    Field
                  </th>
                  <th scope="col" className="py-1.5 pr-4">
                    Now in Odoo
                  </th>
                  <th scope="col" className="py-1.5">
                    After the push
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {[
                  ...plan.companyUpdates.map((u) => ({ who: u.uen, changes: u.changes })),
                  ...plan.contactUpdates.map((u) => ({ who: `${u.key} (${u.uen})`, changes: u.changes })),
                ].flatMap((u) =>
                  u.changes.map((change, i) => (
                    <tr key={`${u.who}-${change.field}`}>
                      <th scope="row" className="py-1.5 pr-4 text-left font-mono text-xs font-normal">
                        {i === 0 ? u.who : ""}
                      </th>
                      <td className="py-1.5 pr-4">{change.field}</td>
                      <td className="py-1.5 pr-4 text-red-800">
                        <del>{show(change.before)}</del>
                      </td>
                      <td className="py-1.5 text-emerald-800">
                        <ins className="no-underline">{show(change.after)}</ins>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
      {plan.contactCreates.length ? (
        <details>
          <summary className="cursor-pointer text-sm font-semibold text-slate-900">New contacts ({c.contactsCreate})</summary>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {plan.contactCreates.map((contact) => (
              <li key={`${contact.uen}-${contact.name}-${contact.email}`} className="py-1.5">
                + {contact.name}
                {contact.function ? `, ${contact.function}` : ""} {contact.email ? <span className="text-slate-600">&lt;{contact.email}&gt;</span> : null}{" "}
                <span className="font-mono text-xs text-slate-500">{contact.uen}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Form method="post" className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="intent" value="approve-push" />
        <Button type="submit" disabled={busy || nothing}>
          {busy ? "Pushing to Odoo…" : plan.approved ? "Push again" : "Approve and push to Odoo"}
        </Button>
        <span className="text-sm text-slate-600">
          {plan.approved
            ? "Already approved; pushing again sends only what changed."
            : nothing
              ? "Nothing to push: Odoo already matches this run."
              : "Approving is recorded in the audit log."}
        </span>
      </Form>
    </div>
  );
}

function QaRow({ entry, canOperate }: { entry: QaEntry & { check: (QaEntry["check"] & { checkedAt: string | Date }) | null }; canOperate: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const result = fetcher.data?.uen === entry.uen ? fetcher.data : undefined;
  const values = result?.values;
  const fieldId = `qa-${entry.uen}`;
  return (
    <li className="grid gap-3 py-4 md:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)]" data-testid={`qa-${entry.uen}`}>
      <div className="min-w-0">
        <Link to={`/app/companies/${entry.uen}`} className="font-medium text-brand-700 hover:underline">
          {entry.name ?? entry.uen}
        </Link>
        <p className="text-xs text-slate-500">
          <span className="font-mono">{entry.uen}</span>
          {entry.domain ? ` · ${entry.domain}` : ""}
          {entry.score !== null ? ` · score ${Math.round(entry.score)}` : ""}
          {entry.bucket ? ` · ${entry.bucket}` : ""}
        </p>
        <p className="mt-1 text-sm">
          {entry.check ? (
            <>
              <Badge tone={entry.check.verdict === "ok" ? "green" : "red"}>{entry.check.verdict === "ok" ? "checked: OK" : "checked: problem"}</Badge>{" "}
              <span className="text-xs text-slate-500">
                by {entry.check.checkedByEmail ?? "someone"}, {formatWhen(entry.check.checkedAt)}
              </span>
              {entry.check.notes ? <span className="mt-1 block text-slate-700">“{entry.check.notes}”</span> : null}
            </>
          ) : (
            <Badge tone="gray">not checked</Badge>
          )}
        </p>
      </div>
      {canOperate ? (
        <fetcher.Form method="post" className="flex flex-wrap items-end gap-3" aria-label={`QA check for ${entry.name ?? entry.uen}`}>
          <input type="hidden" name="intent" value="qa-check" />
          <input type="hidden" name="uen" value={entry.uen} />
          <fieldset className="text-sm">
            <legend className="font-medium text-slate-700">Verdict</legend>
            <div className="mt-1 flex gap-3">
              {(["ok", "problem"] as const).map((v) => (
                <label key={v} className="flex items-center gap-1.5">
                  <input
                    type="radio"
                    name="verdict"
                    value={v}
                    defaultChecked={(values?.verdict ?? entry.check?.verdict) === v}
                    aria-invalid={Boolean(result?.errors?.verdict)}
                  />
                  {v === "ok" ? "OK" : "Problem"}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="flex min-w-0 flex-1 flex-col text-sm" htmlFor={`${fieldId}-notes`}>
            <span className="font-medium text-slate-700">Notes</span>
            <input
              id={`${fieldId}-notes`}
              name="notes"
              defaultValue={values?.notes ?? entry.check?.notes ?? ""}
              maxLength={1000}
              className="mt-1 w-full min-w-40 rounded-md border border-slate-300 px-3 py-1.5"
              aria-invalid={Boolean(result?.errors?.notes)}
              aria-describedby={result && !result.ok ? `${fieldId}-error` : undefined}
            />
          </label>
          <Button type="submit" variant="secondary" disabled={busy}>
            {busy ? "Saving…" : "Mark checked"}
          </Button>
          {result ? (
            <p
              id={`${fieldId}-error`}
              role={result.ok ? "status" : "alert"}
              className={`basis-full text-sm ${result.ok ? "text-emerald-800" : "text-red-700"}`}
            >
              {result.errors?.verdict ?? result.errors?.notes ?? result.message}
            </p>
          ) : null}
        </fetcher.Form>
      ) : null}
    </li>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  if (!notFound) throw error;
  return (
    <Page title="Run not found">
      <p className="text-slate-600">
        This run does not exist in your workspace.{" "}
        <Link to="/app/runs" className="text-brand-700 hover:underline">
          See all runs
        </Link>
      </p>
    </Page>
  );
}
