import { type ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { formatWhen } from "~/utils/date-format";
import { CATEGORY_LABELS, STATUS_LABELS, type SupportCategory, type SupportStatus } from "./support-requests";

/** A support request as both the tenant portal and the operators' queue list it. */
export type ListedSupportRequest = {
  id: string;
  subject: string;
  category: string;
  severity: string;
  body: string;
  status: string;
  requestedByEmail: string | null;
  reply: string | null;
  createdAt: string | Date;
  resolvedAt: string | Date | null;
};

export function supportStatusTone(status: string) {
  return status === "resolved" ? "green" : status === "in_progress" ? "amber" : "blue";
}

const severityTone = (severity: string) => (severity === "urgent" || severity === "high" ? "red" : "gray");

/** The request's heading line, its text and the operators' reply; `children` adds what the reader may do with it. */
export function SupportRequestCard({ request, children }: { request: ListedSupportRequest; children?: ReactNode }) {
  return (
    <article aria-labelledby={`support-${request.id}`} className="rounded-md border border-slate-200 p-4" data-testid="support-request">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={`support-${request.id}`} className="font-medium text-slate-900">
          {request.subject}
        </h3>
        <Badge tone={supportStatusTone(request.status)}>{STATUS_LABELS[request.status as SupportStatus] ?? request.status}</Badge>
        <Badge tone={severityTone(request.severity)}>{request.severity}</Badge>
      </div>
      <p className="mt-1 text-xs text-slate-500">
        {CATEGORY_LABELS[request.category as SupportCategory] ?? request.category} · filed {formatWhen(request.createdAt)}
        {request.requestedByEmail ? ` by ${request.requestedByEmail}` : ""}
        {request.resolvedAt ? ` · resolved ${formatWhen(request.resolvedAt)}` : ""}
      </p>
      <p className="mt-2 whitespace-pre-line text-sm text-slate-700">{request.body}</p>
      {request.reply ? (
        <div className="mt-3 rounded-md bg-slate-50 p-3 text-sm">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Reply from support</p>
          <p className="mt-1 whitespace-pre-line text-slate-800" data-testid="support-reply">
            {request.reply}
          </p>
        </div>
      ) : null}
      {children}
    </article>
  );
}
