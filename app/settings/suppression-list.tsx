import { type SerializeFrom } from "@remix-run/node";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { Skeleton } from "~/components/charts/skeleton";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Pagination } from "~/components/ui/pagination";
import { Section } from "~/dashboard/section";
import { formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { Outcome, useSettingsResult } from "./settings-form-state";
import { SUPPRESSION_KIND_LABELS, SUPPRESSION_KINDS, type RowError, type SuppressionKind } from "./suppression";
import { AddOneForm, CsvUploadForm, PasteListForm } from "./suppression-forms";
import { type SuppressionList } from "./suppression.server";

/**
 * The suppression lists on the settings page: the three ways to add, what an
 * import refused (line by line), and the list itself with its kind tabs,
 * search, pages and Remove buttons.
 */
type Entry = SerializeFrom<SuppressionList>["entries"][number];

const ENTRY_COLUMNS: DataColumn<Entry>[] = [
  {
    header: "Value",
    cell: (entry) => entry.value,
    rowHeader: true,
    cellClassName: "break-all font-mono text-xs !font-normal text-slate-900",
  },
  { header: "Kind", cell: (entry) => SUPPRESSION_KIND_LABELS[entry.kind] },
  {
    header: "Reason",
    cell: (entry) => entry.reason ?? "—",
    cellClassName: "text-slate-700",
  },
  {
    header: "Added",
    cell: (entry) => (
      <>
        {formatWhen(entry.createdAt)}
        {entry.createdByEmail ? <span className="block">{entry.createdByEmail}</span> : null}
      </>
    ),
    className: "hidden sm:table-cell",
    cellClassName: "whitespace-nowrap text-xs text-slate-500",
  },
  {
    header: <span className="sr-only">Actions</span>,
    cell: (entry) => (
      <Form method="post" preventScrollReset>
        <input type="hidden" name="intent" value="suppress-remove" />
        <input type="hidden" name="id" value={entry.id} />
        <Button type="submit" variant="ghost" className="px-2 py-1" aria-label={`Remove ${entry.value}`}>
          Remove
        </Button>
      </Form>
    ),
    align: "right",
  },
];

// While another page of the list loads, its rows keep their place as skeletons.
const LOADING_COLUMNS: DataColumn<{ id: string }>[] = ENTRY_COLUMNS.map((column) => ({
  header: column.header,
  className: column.className,
  cell: () => <Skeleton className="h-5 w-full" />,
}));

const ROW_ERROR_COLUMNS: DataColumn<RowError>[] = [
  {
    header: "Line",
    cell: (e) => e.line,
    rowHeader: true,
    cellClassName: "font-mono tabular-nums",
  },
  {
    header: "Value",
    cell: (e) => e.value,
    cellClassName: "max-w-xs truncate font-mono text-xs",
  },
  { header: "Why", cell: (e) => e.reason, cellClassName: "text-red-800" },
];

export function SuppressionSection({
  suppressions,
  page,
  filter,
}: {
  suppressions: SerializeFrom<SuppressionList>;
  page: number;
  filter: { kind: SuppressionKind | null; q: string };
}) {
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const loadingList = navigation.state === "loading" && navigation.location.pathname === "/app/settings";
  const removeResult = useSettingsResult("suppress-remove");
  const total = SUPPRESSION_KINDS.reduce((s, k) => s + suppressions.counts[k], 0);
  const tabHref = (kind: SuppressionKind | null) => {
    const search = new URLSearchParams(params);
    search.delete("page");
    if (kind) search.set("kind", kind);
    else search.delete("kind");
    const query = search.toString();
    return `/app/settings${query ? `?${query}` : ""}#suppression`;
  };
  return (
    <Section id="suppression" title="Suppression lists">
      <p className="mb-4 text-sm text-slate-600">
        Suppressed emails, domains and companies (UEN) are never shown as contacts, never verified and never pushed to Odoo. Emails are stored in lower case,
        domains without scheme or www.
      </p>
      <div className="grid gap-4 md:grid-cols-3">
        <AddOneForm />
        <PasteListForm />
        <CsvUploadForm />
      </div>
      <ImportOutcome />

      <div className="mt-6 flex flex-wrap items-end justify-between gap-3">
        <nav aria-label="Suppression list filter" className="flex flex-wrap gap-1">
          {[null, ...SUPPRESSION_KINDS].map((k) => {
            const current = filter.kind === k;
            return (
              <Link
                key={k ?? "all"}
                to={tabHref(k)}
                aria-current={current ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${current ? "bg-brand-50 text-brand-700 ring-1 ring-brand-600/30" : "text-slate-600 hover:bg-slate-100"}`}
              >
                {k ? `${SUPPRESSION_KIND_LABELS[k]}s` : "All"} ({formatCount(k ? suppressions.counts[k] : total)})
              </Link>
            );
          })}
        </nav>
        <Form method="get" role="search" className="flex items-end gap-2">
          {filter.kind ? <input type="hidden" name="kind" value={filter.kind} /> : null}
          <label className="flex flex-col text-sm">
            <span className="sr-only">Search the suppression list</span>
            <input type="search" name="q" defaultValue={filter.q} placeholder="Search values" className="w-48 rounded-md border border-slate-300 px-3 py-1.5" />
          </label>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </Form>
      </div>

      <Outcome result={removeResult} />
      {suppressions.entries.length === 0 && !loadingList ? (
        <p className="mt-4 rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          {filter.q || filter.kind
            ? "Nothing on the list matches this filter."
            : "Nothing is suppressed yet. Add an address, a domain or a UEN above, paste a list, or upload a CSV."}
        </p>
      ) : (
        <div className="relative mt-4 overflow-x-auto" aria-busy={loadingList}>
          {loadingList ? (
            <DataTable
              data-testid="suppression-list"
              caption="Suppressed values"
              columns={LOADING_COLUMNS}
              rows={Array.from({ length: Math.max(3, suppressions.entries.length) }, (_, i) => ({ id: String(i) }))}
              rowKey={(row) => row.id}
            />
          ) : (
            <DataTable
              data-testid="suppression-list"
              caption="Suppressed values"
              columns={ENTRY_COLUMNS}
              rows={suppressions.entries}
              rowKey={(entry) => entry.id}
            />
          )}
        </div>
      )}
      <Pagination page={page} pages={suppressions.pages} />
    </Section>
  );
}

/** The outcome of a paste or an upload, full width so the refused rows can be read: line, value and why. */
function ImportOutcome() {
  const result = useSettingsResult(["suppress-paste", "suppress-csv"]);
  if (!result?.rowErrors) return null;
  const source = result.intent === "suppress-csv" ? "csv" : "paste";
  return (
    <div className="mt-4" data-testid={`${source}-result`}>
      <p
        role={result.ok ? "status" : "alert"}
        className={`rounded-md border p-3 text-sm ${result.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}
      >
        {result.message}
        {source === "paste" && result.rowErrors.length ? " The refused lines are back in the box to fix." : ""}
      </p>
      <RowErrors errors={result.rowErrors} />
    </div>
  );
}

function RowErrors({ errors }: { errors: RowError[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <div className="relative mt-3 overflow-x-auto rounded-md border border-red-200">
      <DataTable
        data-testid="row-errors"
        variant="inset"
        density="compact"
        caption={`${errors.length} line${errors.length === 1 ? "" : "s"} refused — nothing was stored from ${errors.length === 1 ? "it" : "them"}`}
        captionClassName="bg-red-50 px-3 py-2 text-left font-medium text-red-900"
        columns={ROW_ERROR_COLUMNS}
        rows={errors.slice(0, 200)}
        rowKey={(e) => String(e.line)}
      />
      {errors.length > 200 ? <p className="px-3 py-2 text-xs text-slate-600">…and {errors.length - 200} more.</p> : null}
    </div>
  );
}
