import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { latestCandidateRefresh } from "~/icp/candidates.server";
import { currentIcpRules, icpHistory, previewCandidates, saveIcpRules } from "~/icp/icp.server";
import { INDUSTRIES } from "~/icp/industries";
import { POSTAL_DISTRICTS, REGIONS } from "~/icp/postal";
import { defaultIcpRules, FREE_MAIL_POLICIES, InvalidIcpRulesError } from "~/icp/rules";
import { COMMON_STATUSES, formToRulesInput, formValuesOf, issuesToFieldErrors, rulesToFormValues, type FieldErrors, type FormValues } from "~/icp/rules-form";
import { changeText } from "~/icp/rules-text";
import { previewResult, type PreviewResult } from "~/icp/preview-view";

/**
 * The ICP editor: every rule as a form (ops and admins edit, viewers read),
 * a live preview of what the unsaved rules match, and the version history
 * with what each version changed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const tenantId = viewer.tenant.id;
  const current = await currentIcpRules(tenantId);
  const rules = current?.rules ?? defaultIcpRules();
  const [history, preview, refresh] = await Promise.all([
    icpHistory(tenantId, { limit: 30 }),
    previewCandidates(tenantId, rules, { sampleSize: 20 }),
    latestCandidateRefresh(tenantId),
  ]);
  return {
    version: current?.version ?? null,
    savedBy: current ? (current.authorEmail ?? current.authorSub) : null,
    savedAt: current?.createdAt.toISOString() ?? null,
    values: rulesToFormValues(rules),
    preview: previewResult(preview),
    refresh: refresh ? { status: refresh.status, candidateCount: refresh.candidateCount, finishedAt: refresh.finishedAt?.toISOString() ?? null, icpVersion: refresh.icpVersion } : null,
    history: history.map((h) => ({
      version: h.version,
      author: h.authorEmail ?? h.authorSub ?? "system",
      createdAt: h.createdAt.toISOString(),
      changes: h.changes.map((c) => ({ path: c.path, kind: c.kind, text: changeText(c) })),
    })),
    canEdit: canOperate(viewer.roles),
  };
}

export type SaveResult = { ok: true; changed: boolean; version: number } | { ok: false; errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs): Promise<SaveResult> {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const values = formValuesOf(await request.formData());
  if (values.intent !== "save") throw new Response("Unknown action", { status: 400 });
  const { input, errors } = formToRulesInput(values);
  if (Object.keys(errors).length) return { ok: false, errors, values };
  try {
    const saved = await saveIcpRules(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, input);
    return { ok: true, changed: saved.changed, version: saved.version.version };
  } catch (error) {
    if (error instanceof InvalidIcpRulesError) return { ok: false, errors: issuesToFieldErrors(error.issues), values };
    throw error;
  }
}

export const meta: MetaFunction = () => [{ title: "ICP · Nexius Leads" }];

const number = new Intl.NumberFormat("en-SG");
const when = new Intl.DateTimeFormat("en-SG", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Singapore" });

const FREE_MAIL_LABELS: Record<(typeof FREE_MAIL_POLICIES)[number], string> = {
  exclude: "Exclude free-mail addresses (gmail.com, …)",
  allow_low_confidence: "Allow them, marked low confidence",
  allow: "Allow them",
};

function list(values: FormValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
}

function text(values: FormValues, name: string): string {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

export default function IcpEditor() {
  const { version, savedBy, savedAt, values: saved, preview: initialPreview, refresh, history, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  const previewer = useFetcher<PreviewResult>();
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [dirty, setDirty] = useState(false);

  const failed = result && !result.ok ? result : null;
  const values = failed?.values ?? saved;
  const livePreview = previewer.data;
  const errors: FieldErrors = { ...(livePreview && !livePreview.ok ? livePreview.errors : {}), ...(failed && navigation.state === "idle" && !livePreview ? failed.errors : {}) };
  // While the form is invalid, keep showing what the last valid rules matched.
  const [lastValid, setLastValid] = useState<Extract<PreviewResult, { ok: true }> | null>(null);
  useEffect(() => {
    if (livePreview?.ok) setLastValid(livePreview);
  }, [livePreview]);
  const preview = livePreview?.ok ? livePreview : (lastValid ?? (initialPreview.ok ? initialPreview : null));
  const previewing = previewer.state !== "idle";

  useEffect(() => {
    if (result?.ok) setDirty(false);
  }, [result]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onChange = () => {
    if (!form.current || !canEdit) return;
    setDirty(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const data = new FormData(form.current!);
      data.delete("intent");
      previewer.load(`/app/icp/preview?${new URLSearchParams(data as unknown as Record<string, string>).toString()}`);
    }, 400);
  };

  const field = (name: string) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${name}-error` : undefined,
  });

  return (
    <Page
      title="Ideal customer profile"
      description={version ? `Version ${version}, saved by ${savedBy} on ${when.format(new Date(savedAt!))}` : "The default rules; nobody has changed them yet."}
    >
      {!canEdit ? (
        <p className="mb-4 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700" role="note">
          Read-only: your role can see the ICP but not change it. Ask an ops or admin user of your workspace.
        </p>
      ) : null}
      {result?.ok ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
          {result.changed ? `Saved version ${result.version}. The candidate list is being refreshed.` : "Nothing changed, so no new version was saved."}
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          Not saved: {Object.keys(failed.errors).length === 1 ? "one field needs" : `${Object.keys(failed.errors).length} fields need`} attention. Your input is kept below.
        </p>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr),minmax(0,2fr)]">
        <Form method="post" ref={form} onChange={onChange} key={version ?? 0} noValidate aria-label="ICP rules">
          <input type="hidden" name="intent" value="save" />
          <fieldset disabled={!canEdit} className="space-y-5">
            <Section title="Industries" hint="Words from the industry vocabulary; each stands for SSIC 2020 code prefixes.">
              <CheckboxList name="industries" legend="Target industries" options={INDUSTRIES.map((i) => ({ value: i.key, label: i.label }))} checked={list(values, "industries")} error={errors.industries} />
              <CheckboxList name="excludedIndustries" legend="Excluded industries" options={INDUSTRIES.map((i) => ({ value: i.key, label: i.label }))} checked={list(values, "excludedIndustries")} error={errors.excludedIndustries} />
            </Section>

            <Section title="SSIC codes" hint="Codes or prefixes of 1–5 digits, separated by commas.">
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField name="ssicInclude" label="Include" defaultValue={text(values, "ssicInclude")} error={errors.ssicInclude} placeholder="62, 5820" field={field} />
                <TextField name="ssicExclude" label="Exclude" defaultValue={text(values, "ssicExclude")} error={errors.ssicExclude} placeholder="64" field={field} />
              </div>
              <label className="mt-3 flex items-center gap-2 text-sm">
                <input type="checkbox" name="includeSecondarySsic" defaultChecked={text(values, "includeSecondarySsic") === "on"} className="h-4 w-4 rounded border-slate-300" />
                Also match the secondary SSIC code
              </label>
            </Section>

            <Section title="Registry filters">
              <CheckboxList
                name="statuses"
                legend="Statuses"
                options={[...new Set([...COMMON_STATUSES, ...list(values, "statuses")])].map((s) => ({ value: s, label: s }))}
                checked={list(values, "statuses")}
                error={errors.statuses}
                compact
              />
              <TextField name="entityTypes" label="Entity types" defaultValue={text(values, "entityTypes")} error={errors.entityTypes} placeholder="Local Company, Limited Liability Partnership" hint="Leave empty for any type." field={field} />
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField name="incorporatedFrom" label="Incorporated from" type="date" defaultValue={text(values, "incorporatedFrom")} error={errors.incorporatedFrom} field={field} />
                <TextField name="incorporatedTo" label="Incorporated until" type="date" defaultValue={text(values, "incorporatedTo")} error={errors.incorporatedTo} field={field} />
                <TextField name="ageMin" label="Age at least (years)" type="number" inputMode="decimal" defaultValue={text(values, "ageMin")} error={errors.ageMin} field={field} />
                <TextField name="ageMax" label="Age at most (years)" type="number" inputMode="decimal" defaultValue={text(values, "ageMax")} error={errors.ageMax} field={field} />
              </div>
            </Section>

            <Section title="Location">
              <CheckboxList name="regions" legend="Regions" options={REGIONS.map((r) => ({ value: r, label: r }))} checked={list(values, "regions")} error={errors.regions} compact />
              <CheckboxList
                name="postalDistricts"
                legend="Postal districts"
                options={POSTAL_DISTRICTS.map((d) => ({ value: String(d.district), label: `D${String(d.district).padStart(2, "0")} ${d.name}` }))}
                checked={list(values, "postalDistricts")}
                error={errors.postalDistricts}
              />
            </Section>

            <Section title="Company names" hint="Words a company's registered name must (not) contain.">
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField name="nameInclude" label="Name contains" defaultValue={text(values, "nameInclude")} error={errors.nameInclude} placeholder="tech, digital" field={field} />
                <TextField name="nameExclude" label="Name does not contain" defaultValue={text(values, "nameExclude")} error={errors.nameExclude} placeholder="holdings" field={field} />
              </div>
            </Section>

            <Section title="After enrichment" hint="The registry has no headcount: the employee range filters companies once their websites are read.">
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField name="employeesMin" label="Employees at least" type="number" inputMode="numeric" defaultValue={text(values, "employeesMin")} error={errors.employeesMin} field={field} />
                <TextField name="employeesMax" label="Employees at most" type="number" inputMode="numeric" defaultValue={text(values, "employeesMax")} error={errors.employeesMax} field={field} />
              </div>
              <TextField name="contactTitles" label="Contact titles" defaultValue={text(values, "contactTitles")} error={errors.contactTitles} placeholder="Founder, CEO, Head of Sales" field={field} />
              <div>
                <label htmlFor="freeMail" className="block text-sm font-medium text-slate-700">
                  Free-mail addresses
                </label>
                <select id="freeMail" name="freeMail" defaultValue={text(values, "freeMail")} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm" {...field("freeMail")}>
                  <option value="">Platform default</option>
                  {FREE_MAIL_POLICIES.map((p) => (
                    <option key={p} value={p}>
                      {FREE_MAIL_LABELS[p]}
                    </option>
                  ))}
                </select>
                <FieldError name="freeMail" error={errors.freeMail} />
              </div>
            </Section>

            <Section title="Runs and scoring">
              <div className="grid gap-4 sm:grid-cols-2">
                <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-700">
                  <input type="checkbox" name="nightlyEnabled" defaultChecked={text(values, "nightlyEnabled") === "on"} className="h-4 w-4 rounded border-slate-300" />
                  Run nightly
                </label>
                <div>
                  <label htmlFor="nightlyHour" className="block text-sm font-medium text-slate-700">
                    At (Singapore time)
                  </label>
                  <select id="nightlyHour" name="nightlyHour" defaultValue={text(values, "nightlyHour")} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm" {...field("nightlyHour")}>
                    <option value="">Platform default</option>
                    {Array.from({ length: 24 }, (_, h) => (
                      <option key={h} value={String(h)}>
                        {String(h).padStart(2, "0")}:00
                      </option>
                    ))}
                  </select>
                  <FieldError name="nightlyHour" error={errors.nightlyHour} />
                </div>
                <TextField name="dailyCap" label="Companies per day (cap)" type="number" inputMode="numeric" defaultValue={text(values, "dailyCap")} error={errors.dailyCap} field={field} />
                <TextField name="candidateFloor" label="Alert below this many candidates" type="number" inputMode="numeric" defaultValue={text(values, "candidateFloor")} error={errors.candidateFloor} field={field} />
                <TextField name="scoreHigh" label="High from score" type="number" inputMode="decimal" defaultValue={text(values, "scoreHigh")} error={errors.scoreHigh} field={field} />
                <TextField name="scoreMedium" label="Medium from score" type="number" inputMode="decimal" defaultValue={text(values, "scoreMedium")} error={errors.scoreMedium} field={field} />
              </div>
            </Section>

            {canEdit ? (
              <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 py-3">
                <Button type="submit" disabled={saving}>
                  {saving ? "Saving…" : `Save as version ${(version ?? 0) + 1}`}
                </Button>
                <span className="text-xs text-slate-500">{dirty ? "Unsaved changes; the preview shows them." : "No unsaved changes."}</span>
              </div>
            ) : null}
          </fieldset>
        </Form>

        <div className="space-y-6">
          <PreviewPanel preview={preview} previewing={previewing} invalid={Boolean(livePreview && !livePreview.ok)} refresh={refresh} />
          <HistoryPanel history={history} />
        </div>
      </div>
    </Page>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label={title}>
      <div>
        <h2 className="font-semibold text-slate-900">{title}</h2>
        {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      </div>
      {children}
    </section>
  );
}

function FieldError({ name, error }: { name: string; error?: string }) {
  return error ? (
    <p id={`${name}-error`} className="mt-1 text-xs text-red-700">
      {error}
    </p>
  ) : null;
}

function TextField({
  name,
  label,
  defaultValue,
  error,
  hint,
  field,
  ...input
}: {
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  hint?: string;
  field: (name: string) => Record<string, unknown>;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue">) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={name}
        name={name}
        defaultValue={defaultValue}
        className={`mt-1 w-full rounded-md border px-3 py-1.5 text-sm ${error ? "border-red-500" : "border-slate-300"}`}
        {...input}
        {...field(name)}
      />
      {hint && !error ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
      <FieldError name={name} error={error} />
    </div>
  );
}

function CheckboxList({
  name,
  legend,
  options,
  checked,
  error,
  compact,
}: {
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  checked: string[];
  error?: string;
  compact?: boolean;
}) {
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-700">
        {legend} <span className="font-normal text-slate-500">({checked.length ? `${checked.length} selected` : "none: any"})</span>
      </legend>
      <div className={`mt-1 grid gap-x-4 gap-y-1 rounded-md border p-2 sm:grid-cols-2 ${compact ? "" : "max-h-48 overflow-y-auto"} ${error ? "border-red-500" : "border-slate-200"}`}>
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} className="h-4 w-4 rounded border-slate-300" />
            {o.label}
          </label>
        ))}
      </div>
      <FieldError name={name} error={error} />
    </fieldset>
  );
}

function PreviewPanel({
  preview,
  previewing,
  invalid,
  refresh,
}: {
  preview: Extract<PreviewResult, { ok: true }> | null;
  previewing: boolean;
  invalid: boolean;
  refresh: { status: string; candidateCount: number; finishedAt: string | null; icpVersion: number | null } | null;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="preview-heading" aria-busy={previewing}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="preview-heading" className="font-semibold text-slate-900">
          Preview
        </h2>
        {previewing ? <span className="text-xs text-slate-500">Updating…</span> : null}
      </div>
      {invalid ? <p className="mt-2 text-sm text-red-700">Fix the highlighted fields to update the preview.</p> : null}
      <p className="mt-2 text-2xl font-bold tracking-tight text-slate-900" aria-live="polite" data-testid="preview-count">
        {preview ? `Matches ${number.format(preview.count)} ${preview.count === 1 ? "company" : "companies"}` : "—"}
      </p>
      {preview && preview.count === 0 && preview.fallbackCount !== null ? (
        <p className="mt-1 text-sm text-amber-800">Nothing matches: the run would fall back to the industries alone ({number.format(preview.fallbackCount)} companies) and be flagged degraded.</p>
      ) : null}
      {refresh ? (
        <p className="mt-1 text-xs text-slate-500">
          Current candidate list: {number.format(refresh.candidateCount)} ({refresh.status}
          {refresh.icpVersion ? `, version ${refresh.icpVersion}` : ""}
          {refresh.finishedAt ? `, ${when.format(new Date(refresh.finishedAt))}` : ""}).
        </p>
      ) : null}
      {preview && preview.sample.length ? (
        <div className={`-mx-4 mt-3 overflow-x-auto ${previewing ? "opacity-60" : ""}`}>
          <table className="min-w-full text-left text-sm">
            <caption className="px-4 pb-1 text-left text-xs text-slate-500">A sample of {preview.sample.length}, newest incorporations first</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-1.5">Company</th>
                <th scope="col" className="px-4 py-1.5">SSIC</th>
                <th scope="col" className="px-4 py-1.5">Incorporated</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {preview.sample.map((r) => (
                <tr key={r.uen}>
                  <td className="px-4 py-1.5">
                    <span className="font-medium">{r.name}</span>
                    <span className="block text-xs text-slate-500">
                      {r.uen} · {r.status ?? "—"}
                      {r.postalCode ? ` · S${r.postalCode}` : ""}
                    </span>
                  </td>
                  <td className="px-4 py-1.5 text-slate-600" title={r.ssicDescription ?? undefined}>
                    {r.ssic ?? "—"}
                  </td>
                  <td className="whitespace-nowrap px-4 py-1.5 text-slate-600">{r.incorporated ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

const CHANGE_MARK = { added: "+", removed: "−", changed: "~" } as const;
const CHANGE_CLASS = { added: "text-emerald-800", removed: "text-red-800", changed: "text-slate-800" } as const;

function HistoryPanel({ history }: { history: Array<{ version: number; author: string; createdAt: string; changes: Array<{ path: string; kind: "added" | "removed" | "changed"; text: string }> }> }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="history-heading">
      <h2 id="history-heading" className="font-semibold text-slate-900">
        Version history
      </h2>
      {history.length === 0 ? (
        <div className="mt-3">
          <EmptyState title="No versions yet">Saving the form (or asking the chat to change the ICP) records version 1 here.</EmptyState>
        </div>
      ) : (
        <ol className="mt-3 space-y-4">
          {history.map((h) => (
            <li key={h.version} data-testid={`icp-version-${h.version}`}>
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone="blue">v{h.version}</Badge>
                <span className="font-medium text-slate-800">{h.author}</span>
                <span className="text-slate-500">{when.format(new Date(h.createdAt))}</span>
              </div>
              {h.changes.length ? (
                <ul className="mt-1 space-y-0.5 font-mono text-xs" aria-label={`Changes in version ${h.version}`}>
                  {h.changes.map((c) => (
                    <li key={c.path} className={CHANGE_CLASS[c.kind]}>
                      <span aria-hidden className="mr-1 inline-block w-3">
                        {CHANGE_MARK[c.kind]}
                      </span>
                      <span className="sr-only">{c.kind}: </span>
                      {c.text}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-xs text-slate-500">No differences from the version before.</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
