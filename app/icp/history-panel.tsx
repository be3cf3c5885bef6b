import { Badge } from "~/components/ui/badge";
import { EmptyState } from "~/components/ui/empty-state";
import { formatWhen } from "~/utils/date-format";

/** The ICP's versions, newest first, each with who saved it and what it changed. */
const CHANGE_MARK = { added: "+", removed: "−", changed: "~" } as const;
const CHANGE_CLASS = {
  added: "text-emerald-800",
  removed: "text-red-800",
  changed: "text-slate-800",
} as const;

export function HistoryPanel({
  history,
}: {
  history: Array<{
    version: number;
    author: string;
    createdAt: string;
    changes: Array<{
      path: string;
      kind: "added" | "removed" | "changed";
      text: string;
    }>;
  }>;
}) {
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
                <span className="text-slate-500">{formatWhen(h.createdAt)}</span>
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
