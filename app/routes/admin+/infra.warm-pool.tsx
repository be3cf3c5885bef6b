import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { Notice, Section } from "~/dashboard/section";
import { env } from "~/env.server";
import { odooClient, odooSettings } from "~/odoo/connection.server";
import { WARM_STATES, type WarmState } from "~/odoo/warm-pool";
import { discardFailedCopy, reclaimStaleCopies, requestWarmPoolRefill, warmPoolOverview } from "~/odoo/warm-pool-admin.server";
import { formatWhen } from "~/utils/date-format";
import { withSearchParams } from "~/utils/search-params";

/**
 * The db_per_tenant warm pool: Odoo databases copied from the template ahead
 * of first logins. Owners and operators watch it, refill it now instead of at
 * the next five-minute tick, discard failed copies and reclaim copies a
 * stopped worker left half-made.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const url = new URL(request.url);
  const state = z.enum(WARM_STATES).safeParse(url.searchParams.get("state"));
  const page = pageParam(url);
  const overview = await warmPoolOverview({ page, state: state.success ? state.data : null });
  if (page > overview.pages) throw redirect(lastPageHref(url, overview.pages));
  return { ...overview, state: state.success ? state.data : null };
}

const ActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("refill") }),
  z.object({ intent: z.literal("discard"), dbName: z.string().regex(/^[\w.-]{1,63}$/, "Not a database name") }),
  z.object({ intent: z.literal("reclaim") }),
]);

type ActionResult = { ok: boolean; message: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const parsed = ActionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response(parsed.error.issues[0]?.message ?? "Unknown action", { status: 400 });
  const actor = { sub: viewer.sub, email: viewer.email };
  const form = parsed.data;
  switch (form.intent) {
    case "refill": {
      if (env().ODOO_WARM_POOL_SIZE === 0) return { ok: false, message: "The warm pool is off (ODOO_WARM_POOL_SIZE is 0): there is nothing to refill." };
      await requestWarmPoolRefill(actor);
      return { ok: true, message: "Refill queued: the worker tops the pool up to its size now." };
    }
    case "discard": {
      const settings = odooSettings();
      const result = await discardFailedCopy(odooClient(), settings.masterPassword, form.dbName, actor).catch((error: unknown) => ({
        ok: false as const,
        message: `Odoo did not drop ${form.dbName}: ${error instanceof Error ? error.message : String(error)}`,
      }));
      if (!result.ok) return result;
      return { ok: true, message: result.dropped ? `${form.dbName} dropped in Odoo and discarded.` : `${form.dbName} discarded (Odoo had no such database).` };
    }
    case "reclaim": {
      const reclaimed = await reclaimStaleCopies(actor);
      return reclaimed.length === 0
        ? { ok: false, message: "No copy has been creating for that long: nothing to reclaim." }
        : { ok: true, message: `Reclaimed ${reclaimed.join(", ")}: ${reclaimed.length === 1 ? "it is" : "they are"} retried by the refill now queued.` };
    }
  }
}

type LoaderData = SerializeFrom<typeof loader>;
type Row = LoaderData["rows"][number];

const STATE_TONES: Record<WarmState, BadgeTone> = { creating: "amber", ready: "green", claimed: "blue", failed: "red" };
const STATE_LABELS: Record<WarmState, string> = { creating: "Creating", ready: "Ready", claimed: "Claimed", failed: "Failed" };

const columns: DataColumn<Row>[] = [
  { header: "Database", rowHeader: true, cellClassName: "font-mono text-xs", cell: (r) => r.dbName },
  {
    header: "State",
    cell: (r) => (
      <span className="flex flex-wrap gap-1">
        <Badge tone={STATE_TONES[r.state as WarmState] ?? "gray"}>{r.state}</Badge>
        {r.stale ? <Badge tone="red">stale</Badge> : null}
      </span>
    ),
  },
  {
    header: "Tenant",
    cell: (r) =>
      r.tenant ? (
        <Link to={`/admin/tenants/${r.tenant.id}`} className="text-brand-700 hover:underline">
          {r.tenant.name}
        </Link>
      ) : (
        "—"
      ),
  },
  { header: "Attempts", align: "right", cell: (r) => r.attempts },
  {
    header: "Error",
    cellClassName: "max-w-md break-words text-xs text-slate-700",
    cell: (r) =>
      r.error ? (
        <>
          {r.error}
          {r.state === "failed" && r.retryAt ? <div className="mt-1 text-slate-500">Retried from {formatWhen(r.retryAt)}</div> : null}
        </>
      ) : (
        "—"
      ),
  },
  { header: "Created", cellClassName: "whitespace-nowrap text-slate-700", cell: (r) => formatWhen(r.createdAt) },
  { header: "Started", cellClassName: "whitespace-nowrap text-slate-700", cell: (r) => formatWhen(r.startedAt) },
  { header: "Ready", cellClassName: "whitespace-nowrap text-slate-700", cell: (r) => formatWhen(r.readyAt) },
  { header: "Claimed", cellClassName: "whitespace-nowrap text-slate-700", cell: (r) => formatWhen(r.claimedAt) },
  {
    header: <span className="sr-only">Actions</span>,
    cell: (r) =>
      r.state === "failed" ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="discard" />
          <input type="hidden" name="dbName" value={r.dbName} />
          <Button type="submit" variant="secondary" aria-label={`Discard ${r.dbName}`}>
            Discard
          </Button>
        </Form>
      ) : null,
  },
];

export default function WarmPool() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "refill";
  const loading = navigation.state === "loading" && navigation.location.pathname === "/admin/infra/warm-pool";
  const off = data.size === 0;
  return (
    <Page
      title="Warm pool"
      description={
        <>
          Odoo databases copied from <span className="font-mono">{data.template}</span> ahead of time, so a first login in db_per_tenant mode takes one instead
          of waiting for Odoo to create a database. The platform&apos;s default mode is {data.mode}; the create wizard can give a tenant a database of its own.
        </>
      }
      actions={
        <>
          <Link to="/admin/infra/templates" className="text-sm text-brand-700 hover:underline">
            Infra templates
          </Link>
          {off ? null : (
            <Form method="post">
              <input type="hidden" name="intent" value="refill" />
              <Button type="submit" disabled={busy}>
                {busy ? "Queuing…" : "Refill now"}
              </Button>
            </Form>
          )}
        </>
      }
    >
      {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
      {off && data.total === 0 && !data.state ? (
        <EmptyState title="The warm pool is off">
          <p>
            <span className="font-mono">ODOO_WARM_POOL_SIZE</span> is 0, so every db_per_tenant first login waits for Odoo&apos;s create_database. Set it to the
            number of ready copies to keep (for example 2) on the web server and the worker; the worker then copies the template with duplicate_database and
            refills every five minutes and after each claim.
          </p>
        </EmptyState>
      ) : (
        <div className={`space-y-6 ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          {off ? (
            <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
              ODOO_WARM_POOL_SIZE is 0: no new copies are made, and first logins still take the ready ones below.
            </p>
          ) : null}
          <PoolCounts />
          {data.staleCreating > 0 ? (
            <div role="alert" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
              <span>
                {data.staleCreating} {data.staleCreating === 1 ? "copy has" : "copies have"} been creating for more than {data.staleAfterMinutes} minutes: its
                worker stopped mid-copy, and the slot stays taken until it is reclaimed.
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="reclaim" />
                <Button type="submit" variant="secondary">
                  Reclaim stale copies
                </Button>
              </Form>
            </div>
          ) : null}
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <DataTable
              variant="card"
              columns={columns}
              rows={data.rows}
              rowKey={(r) => r.dbName}
              caption={`Warm pool copies${data.state ? ` (${data.state})` : ""}, page ${data.page} of ${data.pages}`}
              empty={data.state ? `No ${data.state} copy.` : "No copy yet: the next refill makes them."}
            />
          </div>
          <Pagination page={data.page} pages={data.pages} />
          {params.get("state") ? (
            <Link to="/admin/infra/warm-pool" className="text-sm text-slate-600 underline">
              Show every copy
            </Link>
          ) : null}
          <RecentActions />
        </div>
      )}
    </Page>
  );
}

function PoolCounts() {
  const { counts, size, state } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label="Warm pool counts">
      <div className="rounded-md border border-slate-200 bg-white px-3 py-2">
        <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Target size</dt>
        <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900">{size}</dd>
      </div>
      {WARM_STATES.map((s) => (
        <div key={s} className={`rounded-md border px-3 py-2 ${state === s ? "border-brand-600 bg-brand-50" : "border-slate-200 bg-white"}`}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{STATE_LABELS[s]}</dt>
          <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900">
            <Link
              to={`/admin/infra/warm-pool${withSearchParams(params.toString(), { state: state === s ? null : s, page: null })}`}
              aria-label={`${STATE_LABELS[s]}: ${counts[s]}${state === s ? " (shown; show every copy)" : " (show only these)"}`}
              className="hover:underline"
            >
              {counts[s]}
            </Link>
          </dd>
        </div>
      ))}
    </dl>
  );
}

const ACTION_WORDS: Record<string, string> = { refill: "asked for a refill", discard: "discarded", reclaim: "reclaimed" };

function RecentActions() {
  const { actions } = useLoaderData<typeof loader>();
  return (
    <Section id="warm-pool-actions" title="Recent actions">
      {actions.length === 0 ? (
        <p className="text-sm text-slate-500">Nobody has refilled, discarded or reclaimed anything yet.</p>
      ) : (
        <ul className="space-y-1 text-sm text-slate-700" aria-label="Recent warm pool actions">
          {actions.map((a) => (
            <li key={a.id}>
              <span className="text-slate-500">{formatWhen(a.createdAt)}</span> · {a.actorEmail ?? a.actorSub} {ACTION_WORDS[a.action] ?? a.action}
              {a.dbName ? <span className="font-mono text-xs"> {a.dbName}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export const meta: MetaFunction = () => [{ title: "Warm pool · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
