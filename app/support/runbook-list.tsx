import { OPERATION_STEPS, type OperationStep } from "~/tenants/operations";
import { RUNBOOKS, SIGN_IN_RUNBOOKS } from "./runbooks";

/** One runbook entry: its anchor is what failed operations and sign-in errors link to. */
function RunbookEntry({ id, title, code, lines }: { id: string; title: string; code?: string; lines: readonly string[] }) {
  return (
    <section id={id} className="rounded-lg border border-slate-200 bg-white p-5 text-sm" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="font-semibold">
        {title} {code ? <span className="font-mono text-xs text-slate-500">({code})</span> : null}
      </h3>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

/** The runbooks of operation steps and of sign-in through a tenant's provider, as /support and /admin/runbooks show them. */
export function RunbookList() {
  return (
    <div className="space-y-8">
      <section aria-labelledby="operation-runbooks" className="space-y-4">
        <h2 id="operation-runbooks" className="text-lg font-semibold">
          When a step of an operation fails
        </h2>
        <p className="text-sm text-slate-600">Re-running the operation resumes at the step that failed.</p>
        {(Object.keys(RUNBOOKS) as OperationStep[]).map((step) => (
          <RunbookEntry key={step} id={step} title={OPERATION_STEPS[step]} code={step} lines={RUNBOOKS[step]} />
        ))}
      </section>
      <section aria-labelledby="sign-in-runbooks" className="space-y-4">
        <h2 id="sign-in-runbooks" className="text-lg font-semibold">
          When sign-in through your organisation fails
        </h2>
        {Object.entries(SIGN_IN_RUNBOOKS).map(([id, entry]) => (
          <RunbookEntry key={id} id={id} title={entry.title} lines={entry.lines} />
        ))}
      </section>
    </div>
  );
}
