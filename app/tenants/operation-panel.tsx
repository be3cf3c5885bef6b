import { Form, Link } from "@remix-run/react";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { runbookPath } from "~/support/runbooks";
import { formatWhenWithSeconds } from "~/utils/date-format";
import { OPERATION_STEPS, type OperationLogLine, type OperationStep, type OperationType, STEPS_OF } from "./operations";

export type OperationView = {
  id: string;
  type: string;
  status: string;
  triggerSource: string;
  actorEmail: string | null;
  failedStep: string | null;
  error: string | null;
  attempts: number;
  createdAt: string | Date;
  startedAt: string | Date | null;
  finishedAt: string | Date | null;
  stepsDone: string[];
  logs: unknown;
  tenant: { slug: string; name: string };
  tenantId: string;
};

/**
 * One operation in full: its steps (done, failed, to do), its log, a runbook
 * link for the failed step and, for who may run operations, a re-run. The
 * overview's drawer and the tenant's Logs tab show it.
 */
export function OperationPanel({ operation, canRerun, rerunAction }: { operation: OperationView; canRerun: boolean; rerunAction: string }) {
  const steps = STEPS_OF[operation.type as OperationType] ?? [];
  const logs = (Array.isArray(operation.logs) ? operation.logs : []) as OperationLogLine[];
  return (
    <section aria-label={`Operation ${operation.type} of ${operation.tenant.name}`} className="space-y-4 text-sm" data-testid="operation-panel">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold capitalize">{operation.type}</h2>
        <Badge tone={statusTone(operation.status)}>{operation.status}</Badge>
        <Link to={`/admin/tenants/${operation.tenantId}`} className="text-brand-700 hover:underline">
          {operation.tenant.name}
        </Link>
      </div>
      <dl className="grid grid-cols-2 gap-y-1">
        <dt className="text-slate-500">Started from</dt>
        <dd className="uppercase">{operation.triggerSource}</dd>
        <dt className="text-slate-500">By</dt>
        <dd>{operation.actorEmail ?? "system"}</dd>
        <dt className="text-slate-500">Requested</dt>
        <dd>{formatWhenWithSeconds(operation.createdAt)}</dd>
        <dt className="text-slate-500">Finished</dt>
        <dd>{operation.finishedAt ? formatWhenWithSeconds(operation.finishedAt) : "—"}</dd>
        <dt className="text-slate-500">Attempts</dt>
        <dd>{operation.attempts}</dd>
      </dl>
      <ol className="space-y-1" aria-label="Steps">
        {steps.map((step: OperationStep) => {
          const state = operation.stepsDone.includes(step) ? "done" : operation.failedStep === step ? "failed" : "to do";
          return (
            <li key={step} className="flex justify-between gap-3" data-step={step}>
              <span className={state === "to do" ? "text-slate-400" : "text-slate-900"}>{OPERATION_STEPS[step]}</span>
              <Badge tone={state === "done" ? "green" : state === "failed" ? "red" : "gray"}>{state}</Badge>
            </li>
          );
        })}
      </ol>
      {operation.error && operation.failedStep ? (
        <p className="rounded-md bg-red-50 p-3 text-red-900" role="alert">
          {operation.error}{" "}
          <Link to={runbookPath(operation.failedStep)} className="font-medium underline">
            Runbook
          </Link>
        </p>
      ) : null}
      <div>
        <h3 className="font-medium">Log</h3>
        <ol className="mt-1 max-h-64 overflow-y-auto rounded-md bg-slate-50 p-2 font-mono text-xs" aria-label="Operation log">
          {logs.map((line, i) => (
            <li key={i} className={line.level === "error" ? "text-red-700" : "text-slate-700"}>
              {formatWhenWithSeconds(line.at)} {line.step ? `[${line.step}] ` : ""}
              {line.message}
            </li>
          ))}
        </ol>
      </div>
      {canRerun && operation.status === "failed" ? (
        <Form method="post" action={rerunAction}>
          <input type="hidden" name="intent" value="rerun" />
          <input type="hidden" name="operationId" value={operation.id} />
          <Button type="submit">Re-run from the failed step</Button>
        </Form>
      ) : null}
    </section>
  );
}
