import { Link } from "@remix-run/react";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { type IcpRuleChange } from "~/icp/rules";
import { changeText } from "~/icp/rules-text";
import { formatCount } from "~/utils/number-format";
import { type IcpRefreshLive, type Reply, type RunLive } from "./replies";
import { RunCard } from "./run-card";

/**
 * An assistant reply as the user should see it: tables, cards and links.
 * Suggestions are buttons that send their sentence as the next message.
 */
export type Suggest = (text: string) => void;

export function bucketTone(bucket: string): BadgeTone {
  return bucket === "High" ? "green" : bucket === "Medium" ? "amber" : "gray";
}

export function BucketBadge({ bucket }: { bucket: string }) {
  return <Badge tone={bucketTone(bucket)}>{bucket}</Badge>;
}

function Card({ title, children, tone = "plain" }: { title?: string; children: React.ReactNode; tone?: "plain" | "warn" | "error" }) {
  const border = tone === "error" ? "border-red-200 bg-red-50" : tone === "warn" ? "border-amber-200 bg-amber-50" : "border-slate-200 bg-white";
  return (
    <div className={`rounded-lg border ${border} p-4 text-sm text-slate-800 shadow-sm`}>
      {title ? <h3 className="mb-2 font-semibold text-slate-900">{title}</h3> : null}
      {children}
    </div>
  );
}

function Suggestions({ items, onSuggest, disabled }: { items: string[]; onSuggest: Suggest; disabled: boolean }) {
  if (!items.length) return null;
  return (
    <ul className="mt-3 flex flex-wrap gap-2" aria-label="Suggestions">
      {items.map((s) => (
        <li key={s}>
          <button
            type="button"
            disabled={disabled}
            onClick={() => onSuggest(s)}
            className="rounded-full border border-brand-600/30 bg-brand-50 px-3 py-1 text-left text-xs font-medium text-brand-700 hover:bg-brand-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-50"
          >
            {s}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ReplyView({
  reply,
  text,
  run,
  refresh,
  onSuggest,
  busy,
}: {
  reply: Reply | null;
  text: string;
  run?: RunLive;
  refresh?: IcpRefreshLive;
  onSuggest: Suggest;
  busy: boolean;
}) {
  if (!reply) return <p className="whitespace-pre-wrap text-sm text-slate-800">{text}</p>;
  switch (reply.type) {
    case "help":
      return (
        <Card title="What I can do">
          <ul className="space-y-2">
            {reply.examples.map((e) => (
              <li key={e.command} className="flex flex-col gap-1 sm:flex-row sm:items-start sm:gap-3">
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => onSuggest(e.command)}
                  className="shrink-0 rounded-md border border-slate-300 bg-slate-50 px-2 py-1 text-left font-mono text-xs text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
                >
                  {e.command}
                </button>
                <span className="text-slate-600">
                  {e.description}
                  {e.operatorOnly && !reply.canOperate ? <span className="ml-1 text-xs text-slate-500">(ops and admins only)</span> : null}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      );
    case "not_understood":
      return (
        <Card>
          <p>{reply.message}</p>
          <Suggestions items={reply.suggestions} onSuggest={onSuggest} disabled={busy} />
        </Card>
      );
    case "refusal":
      return (
        <Card tone="warn" title="Not allowed for your role">
          <p role="note">{reply.message}</p>
        </Card>
      );
    case "error":
      return (
        <Card tone="error" title="That did not work">
          <p>{reply.message}</p>
        </Card>
      );
    case "answer":
      return (
        <div className="text-sm text-slate-800">
          <p className="whitespace-pre-wrap">{reply.message}</p>
          <p className="mt-1 text-xs text-slate-500">Answered by the language model.</p>
        </div>
      );
    case "icp_change":
      return <IcpChangeCard reply={reply} refresh={refresh} />;
    case "icp_summary":
      return (
        <Card title={reply.version ? `ICP version ${reply.version}` : "Default ICP (never changed)"}>
          <dl className="grid grid-cols-[auto,1fr] gap-x-4 gap-y-1">
            {reply.lines.map((l) => (
              <div key={l.label} className="contents">
                <dt className="text-slate-500">{l.label}</dt>
                <dd>{l.value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-3">
            <strong>{formatCount(reply.candidates)}</strong> candidate companies.{" "}
            <Link to="/app/icp" className="text-brand-700 underline">
              Open the ICP editor
            </Link>
          </p>
        </Card>
      );
    case "shortlist":
      return <ShortlistTable reply={reply} />;
    case "explain":
      return <ExplainCard reply={reply} />;
    case "company_choices":
      return (
        <Card>
          <p>{reply.message}</p>
          <ul className="mt-3 flex flex-col gap-2">
            {reply.options.map((o) => (
              <li key={o.uen}>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => onSuggest(o.command)}
                  className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-50"
                >
                  {o.name} <span className="text-xs text-slate-500">UEN {o.uen}</span>
                </button>
              </li>
            ))}
          </ul>
        </Card>
      );
    case "run":
      return <RunCard reply={reply} live={run} />;
  }
}

function IcpChangeCard({ reply, refresh }: { reply: Extract<Reply, { type: "icp_change" }>; refresh?: IcpRefreshLive }) {
  const title = reply.changed ? `ICP updated to version ${reply.version}` : reply.refreshQueued ? "ICP unchanged; refreshing candidates" : "ICP unchanged";
  return (
    <Card title={title}>
      {reply.changes.length ? (
        <ul className="mb-3 list-disc space-y-0.5 pl-5" aria-label="Changes">
          {reply.changes.map((c) => (
            <li key={c.path}>{changeText(c as IcpRuleChange)}</li>
          ))}
        </ul>
      ) : null}
      <dl className="grid grid-cols-[auto,1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500">Candidates before</dt>
        <dd data-testid="candidates-before">{formatCount(reply.candidatesBefore)}</dd>
        <dt className="text-slate-500">New rules match</dt>
        <dd data-testid="candidates-preview">
          {formatCount(reply.candidatesPreview)} companies
          {reply.candidatesPreview === 0 && reply.fallbackCount !== undefined ? ` (industry-only fallback: ${formatCount(reply.fallbackCount)})` : ""}
        </dd>
        {reply.refreshQueued ? (
          <>
            <dt className="text-slate-500">Candidate refresh</dt>
            <dd data-testid="candidates-refreshed" aria-live="polite">
              {!refresh || refresh.status === "pending" ? (
                <span className="inline-flex items-center gap-2 text-slate-600">
                  <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-amber-500" /> queued…
                </span>
              ) : refresh.status === "failed" ? (
                <span className="text-red-700">failed; the previous candidates stay in use</span>
              ) : (
                <span>
                  done: <strong>{formatCount(refresh.candidateCount ?? 0)}</strong> candidates
                  {refresh.status === "degraded" ? <span className="block text-amber-800">Degraded: {refresh.degradedReason}</span> : null}
                </span>
              )}
            </dd>
          </>
        ) : null}
      </dl>
      <p className="mt-3 text-xs">
        <Link to="/app/icp" className="text-brand-700 underline">
          See the ICP and its history
        </Link>
      </p>
    </Card>
  );
}

type ShortlistReplyRow = Extract<Reply, { type: "shortlist" }>["rows"][number];
type BreakdownReplyRow = Extract<Reply, { type: "explain" }>["breakdown"][number];

const shortlistColumns: DataColumn<ShortlistReplyRow>[] = [
  { header: "Rank", cellClassName: "tabular-nums text-slate-500", cell: (r) => r.rank },
  {
    header: "Company",
    cell: (r) => (
      <Link to={`/app/companies/${r.uen}`} className="font-medium text-brand-700 hover:underline">
        {r.name}
      </Link>
    ),
  },
  { header: "Bucket", cell: (r) => <BucketBadge bucket={r.bucket} /> },
  { header: "Score", align: "right", cell: (r) => r.score.toFixed(0) },
  { header: "Domain", cellClassName: "text-slate-600", cell: (r) => r.domain ?? "—" },
  {
    header: "Contact",
    cellClassName: "text-slate-600",
    cell: (r) =>
      r.contact ? (
        <>
          {r.contact.name}
          {r.contact.email ? <span className="block text-xs">{r.contact.email}</span> : null}
        </>
      ) : (
        "—"
      ),
  },
];

const breakdownColumns: DataColumn<BreakdownReplyRow>[] = [
  { header: "Signal", cellClassName: "font-medium", cell: (b) => b.feature.replace(/_/g, " ") },
  { header: "Why", cellClassName: "text-slate-600", cell: (b) => b.reason ?? b.signal ?? "" },
  {
    header: "Points",
    align: "right",
    cell: (b) => (
      <>
        {b.points !== undefined ? b.points.toFixed(1) : "—"}
        {b.weight !== undefined ? <span className="text-slate-400"> / {b.weight.toFixed(1)}</span> : null}
      </>
    ),
  },
];

function ShortlistTable({ reply }: { reply: Extract<Reply, { type: "shortlist" }> }) {
  if (!reply.date) {
    return (
      <Card title="No shortlist yet">
        <p>No run has scored any company yet. Ask “Run nightly now.” (ops and admins) or wait for tonight's run.</p>
      </Card>
    );
  }
  const heading = `${reply.date === reply.requestedDate ? "Today's shortlist" : `Shortlist of ${reply.date}`}${reply.bucket ? ` · ${reply.bucket}` : ""}`;
  return (
    <Card title={heading}>
      {reply.date !== reply.requestedDate ? <p className="mb-2 text-xs text-slate-600">No run on {reply.requestedDate} yet; showing the latest one.</p> : null}
      {reply.rows.length === 0 ? (
        <p>No company in this shortlist{reply.bucket ? ` is ${reply.bucket}` : ""}.</p>
      ) : (
        <div className="-mx-4 overflow-x-auto">
          <DataTable variant="inset" columns={shortlistColumns} rows={reply.rows} rowKey={(r) => r.uen} caption={heading} />
        </div>
      )}
      <p className="mt-3 text-xs text-slate-600">
        Showing {Math.min(reply.rows.length, reply.limit)} of {formatCount(reply.total)}.{reply.masked ? " Personal data is masked for your role." : ""}{" "}
        <Link to="/app/shortlist" className="text-brand-700 underline">
          Open the full shortlist
        </Link>
      </p>
    </Card>
  );
}

function ExplainCard({ reply }: { reply: Extract<Reply, { type: "explain" }> }) {
  return (
    <Card title={`Why ${reply.name} is ${reply.bucket}`}>
      {reply.askedBucket ? (
        <p className="mb-2 rounded-md bg-amber-50 px-2 py-1 text-amber-900">
          Note: {reply.name} is {reply.bucket}, not {reply.askedBucket}.
        </p>
      ) : null}
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <BucketBadge bucket={reply.bucket} />
        <span>
          Score <strong className="tabular-nums">{reply.score.toFixed(0)}</strong> / 100
        </span>
        <span className="text-slate-500">scored {reply.runDate}</span>
        {reply.domain ? <span className="text-slate-500">{reply.domain}</span> : null}
      </div>
      <blockquote className="mb-3 border-l-4 border-brand-500 pl-3 text-slate-800">{reply.rationale}</blockquote>
      {reply.breakdown.length ? (
        <div className="-mx-4 overflow-x-auto">
          <DataTable
            variant="inset"
            density="compact"
            columns={breakdownColumns}
            rows={reply.breakdown}
            rowKey={(b) => `${b.feature}:${b.signal ?? ""}`}
            caption="Score breakdown"
          />
        </div>
      ) : null}
      <p className="mt-3 text-xs text-slate-600">
        Rationale from {reply.rationaleSource === "llm" ? "the language model" : reply.rationaleSource === "cache" ? "the rationale cache" : "the template"}.{" "}
        <Link to={`/app/companies/${reply.uen}`} className="text-brand-700 underline">
          Open {reply.name}
        </Link>
      </p>
    </Card>
  );
}
