import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { Skeleton } from "~/components/charts/skeleton";
import { Button } from "~/components/ui/button";
import { Pagination } from "~/components/ui/pagination";
import { formatCount, formatWhen } from "~/dashboard/run-metrics";
import { Section } from "~/dashboard/section";
import { Outcome, useSettingsResult } from "./settings-form-state";
import type { SuppressionList } from "./suppression.server";
import { SUPPRESSION_KIND_LABELS, SUPPRESSION_KINDS, type RowError, type SuppressionKind } from "./suppression";
import { AddOneForm, CsvUploadForm, PasteListForm } from "./suppression-forms";

/**
 * The suppression lists on the settings page: the three ways to add, what an
 * import refused (line by line), and the list itself with its kind tabs,
 * search, pages and Remove buttons.
 */
export function SuppressionSection({ suppressions, page, filter }: { suppressions: SerializeFrom<SuppressionList>; page: number; filter: { kind: SuppressionKind | null; q: string } }) {
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
        Suppressed emails, domains and companies (UEN) are never shown as contacts, never verified and never pushed to Odoo. Emails are stored in lower case, domains without scheme or www.
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
          {filter.q || filter.kind ? "Nothing on the list matches this filter." : "Nothing is suppressed yet. Add an address, a domain or a UEN above, paste a list, or upload a CSV."}
        </p>
      ) : (
        <div className="mt-4 relative overflow-x-auto" aria-busy={loadingList}>
          <table className="min-w-full text-sm" data-testid="suppression-list">
            <caption className="sr-only">Suppressed values</caption>
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4">Value</th>
                <th scope="col" className="py-2 pr-4">Kind</th>
                <th scope="col" className="py-2 pr-4">Reason</th>
                <th scope="col" className="hidden py-2 pr-4 sm:table-cell">Added</th>
                <th scope="col" className="py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {loadingList
                ? Array.from({ length: Math.max(3, suppressions.entries.length) }, (_, i) => (
                    <tr key={i}>
                      <td colSpan={5} className="py-2">
                        <Skeleton className="h-5 w-full" />
                      </td>
                    </tr>
                  ))
                : suppressions.entries.map((entry) => (
                    <tr key={entry.id}>
                      <th scope="row" className="break-all py-2 pr-4 text-left font-mono text-xs font-normal text-slate-900">{entry.value}</th>
                      <td className="py-2 pr-4">{SUPPRESSION_KIND_LABELS[entry.kind]}</td>
                      <td className="py-2 pr-4 text-slate-700">{entry.reason ?? "—"}</td>
                      <td className="hidden whitespace-nowrap py-2 pr-4 text-xs text-slate-500 sm:table-cell">
                        {formatWhen(entry.createdAt)}
                        {entry.createdByEmail ? <span className="block">{entry.createdByEmail}</span> : null}
                      </td>
                      <td className="py-2 text-right">
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="intent" value="suppress-remove" />
                          <input type="hidden" name="id" value={entry.id} />
                          <Button type="submit" variant="ghost" className="px-2 py-1" aria-label={`Remove ${entry.value}`}>
                            Remove
                          </Button>
                        </Form>
                      </td>
                    </tr>
                  ))}
            </tbody>
          </table>
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
      <p role={result.ok ? "status" : "alert"} className={`rounded-md border p-3 text-sm ${result.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}>
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
    <div className="mt-3 relative overflow-x-auto rounded-md border border-red-200">
      <table className="min-w-full text-sm" data-testid="row-errors">
        <caption className="bg-red-50 px-3 py-2 text-left font-medium text-red-900">
          {errors.length} line{errors.length === 1 ? "" : "s"} refused — nothing was stored from {errors.length === 1 ? "it" : "them"}
        </caption>
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-1.5">Line</th>
            <th scope="col" className="px-3 py-1.5">Value</th>
            <th scope="col" className="px-3 py-1.5">Why</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-red-100">
          {errors.slice(0, 200).map((e) => (
            <tr key={e.line}>
              <th scope="row" className="px-3 py-1.5 text-left font-mono tabular-nums">{e.line}</th>
              <td className="max-w-xs truncate px-3 py-1.5 font-mono text-xs">{e.value}</td>
              <td className="px-3 py-1.5 text-red-800">{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.length > 200 ? <p className="px-3 py-2 text-xs text-slate-600">…and {errors.length - 200} more.</p> : null}
    </div>
  );
}
