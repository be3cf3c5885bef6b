import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { Link, useFetcher } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { formatWhen } from "~/utils/date-format";
import { type RunActionResult } from "./run-action-result";
import { type QaEntry } from "./runs.server";
import { Section } from "./section";

type QaRowEntry = Omit<QaEntry, "check"> & {
  check:
    | (Omit<NonNullable<QaEntry["check"]>, "checkedAt"> & {
        checkedAt: string | Date;
      })
    | null;
};

/** A run's QA sample: ten High entries for an operator to judge, each with its verdict form. */
export function QaSampleSection({ qa, finished, canOperate }: { qa: QaRowEntry[]; finished: boolean; canOperate: boolean }) {
  return (
    <Section id="qa" title="QA sample of High entries" className="lg:col-span-3">
      {qa.length ? (
        <>
          <p className="mb-3 text-sm text-slate-600">
            {qa.filter((q) => q.check).length} of {qa.length} checked. Open each company, judge whether High is right, and record the verdict.
          </p>
          <ul className="divide-y divide-slate-100">
            {qa.map((entry) => (
              <QaRow key={entry.uen} entry={entry} canOperate={canOperate} />
            ))}
          </ul>
        </>
      ) : (
        <p className="text-sm text-slate-600">
          {finished ? "This run has no High entries to sample." : "The sample of ten High entries is drawn when the run finishes."}
        </p>
      )}
    </Section>
  );
}

function QaRow({ entry, canOperate }: { entry: QaRowEntry; canOperate: boolean }) {
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
      {canOperate ? <QaCheckForm entry={entry} /> : null}
    </li>
  );
}

function QaCheckForm({ entry }: { entry: QaRowEntry }) {
  const fetcher = useFetcher<RunActionResult>();
  const busy = fetcher.state !== "idle";
  const result = fetcher.data?.uen === entry.uen ? fetcher.data : undefined;
  const [form, fields] = useForm({
    id: `qa-${entry.uen}`,
    lastResult: result?.submission,
    defaultValue: {
      verdict: entry.check?.verdict ?? "",
      notes: entry.check?.notes ?? "",
    },
  });
  const verdictErrorId = `${fields.verdict.id}-error`;
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3" aria-label={`QA check for ${entry.name ?? entry.uen}`}>
      <input type="hidden" name="intent" value="qa-check" />
      <input type="hidden" name="uen" value={entry.uen} />
      <fieldset
        className="text-sm"
        aria-invalid={fields.verdict.errors ? true : undefined}
        aria-describedby={fields.verdict.errors ? verdictErrorId : undefined}
      >
        <legend className="font-medium text-slate-700">Verdict</legend>
        <div key={fields.verdict.key} className="mt-1 flex gap-3">
          {(["ok", "problem"] as const).map((v) => (
            <label key={v} className="flex items-center gap-1.5">
              <input
                type="radio"
                name={fields.verdict.name}
                value={v}
                defaultChecked={fields.verdict.initialValue === v}
                aria-invalid={fields.verdict.errors ? true : undefined}
              />
              {v === "ok" ? "OK" : "Problem"}
            </label>
          ))}
        </div>
        <ErrorList id={verdictErrorId} errors={fields.verdict.errors} />
      </fieldset>
      <Field
        className="flex min-w-0 flex-1 flex-col text-sm"
        label="Notes"
        inputProps={{
          ...getInputProps(fields.notes, { type: "text" }),
          maxLength: 1000,
          className: "mt-1 w-full min-w-40 rounded-md border border-slate-300 px-3 py-1.5",
        }}
        errors={fields.notes.errors}
      />
      <Button type="submit" variant="secondary" disabled={busy}>
        {busy ? "Saving…" : "Mark checked"}
      </Button>
      {result && !result.submission?.error ? (
        <p role={result.ok ? "status" : "alert"} className={`basis-full text-sm ${result.ok ? "text-emerald-800" : "text-red-700"}`}>
          {result.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
