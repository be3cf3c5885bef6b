import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { Skeleton } from "~/components/charts/skeleton";
import { Button } from "~/components/ui/button";
import { Page } from "~/components/ui/page";
import { lastPageHref, pageParam, Pagination } from "~/components/ui/pagination";
import { formatCount, formatWhen } from "~/dashboard/run-metrics";
import { Notice, Section } from "~/dashboard/section";
import { InvalidIcpRulesError } from "~/icp/rules";
import { log } from "~/logger.server";
import {
  FREE_MAIL_CHOICES,
  FreeMailForm,
  fieldErrors,
  ODOO_PUSH_MODES,
  PasteForm,
  PushModeForm,
  submittedValues,
  SuppressOneForm,
  ThresholdsForm,
  TokenBudgetForm,
  type FieldErrors,
} from "~/settings/settings-forms";
import { changeOdooPushMode, setDailyTokenBudget, updateIcpField, workspaceSettings } from "~/settings/settings.server";
import { isSuppressionKind, MAX_IMPORT_ROWS, parsePastedList, SUPPRESSION_KIND_LABELS, SUPPRESSION_KINDS, type RowError, type SuppressionKind } from "~/settings/suppression";
import { parseSuppressionCsv } from "~/settings/suppression-csv.server";
import { addSuppressions, listSuppressions, removeSuppression } from "~/settings/suppression.server";
import { useZodForm } from "~/settings/use-zod-form";

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
  const [settings, suppressions] = await Promise.all([workspaceSettings(viewer.tenant.id), listSuppressions(viewer.tenant.id, { kind, q, page })]);
  if (page > suppressions.pages) throw redirect(lastPageHref(url, suppressions.pages));
  return { settings, suppressions, page, filter: { kind: kind ?? null, q: q ?? "" } };
}

const Intent = z.enum(["suppress-one", "suppress-paste", "suppress-csv", "suppress-remove", "free-mail", "thresholds", "push-mode", "budget"]);
type Intent = z.infer<typeof Intent>;

export type ActionResult = {
  intent: Intent | null;
  ok: boolean;
  message: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  rowErrors?: RowError[];
};

const MAX_UPLOAD_BYTES = 1024 * 1024;

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 2 * MAX_UPLOAD_BYTES) return { intent: null, ok: false, message: "That upload is too large: the limit is 1 MB." };
  const form = await request.formData();
  const intent = Intent.safeParse(form.get("intent"));
  if (!intent.success) return { intent: null, ok: false, message: "Unknown action" };
  const tenantId = viewer.tenant.id;
  const actor = { sub: viewer.sub, email: viewer.email };
  const refused = (names: string[], error: z.ZodError, message = "Check the highlighted fields."): ActionResult => ({
    intent: intent.data,
    ok: false,
    message,
    errors: fieldErrors(error),
    values: submittedValues(form, names),
  });

  switch (intent.data) {
    case "suppress-one": {
      const names = ["kind", "value", "reason"];
      const parsed = SuppressOneForm.safeParse(Object.fromEntries(names.map((n) => [n, form.get(n) ?? undefined])));
      if (!parsed.success) return refused(names, parsed.error);
      const result = await addSuppressions(tenantId, actor, [parsed.data], "single");
      return {
        intent: "suppress-one",
        ok: true,
        message: result.added ? `${parsed.data.value} is now suppressed.` : `${parsed.data.value} was already on the list.`,
      };
    }
    case "suppress-paste": {
      const names = ["kind", "values", "reason"];
      const parsed = PasteForm.safeParse(Object.fromEntries(names.map((n) => [n, form.get(n) ?? undefined])));
      if (!parsed.success) return refused(names, parsed.error);
      const { rows, errors } = parsePastedList(parsed.data.values, parsed.data.kind, parsed.data.reason);
      if (rows.length + errors.length > MAX_IMPORT_ROWS) {
        return { intent: "suppress-paste", ok: false, message: `Paste at most ${formatCount(MAX_IMPORT_ROWS)} lines at once.`, values: submittedValues(form, names) };
      }
      const result = await addSuppressions(tenantId, actor, rows, "paste");
      return {
        intent: "suppress-paste",
        ok: errors.length === 0,
        message: importMessage(result.added, result.alreadyListed, errors.length),
        rowErrors: errors,
        // Only the refused lines go back into the box, so fixing them and submitting again adds nothing twice.
        values: errors.length ? { ...submittedValues(form, ["kind", "reason"]), values: rejectedLines(parsed.data.values, errors) } : undefined,
      };
    }
    case "suppress-csv": {
      const file = form.get("file");
      const kindValue = String(form.get("kind") ?? "auto");
      const kind = kindValue === "auto" || isSuppressionKind(kindValue) ? (kindValue as SuppressionKind | "auto") : "auto";
      // A browser cannot put a file back into its input, but the chosen kind comes back.
      const values = { kind };
      if (!(file instanceof File) || file.size === 0) return { intent: "suppress-csv", ok: false, message: "Choose a CSV file to upload.", errors: { file: "Choose a CSV file" }, values };
      if (file.size > MAX_UPLOAD_BYTES) return { intent: "suppress-csv", ok: false, message: "That file is larger than 1 MB; split it into smaller files.", errors: { file: "At most 1 MB" }, values };
      const { rows, errors, tooMany } = parseSuppressionCsv(await file.text(), kind);
      if (tooMany) return { intent: "suppress-csv", ok: false, message: `The file has more than ${formatCount(MAX_IMPORT_ROWS)} rows; split it into smaller files. Nothing was stored.`, values };
      const result = await addSuppressions(tenantId, actor, rows, "csv");
      return { intent: "suppress-csv", ok: errors.length === 0, message: `${file.name}: ${importMessage(result.added, result.alreadyListed, errors.length)}`, rowErrors: errors, values };
    }
    case "suppress-remove": {
      const id = z.uuid().safeParse(form.get("id"));
      const removed = id.success ? await removeSuppression(tenantId, actor, id.data) : null;
      return removed
        ? { intent: "suppress-remove", ok: true, message: `${removed.value} is no longer suppressed.` }
        : { intent: "suppress-remove", ok: false, message: "That entry was already removed." };
    }
    case "free-mail": {
      const parsed = FreeMailForm.safeParse({ freeMail: form.get("freeMail") ?? undefined });
      if (!parsed.success) return refused(["freeMail"], parsed.error);
      return saveIcpField(intent.data, () => updateIcpField(tenantId, actor, { freeMail: parsed.data.freeMail }), "Free-mail policy saved");
    }
    case "thresholds": {
      const names = ["high", "medium"];
      const parsed = ThresholdsForm.safeParse({ high: form.get("high") ?? undefined, medium: form.get("medium") ?? undefined });
      if (!parsed.success) return refused(names, parsed.error);
      return saveIcpField(intent.data, () => updateIcpField(tenantId, actor, { scoreThresholds: parsed.data }), "Score thresholds saved", submittedValues(form, names));
    }
    case "push-mode": {
      const parsed = PushModeForm.safeParse({ odooPushMode: form.get("odooPushMode") ?? undefined });
      if (!parsed.success) return refused(["odooPushMode"], parsed.error);
      const { changed } = await changeOdooPushMode(tenantId, actor, parsed.data.odooPushMode);
      const label = ODOO_PUSH_MODES.find((m) => m.value === parsed.data.odooPushMode)!.label;
      return { intent: "push-mode", ok: true, message: changed ? `Odoo push mode is now “${label}”.` : `Odoo push mode was already “${label}”.` };
    }
    case "budget": {
      const parsed = TokenBudgetForm.safeParse({ dailyTokenBudget: form.get("dailyTokenBudget") ?? undefined });
      if (!parsed.success) return refused(["dailyTokenBudget"], parsed.error);
      const { changed } = await setDailyTokenBudget(tenantId, actor, parsed.data.dailyTokenBudget);
      return { intent: "budget", ok: true, message: changed ? `The daily token budget is now ${formatCount(parsed.data.dailyTokenBudget)} tokens.` : "The daily token budget was unchanged." };
    }
  }
}

async function saveIcpField(intent: Intent, save: () => Promise<{ changed: boolean; version: { version: number } }>, done: string, values?: Record<string, string>): Promise<ActionResult> {
  try {
    const result = await save();
    return { intent, ok: true, message: result.changed ? `${done} as ICP version ${result.version.version}.` : `${done}: nothing changed.` };
  } catch (error) {
    if (!(error instanceof InvalidIcpRulesError)) throw error;
    // The field itself was checked above; this is another field of the saved rules that today's schema refuses.
    log().warn({ err: error }, "the current ICP rules do not validate");
    return { intent, ok: false, message: `The current ICP rules could not be saved again: ${error.issues.map((i) => i.message).join("; ")}. Fix them on the ICP page first.`, values };
  }
}

function importMessage(added: number, alreadyListed: number, refused: number): string {
  const parts = [`${formatCount(added)} added`];
  if (alreadyListed) parts.push(`${formatCount(alreadyListed)} already on the list`);
  if (refused) parts.push(`${formatCount(refused)} line${refused === 1 ? "" : "s"} refused (nothing stored from ${refused === 1 ? "it" : "them"})`);
  return `${parts.join(", ")}.`;
}

function rejectedLines(text: string, errors: RowError[]): string {
  const lines = text.split(/\r\n|\r|\n/);
  return errors.map((e) => lines[e.line - 1] ?? "").join("\n");
}

export const meta: MetaFunction = () => [{ title: "Settings · Nexius Leads" }];

const inputClass = "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-500";

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

function useResult(intent: Intent | Intent[]) {
  const result = useActionData<typeof action>();
  const intents = Array.isArray(intent) ? intent : [intent];
  return result && result.intent && intents.includes(result.intent) ? result : undefined;
}

function useBusy(intent: Intent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

function Outcome({ result }: { result: ActionResult | undefined }) {
  return result ? <Notice ok={result.ok}>{result.message}</Notice> : null;
}

export default function Settings() {
  const { settings, suppressions, page, filter } = useLoaderData<typeof loader>();
  const unscoped = useActionData<typeof action>();
  return (
    <Page title="Settings" description="Suppression lists, lead policies and the Odoo push for this workspace. Every change is recorded in the audit log.">
      {unscoped && !unscoped.intent ? <Notice ok={false}>{unscoped.message}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <SuppressionSection suppressions={suppressions} page={page} filter={filter} />
        </div>
        <div className="min-w-0 space-y-6">
          <FreeMailSection current={settings.freeMail} />
          <ThresholdsSection current={settings.scoreThresholds} />
          <PushModeSection current={settings.odooPushMode} latestRun={settings.latestRun} />
          <BudgetSection current={settings.dailyTokenBudget} updatedBy={settings.updatedByEmail} updatedAt={settings.updatedAt} />
        </div>
      </div>
    </Page>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function KindSelect({ id, defaultValue, withAuto }: { id: string; defaultValue?: string; withAuto?: boolean }) {
  return (
    <select id={id} name="kind" defaultValue={defaultValue ?? (withAuto ? "auto" : "email")} className={inputClass}>
      {withAuto ? <option value="auto">Auto-detect</option> : null}
      {SUPPRESSION_KINDS.map((k) => (
        <option key={k} value={k}>
          {SUPPRESSION_KIND_LABELS[k]}
        </option>
      ))}
    </select>
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

function SuppressionSection({ suppressions, page, filter }: { suppressions: LoaderData["suppressions"]; page: number; filter: LoaderData["filter"] }) {
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const loadingList = navigation.state === "loading" && navigation.location.pathname === "/app/settings";
  const removeResult = useResult("suppress-remove");
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
  const result = useResult(["suppress-paste", "suppress-csv"]);
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

function FormCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-slate-200 p-4">
      <h3 className="mb-3 text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </div>
  );
}

function AddOneForm() {
  const result = useResult("suppress-one");
  const busy = useBusy("suppress-one");
  const { errors, onSubmit } = useZodForm(SuppressOneForm, result?.errors);
  const values = result?.ok ? undefined : result?.values;
  return (
    <FormCard title="Add one">
      <Form method="post" onSubmit={onSubmit} noValidate key={result?.ok ? result.message : "add-one"} preventScrollReset>
        <input type="hidden" name="intent" value="suppress-one" />
        <label htmlFor="one-kind" className="block text-sm font-medium text-slate-700">
          Kind
        </label>
        <KindSelect id="one-kind" defaultValue={values?.kind} withAuto />
        <label htmlFor="one-value" className="mt-3 block text-sm font-medium text-slate-700">
          Value
        </label>
        <input
          id="one-value"
          name="value"
          defaultValue={values?.value}
          placeholder="jane@acme.sg, acme.sg or 201912345K"
          className={inputClass}
          aria-invalid={Boolean(errors.value)}
          aria-describedby={errors.value ? "one-value-error" : undefined}
        />
        <FieldError id="one-value-error" message={errors.value} />
        <label htmlFor="one-reason" className="mt-3 block text-sm font-medium text-slate-700">
          Reason <span className="font-normal text-slate-500">(optional)</span>
        </label>
        <input id="one-reason" name="reason" defaultValue={values?.reason} className={inputClass} maxLength={200} />
        <Button type="submit" className="mt-3 w-full" disabled={busy}>
          {busy ? "Adding…" : "Add to the list"}
        </Button>
      </Form>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={`mt-2 text-sm ${result.ok ? "text-emerald-800" : "text-red-700"}`}>
          {result.ok ? result.message : null}
        </p>
      ) : null}
    </FormCard>
  );
}

function PasteListForm() {
  const result = useResult("suppress-paste");
  const busy = useBusy("suppress-paste");
  const { errors, onSubmit } = useZodForm(PasteForm, result?.errors);
  const values = result?.values;
  return (
    <FormCard title="Paste a list">
      <Form method="post" onSubmit={onSubmit} noValidate key={result ? result.message : "paste"} preventScrollReset>
        <input type="hidden" name="intent" value="suppress-paste" />
        <label htmlFor="paste-kind" className="block text-sm font-medium text-slate-700">
          Kind
        </label>
        <KindSelect id="paste-kind" defaultValue={values?.kind} withAuto />
        <label htmlFor="paste-values" className="mt-3 block text-sm font-medium text-slate-700">
          Values, one per line
        </label>
        <textarea
          id="paste-values"
          name="values"
          rows={5}
          defaultValue={values?.values}
          className={`${inputClass} font-mono text-xs`}
          aria-invalid={Boolean(errors.values)}
          aria-describedby={errors.values ? "paste-values-error" : "paste-values-help"}
        />
        <p id="paste-values-help" className="mt-1 text-xs text-slate-500">
          Blank lines and lines starting with # are skipped.
        </p>
        <FieldError id="paste-values-error" message={errors.values} />
        <label htmlFor="paste-reason" className="mt-3 block text-sm font-medium text-slate-700">
          Reason <span className="font-normal text-slate-500">(optional)</span>
        </label>
        <input id="paste-reason" name="reason" defaultValue={values?.reason} className={inputClass} maxLength={200} />
        <Button type="submit" className="mt-3 w-full" disabled={busy}>
          {busy ? "Adding…" : "Add all"}
        </Button>
      </Form>
      {result && !result.errors && !result.rowErrors ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {result.message}
        </p>
      ) : null}
    </FormCard>
  );
}

function CsvUploadForm() {
  const result = useResult("suppress-csv");
  const busy = useBusy("suppress-csv");
  return (
    <FormCard title="Upload a CSV">
      <Form method="post" encType="multipart/form-data" key={result ? result.message : "csv"} preventScrollReset>
        <input type="hidden" name="intent" value="suppress-csv" />
        <label htmlFor="csv-file" className="block text-sm font-medium text-slate-700">
          CSV file (up to 1 MB)
        </label>
        <input
          id="csv-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
          aria-invalid={Boolean(result?.errors?.file)}
          aria-describedby="csv-help"
        />
        <FieldError id="csv-file-error" message={result?.errors?.file} />
        <p id="csv-help" className="mt-1 text-xs text-slate-500">
          Header <code>kind,value,reason</code> (any order), or a single <code>email</code>, <code>domain</code> or <code>uen</code> column. Without a header each row is <code>value,reason</code> of the kind below.
        </p>
        <label htmlFor="csv-kind" className="mt-3 block text-sm font-medium text-slate-700">
          Kind for rows that do not say
        </label>
        <KindSelect id="csv-kind" defaultValue={result?.values?.kind} withAuto />
        <Button type="submit" className="mt-3 w-full" disabled={busy}>
          {busy ? "Uploading…" : "Upload"}
        </Button>
      </Form>
      {result && !result.rowErrors && !result.errors?.file ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {result.message}
        </p>
      ) : null}
    </FormCard>
  );
}

function ChoiceForm<T extends string>({
  id,
  title,
  intent,
  name,
  current,
  choices,
  note,
}: {
  id: string;
  title: string;
  intent: Intent;
  name: string;
  current: T;
  choices: ReadonlyArray<{ value: T; label: string; help: string }>;
  note?: ReactNode;
}) {
  const result = useResult(intent);
  const busy = useBusy(intent);
  return (
    <Section id={id} title={title}>
      <Outcome result={result} />
      <Form method="post" key={current} preventScrollReset>
        <input type="hidden" name="intent" value={intent} />
        <fieldset>
          <legend className="sr-only">{title}</legend>
          <div className="space-y-2">
            {choices.map((c) => (
              <label key={c.value} className="flex gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
                <input type="radio" name={name} value={c.value} defaultChecked={c.value === current} className="mt-0.5" />
                <span>
                  <span className="block font-medium text-slate-900">
                    {c.label}
                    {c.value === current ? <span className="ml-2 text-xs font-normal text-slate-500">(current)</span> : null}
                  </span>
                  <span className="block text-slate-600">{c.help}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {note ? <p className="mt-2 text-xs text-slate-500">{note}</p> : null}
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </Button>
      </Form>
    </Section>
  );
}

function FreeMailSection({ current }: { current: LoaderData["settings"]["freeMail"] }) {
  return (
    <ChoiceForm
      id="free-mail"
      title="Free-mail addresses"
      intent="free-mail"
      name="freeMail"
      current={current}
      choices={FREE_MAIL_CHOICES}
      note="Saved as a new version of the ICP; suppression lists always win."
    />
  );
}

function PushModeSection({ current, latestRun }: { current: LoaderData["settings"]["odooPushMode"]; latestRun: LoaderData["settings"]["latestRun"] }) {
  const note =
    current !== "on_approval" ? undefined : latestRun ? (
      <Link to={`/app/runs/${latestRun.id}#odoo-push`} className="text-brand-700 underline">
        Review the dry-run of the run of {latestRun.runDate} and approve it
      </Link>
    ) : (
      "Each finished run's page shows its dry-run and the Approve button."
    );
  return <ChoiceForm id="odoo-push" title="Odoo push" intent="push-mode" name="odooPushMode" current={current} choices={ODOO_PUSH_MODES} note={note} />;
}

function ThresholdsSection({ current }: { current: { high: number; medium: number } }) {
  const result = useResult("thresholds");
  const busy = useBusy("thresholds");
  const { errors, onSubmit } = useZodForm(ThresholdsForm, result?.errors);
  const values = result?.ok ? undefined : result?.values;
  return (
    <Section id="thresholds" title="Score thresholds">
      <Outcome result={result} />
      <Form method="post" onSubmit={onSubmit} noValidate key={`${current.high}-${current.medium}`} preventScrollReset>
        <input type="hidden" name="intent" value="thresholds" />
        <p className="mb-3 text-sm text-slate-600">Scores run from 0 to 100: at or above High is High, at or above Medium is Medium, the rest Low.</p>
        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor="threshold-high" className="block text-sm font-medium text-slate-700">
              High from
            </label>
            <input
              id="threshold-high"
              name="high"
              inputMode="numeric"
              defaultValue={values?.high ?? String(current.high)}
              className={inputClass}
              aria-invalid={Boolean(errors.high)}
              aria-describedby={errors.high ? "threshold-high-error" : undefined}
            />
            <FieldError id="threshold-high-error" message={errors.high} />
          </div>
          <div>
            <label htmlFor="threshold-medium" className="block text-sm font-medium text-slate-700">
              Medium from
            </label>
            <input
              id="threshold-medium"
              name="medium"
              inputMode="numeric"
              defaultValue={values?.medium ?? String(current.medium)}
              className={inputClass}
              aria-invalid={Boolean(errors.medium)}
              aria-describedby={errors.medium ? "threshold-medium-error" : undefined}
            />
            <FieldError id="threshold-medium-error" message={errors.medium} />
          </div>
        </div>
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save thresholds"}
        </Button>
      </Form>
    </Section>
  );
}

function BudgetSection({ current, updatedBy, updatedAt }: { current: number; updatedBy: string | null; updatedAt: string | Date | null }) {
  const result = useResult("budget");
  const busy = useBusy("budget");
  const { errors, onSubmit } = useZodForm(TokenBudgetForm, result?.errors);
  const values = result?.ok ? undefined : result?.values;
  return (
    <Section id="budget" title="Daily token budget">
      <Outcome result={result} />
      <Form method="post" onSubmit={onSubmit} noValidate key={current} preventScrollReset>
        <input type="hidden" name="intent" value="budget" />
        <label htmlFor="budget-input" className="block text-sm font-medium text-slate-700">
          LLM tokens per day (Singapore time)
        </label>
        <input
          id="budget-input"
          name="dailyTokenBudget"
          inputMode="numeric"
          defaultValue={values?.dailyTokenBudget ?? String(current)}
          className={inputClass}
          aria-invalid={Boolean(errors.dailyTokenBudget)}
          aria-describedby={errors.dailyTokenBudget ? "budget-error" : "budget-help"}
        />
        <FieldError id="budget-error" message={errors.dailyTokenBudget} />
        <p id="budget-help" className="mt-1 text-xs text-slate-500">
          When it is used up, rationales use the template text until midnight.
          {updatedBy ? ` Last changed by ${updatedBy}, ${formatWhen(updatedAt)}.` : ""}
        </p>
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save budget"}
        </Button>
      </Form>
    </Section>
  );
}
