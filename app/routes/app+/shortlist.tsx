import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { type ReactNode } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { QuotaExceededError } from "~/billing/quotas";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportActions } from "~/components/export-actions";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { exportRefusal } from "~/exports/export-quota.server";
import { RunAlreadyActiveError, startRun } from "~/runs/start-run.server";
import { BUCKETS } from "~/scoring/score";
import { isFiltered, parseShortlistSearch, SEARCH_MAX_LENGTH, SHORTLIST_PAGE_SIZE, shortlistSearch } from "~/shortlist/shortlist-query";
import { shortlistForTenant } from "~/shortlist/shortlist.server";
import { singaporeDate } from "~/utils/singapore-time";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const { query, errors } = parseShortlistSearch(new URL(request.url).searchParams);
  const today = singaporeDate(new Date());
  const [result, exportsRefused] = await Promise.all([shortlistForTenant(viewer.tenant.id, query, today), exportRefusal(viewer.tenant.id)]);
  return { ...result, query, errors, today, exportsRefused, canOperate: canOperate(viewer.roles) };
}

const ShortlistAction = z.discriminatedUnion("intent", [z.object({ intent: z.literal("run_now") })]);

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireTenantUser(request);
  requireRole(request, viewer, ["ops", "admin"]);
  const parsed = ShortlistAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "Unknown action" };
  try {
    const { runId } = await startRun(viewer.tenant.id, { kind: "manual", actor: { sub: viewer.sub, email: viewer.email } });
    return redirect(`/app/runs/${runId}`);
  } catch (error) {
    if (error instanceof RunAlreadyActiveError) return redirect(`/app/runs/${error.runId}`);
    if (error instanceof QuotaExceededError) return data({ ok: false, message: error.message }, { status: 402 });
    throw error;
  }
}

const BUCKET_TONE: Record<string, BadgeTone> = { High: "green", Medium: "amber", Low: "gray" };

const inputClass = "mt-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500";

type ShortlistRow = NonNullable<SerializeFrom<typeof loader>["shortlist"]>["rows"][number];

const shortlistColumns: DataColumn<ShortlistRow>[] = [
  { header: "Rank", cell: (row) => row.rank, align: "right", cellClassName: "text-slate-500" },
  {
    header: "Company",
    cell: (row) => (
      <>
        <Link to={`/app/companies/${row.uen}`} className="font-medium text-brand-700 hover:underline">
          {row.name ?? row.uen}
        </Link>
        <div className="text-xs text-slate-500">{row.uen}</div>
      </>
    ),
  },
  { header: "Bucket", cell: (row) => <Badge tone={BUCKET_TONE[row.bucket] ?? "gray"}>{row.bucket}</Badge> },
  { header: "Score", cell: (row) => row.score.toFixed(1), align: "right", cellClassName: "font-medium" },
  { header: "Domain", cell: (row) => row.domain ?? "—", className: "hidden md:table-cell", cellClassName: "text-slate-700" },
  { header: "Industry", cell: (row) => row.industry ?? "—", className: "hidden lg:table-cell", cellClassName: "text-slate-700" },
  {
    header: (
      <abbr title="Verified contacts" className="no-underline">
        Contacts
      </abbr>
    ),
    cell: (row) => row.verifiedContacts,
    align: "right",
  },
];

export default function Shortlist() {
  const { shortlist, date, today, latestDate, active, query, errors, exportsRefused, canOperate } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const location = useLocation();
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;
  const filtersOnly = { ...query, page: 1 };
  const exportQuery = shortlistSearch({ ...filtersOnly, date });
  const filtered = isFiltered(query);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "run_now";
  const refused = useActionData<typeof action>();

  return (
    <Page
      title="Shortlist"
      description={
        shortlist ? (
          <span className="flex flex-wrap items-center gap-2">
            <span>
              {date === today ? "Today" : date} · {shortlist.buckets.High + shortlist.buckets.Medium + shortlist.buckets.Low} companies · High{" "}
              {shortlist.buckets.High} · Medium {shortlist.buckets.Medium} · Low {shortlist.buckets.Low}
            </span>
            {shortlist.run.degraded ? (
              <span title={shortlist.run.degradedReasons.join("; ")}>
                <Badge tone="amber">degraded run</Badge>
              </span>
            ) : null}
          </span>
        ) : (
          "Ranked companies from the nightly run, with the reasons behind each score."
        )
      }
      actions={
        shortlist ? (
          <ExportActions refusal={exportsRefused}>
            <a
              href={`/api/export/shortlist.csv${exportQuery}`}
              download
              className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
            >
              Export CSV
            </a>
            <a
              href={`/api/export/shortlist.json${exportQuery}`}
              download
              className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
            >
              Export JSON
            </a>
          </ExportActions>
        ) : null
      }
    >
      <Form key={location.search} method="get" role="search" aria-label="Shortlist filters" className="mb-4 flex flex-wrap items-start gap-3">
        <Field label="Date" error={errors.date} id="f-date">
          <input
            id="f-date"
            type="date"
            name="date"
            defaultValue={params.get("date") ?? date}
            aria-invalid={Boolean(errors.date)}
            aria-describedby={errors.date ? "f-date-error" : undefined}
            className={inputClass}
          />
        </Field>
        <Field label="Bucket" error={errors.bucket} id="f-bucket">
          <select id="f-bucket" name="bucket" defaultValue={query.bucket ?? ""} aria-invalid={Boolean(errors.bucket)} className={inputClass}>
            <option value="">All</option>
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Industry" error={errors.industry} id="f-industry">
          <select id="f-industry" name="industry" defaultValue={query.industry ?? ""} className={`${inputClass} max-w-64`}>
            <option value="">All</option>
            {(shortlist?.industries ?? []).map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
            {query.industry && !shortlist?.industries.includes(query.industry) ? <option value={query.industry}>{query.industry}</option> : null}
          </select>
        </Field>
        <Field label="Search" error={errors.q} id="f-q">
          <input
            id="f-q"
            type="search"
            name="q"
            maxLength={SEARCH_MAX_LENGTH}
            defaultValue={params.get("q") ?? ""}
            placeholder="Name, UEN or domain"
            aria-invalid={Boolean(errors.q)}
            className={`${inputClass} w-56`}
          />
        </Field>
        <label className="mt-7 flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="hasEmail" value="1" defaultChecked={query.hasEmail} className="h-4 w-4 rounded border-slate-300" />
          Has verified email
        </label>
        <div className="mt-6 flex items-center gap-3">
          <Button type="submit">Apply</Button>
          {filtered || params.get("date") ? (
            <Link to="/app/shortlist" className="text-sm text-slate-600 underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </Form>

      {loading ? (
        <ShortlistSkeleton />
      ) : !shortlist ? (
        <EmptyState
          title={date === today ? "No shortlist for today yet" : `No shortlist for ${date}`}
          action={
            <div className="flex flex-wrap items-center justify-center gap-3">
              {latestDate && latestDate !== date ? (
                <Link
                  to={`/app/shortlist?date=${latestDate}`}
                  className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
                >
                  Open the latest shortlist ({latestDate})
                </Link>
              ) : null}
              {active ? (
                <Link
                  to={`/app/runs/${active.id}`}
                  className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
                >
                  Watch the run in progress
                </Link>
              ) : canOperate ? (
                <Form method="post" className="flex items-center gap-2">
                  <input type="hidden" name="intent" value="run_now" />
                  <Button type="submit" disabled={submitting}>
                    {submitting ? "Starting…" : "Run now"}
                  </Button>
                  {refused && !refused.ok ? (
                    <span role="alert" className="text-sm text-red-700">
                      {refused.message}
                    </span>
                  ) : null}
                </Form>
              ) : null}
              <Link to="/app/runs" className="text-sm text-slate-600 underline">
                See all runs
              </Link>
            </div>
          }
        >
          {active
            ? "A run is in progress; its shortlist appears here when it finishes."
            : canOperate
              ? "The nightly run builds the shortlist. Start one now, or pick another date."
              : "The nightly run builds the shortlist. Pick another date, or ask an ops user to start a run."}
        </EmptyState>
      ) : shortlist.rows.length === 0 ? (
        <EmptyState
          title={filtered ? "No company matches these filters" : "This page is past the end of the shortlist"}
          action={
            <Link to={`/app/shortlist${shortlistSearch({ date })}`} className="text-sm text-brand-700 underline">
              Show the whole shortlist
            </Link>
          }
        >
          {filtered ? "Try another bucket, industry or search." : null}
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {filtered ? `${shortlist.total} matching companies` : `${shortlist.total} companies`}, {SHORTLIST_PAGE_SIZE} per page
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <DataTable
              variant="card"
              density="compact"
              columns={shortlistColumns}
              rows={shortlist.rows}
              rowKey={(row) => row.uen}
              caption={`Shortlist for ${date}, ranked by score`}
            />
          </div>
          <Pagination page={shortlist.page} pages={shortlist.pages} />
        </>
      )}
    </Page>
  );
}

function Field({ label, error, id, children }: { label: string; error?: string; id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col text-sm">
      <label htmlFor={id} className="font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1 max-w-[14rem] text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ShortlistSkeleton() {
  return (
    <div role="status" aria-label="Loading the shortlist" className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="h-10 bg-slate-50" />
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="flex animate-pulse items-center gap-4 border-t border-slate-100 px-3 py-3">
          <div className="h-3 w-6 rounded bg-slate-200" />
          <div className="h-3 w-48 rounded bg-slate-200" />
          <div className="h-4 w-14 rounded bg-slate-100" />
          <div className="ml-auto h-3 w-10 rounded bg-slate-200" />
        </div>
      ))}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Shortlist · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
