import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { Skeleton } from "~/components/charts/skeleton";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { Notice, Section } from "~/dashboard/section";
import { db } from "~/db.server";
import { connectionTone, dataHref, freshnessNote, runCountsLine, SOURCE_LABEL } from "~/lake/data-page";
import { dataPage } from "~/lake/data-page.server";
import { LAKE_SOURCES, SYNC_MODES } from "~/lake/pipeline";
import { SourceNotConnectedError, triggerSync } from "~/lake/sync-status.server";
import { durationMsBetween, formatDurationMs, formatWhen } from "~/utils/date-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  return dataPage(viewer, new URL(request.url));
}

const DataAction = z.object({ intent: z.literal("sync"), source: z.enum(LAKE_SOURCES), mode: z.enum(SYNC_MODES) });

type ActionResult = { ok: boolean; message: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = requireRole(request, await requireTenantUser(request), ["admin"]);
  const parsed = DataAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "Unknown action" };
  const { source, mode } = parsed.data;
  try {
    const requested = await db.$withTenant(viewer.tenant.id, (tx) =>
      triggerSync(tx, viewer.tenant.id, { source, mode, trigger: "manual", requestedBy: viewer.email }),
    );
    return requested.alreadyActive
      ? { ok: true, message: `A sync of ${SOURCE_LABEL[source]} is already in progress; its progress shows below.` }
      : { ok: true, message: `${mode === "full" ? "Full reconcile" : "Sync"} of ${SOURCE_LABEL[source]} queued.` };
  } catch (error) {
    if (error instanceof SourceNotConnectedError) return { ok: false, message: error.message };
    throw error;
  }
}

type PageData = SerializeFrom<typeof loader>;
type SourceView = PageData["sources"][number];
type RunView = PageData["runs"][number];
type EntityView = PageData["entities"][number];

/** How often the page reloads its data while a sync is queued or running. */
const POLL_MS = 2000;

function SyncButtons({ source, busy }: { source: SourceView; busy: string | null }) {
  // Pressed while a sync is queued or running, a button answers with that sync rather than starting a second.
  const disabled = busy !== null;
  return (
    <div className="flex flex-wrap gap-2">
      {SYNC_MODES.map((mode) => (
        <Form method="post" key={mode}>
          <input type="hidden" name="intent" value="sync" />
          <input type="hidden" name="source" value={source.source} />
          <input type="hidden" name="mode" value={mode} />
          <Button type="submit" variant={mode === "full" ? "secondary" : "primary"} disabled={disabled}>
            {busy === `${source.source}:${mode}` ? "Queuing…" : mode === "full" ? "Full reconcile" : "Sync now"}
          </Button>
        </Form>
      ))}
    </div>
  );
}

function SourceCard({ source, canSync, busy }: { source: SourceView; canSync: boolean; busy: string | null }) {
  const id = `source-${source.source}`;
  const run = source.activeRun;
  const last = source.lastFinishedRun;
  return (
    <Section id={id} title={SOURCE_LABEL[source.source]} actions={<Badge tone={connectionTone(source.status)}>{source.status.replaceAll("_", " ")}</Badge>}>
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="sr-only">Freshness</dt>
          <dd className={source.freshness === "stale" ? "font-medium text-amber-800" : "text-slate-700"} data-testid={`freshness-${source.source}`}>
            {source.lastSuccessAt ? `Data as of ${formatWhen(source.lastSuccessAt)}. ` : null}
            {freshnessNote(source)}
          </dd>
        </div>
        {source.connectionProblem ? (
          <div>
            <dt className="sr-only">Connection</dt>
            <dd className="text-slate-600">{source.connectionProblem}</dd>
          </div>
        ) : source.statusDetail ? (
          <div>
            <dt className="sr-only">Connection</dt>
            <dd className="text-red-800">{source.statusDetail}</dd>
          </div>
        ) : null}
        {last ? (
          <div>
            <dt className="inline text-slate-500">Last sync: </dt>
            <dd className="inline">
              <Badge tone={statusTone(last.status)}>{last.status}</Badge> {formatWhen(last.finishedAt)} · {runCountsLine(last)}
            </dd>
          </div>
        ) : null}
      </dl>
      {run ? (
        <div
          role="status"
          data-testid={`sync-progress-${source.source}`}
          className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950"
        >
          <p className="font-medium">
            {run.mode === "full" ? "Full reconcile" : "Incremental sync"} {run.status}
            {run.entity ? ` · loading ${run.entity}` : null}
          </p>
          <p className="tabular-nums">{runCountsLine(run)}</p>
          {run.error ? <p className="mt-1">Last attempt: {run.error}</p> : null}
        </div>
      ) : null}
      {canSync && source.connected ? (
        <div className="mt-4">
          <SyncButtons source={source} busy={busy} />
        </div>
      ) : null}
    </Section>
  );
}

const runColumns: DataColumn<RunView>[] = [
  { header: "Started", rowHeader: true, cellClassName: "font-normal whitespace-nowrap", cell: (run) => formatWhen(run.startedAt ?? run.createdAt) },
  { header: "Source", cell: (run) => SOURCE_LABEL[run.source] },
  { header: "Mode", cell: (run) => run.mode },
  {
    header: "Status",
    cell: (run) => (
      <span data-testid="run-status">
        <Badge tone={statusTone(run.status)}>{run.status}</Badge>
      </span>
    ),
  },
  { header: "Counts", cellClassName: "text-slate-700", cell: (run) => runCountsLine(run) },
  { header: "Duration", align: "right", cell: (run) => formatDurationMs(durationMsBetween(run.startedAt, run.finishedAt)) },
  {
    header: "By",
    cellClassName: "text-slate-700",
    className: "hidden md:table-cell",
    cell: (run) => run.requestedBy ?? (run.trigger === "schedule" ? "Schedule" : run.trigger),
  },
  { header: "Problems", cell: (run) => <RunProblems run={run} /> },
];

/** A run's error, missing source fields and first rejects, folded away until asked for. */
function RunProblems({ run }: { run: RunView }) {
  if (!run.error && !run.missingFields.length && !run.rejected) return <span className="text-slate-400">—</span>;
  return (
    <details className="max-w-md text-sm">
      <summary className="cursor-pointer text-brand-700">
        {[run.error ? "Error" : null, run.missingFields.length ? "Missing fields" : null, run.rejected ? `${run.rejected} rejected` : null]
          .filter(Boolean)
          .join(", ")}
      </summary>
      {run.error ? (
        <p className="mt-2 whitespace-pre-wrap text-red-800" data-testid="run-error">
          {run.error}
        </p>
      ) : null}
      {run.missingFields.length ? <p className="mt-2 text-amber-900">Not offered by the source: {run.missingFields.join(", ")}</p> : null}
      {run.rejects.length ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
          {run.rejects.map((reject) => (
            <li key={`${reject.entity}:${reject.sourceId}:${reject.reason}`}>
              {reject.entity} #{reject.sourceId}: {reject.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {run.rejected > run.rejects.length ? <p className="mt-1 text-slate-500">and {run.rejected - run.rejects.length} more</p> : null}
    </details>
  );
}

function entityColumns(type: string): DataColumn<EntityView>[] {
  return [
    {
      header: "Name",
      rowHeader: true,
      cell: (entity) => (
        <Link to={`/app/data/${type}/${entity.id}`} className="font-medium text-brand-700 hover:underline">
          {entity.label || "(no name)"}
        </Link>
      ),
    },
    {
      header: "Sources",
      cell: (entity) => (
        <span className="flex flex-wrap gap-1">
          {entity.sources.map((ref) => (
            <Badge key={`${ref.source}:${ref.entity}:${ref.sourceId}`} tone={ref.removedAt ? "gray" : "blue"}>
              {SOURCE_LABEL[ref.source]} {ref.entity} #{ref.sourceId}
            </Badge>
          ))}
        </span>
      ),
    },
    { header: "State", cell: (entity) => (entity.active ? "active" : "archived") },
    { header: "Updated", cellClassName: "whitespace-nowrap text-slate-700", cell: (entity) => formatWhen(entity.updatedAt) },
  ];
}

const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";

/** Keyset pages go forward only: a link back to the first page once paged, and one to the next page while there is one. */
function KeysetPager(props: { label: string; param: string; paged: boolean; next: string | null; firstText: string; nextText: string }) {
  const { search } = useLocation();
  return (
    <nav aria-label={props.label} className="mt-4 flex gap-2">
      {props.paged ? (
        <Link to={dataHref(search, { [props.param]: null })} className={linkClass}>
          {props.firstText}
        </Link>
      ) : null}
      {props.next ? (
        <Link to={dataHref(search, { [props.param]: props.next })} className={linkClass} rel="next">
          {props.nextText}
        </Link>
      ) : null}
    </nav>
  );
}

function EntityBrowser({ data, loading }: { data: PageData; loading: boolean }) {
  const { search } = useLocation();
  const columns = entityColumns(data.entityType);
  return (
    <Section id="entities" title="Canonical entities">
      <nav aria-label="Entity types" className="mb-4 flex flex-wrap gap-1 border-b border-slate-200">
        {data.entityTypes.map((type) => (
          <Link
            key={type}
            to={dataHref(search, { type, after: null, q: null })}
            aria-current={type === data.entityType ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium capitalize ${type === data.entityType ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {type}
          </Link>
        ))}
      </nav>
      <Form method="get" className="mb-4 flex flex-wrap gap-2" role="search">
        <input type="hidden" name="type" value={data.entityType} />
        <label htmlFor="entity-q" className="sr-only">
          Search {data.entityType}
        </label>
        <input
          id="entity-q"
          name="q"
          type="search"
          defaultValue={data.q}
          placeholder={`Search ${data.entityType}`}
          className="w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </Form>
      {data.entities.length === 0 ? (
        <p className="text-sm text-slate-600">{data.q ? `No ${data.entityType} match “${data.q}”.` : `No ${data.entityType} in the lake yet.`}</p>
      ) : (
        <div className="overflow-x-auto" aria-busy={loading}>
          <DataTable
            variant="inline"
            columns={loading ? columns.map(({ header }) => ({ header, cell: () => <Skeleton className="h-4 w-full" /> })) : columns}
            rows={data.entities}
            rowKey={(entity) => entity.id}
            caption={`Canonical ${data.entityType}`}
          />
        </div>
      )}
      <KeysetPager label="Entity pages" param="after" paged={data.entitiesPaged} next={data.nextEntities} firstText="First page" nextText="Next" />
    </Section>
  );
}

export default function DataLake() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const busy =
    navigation.state !== "idle" && navigation.formMethod === "POST" ? `${navigation.formData?.get("source")}:${navigation.formData?.get("mode")}` : null;
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/data";

  // Live progress: while a sync is queued or running, the page reloads its data every couple of seconds.
  useEffect(() => {
    if (!data.syncing) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [data.syncing, revalidator]);

  return (
    <Page title="Data" description="The data lake: what each source has delivered, how current it is, and the records it holds">
      {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
      <div className="mb-6 grid gap-4 md:grid-cols-2">
        {data.sources.map((source) => (
          <SourceCard key={source.source} source={source} canSync={data.canSync} busy={busy} />
        ))}
      </div>
      <Section id="sync-runs" title="Sync runs" className="mb-6">
        {data.runs.length === 0 ? (
          <EmptyState title="No sync yet">
            The scheduler syncs each connected source on the schedule set in Settings (by default hourly, with a full reconcile every night).
            {data.canSync ? " “Sync now” starts one straight away." : " An admin can also start one by hand."}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <DataTable variant="inline" columns={runColumns} rows={data.runs} rowKey={(run) => run.id} caption="Sync runs, newest first" />
          </div>
        )}
        <KeysetPager label="Sync run pages" param="runs" paged={data.runsPaged} next={data.olderRuns} firstText="Newest runs" nextText="Older runs" />
      </Section>
      <EntityBrowser data={data} loading={loading} />
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Data · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
