import { Link } from "@remix-run/react";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "~/components/charts/chart-frame";
import { formatCount, formatMoney } from "~/utils/number-format";
import { dealsHref, type GroupFigures, type PipelineFilters, type StageFigures } from "./pipeline";

/**
 * The Pipeline page's charts: horizontal bars (stage names and team names
 * stay readable at phone width), one row per stage or team, the open value
 * printed on each bar; "Show as table" gives the same figures, each linked
 * to the deals behind it.
 */

const OPEN_VALUE = "#1a46a1";
const ROW_HEIGHT = 36;

function BarRows({ data, currency, label }: { data: Array<{ name: string; value: number }>; currency: string | null; label: string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 72, bottom: 4, left: 4 }} accessibilityLayer={false}>
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" hide />
        <YAxis type="category" dataKey="name" width={104} tickLine={false} axisLine={{ stroke: "#94a3b8" }} tick={{ fill: "#334155", fontSize: 12 }} />
        <Tooltip formatter={(value) => [formatMoney(Number(value), currency), label]} cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="value" name={label} fill={OPEN_VALUE} stroke="#0f172a" strokeWidth={1} isAnimationActive={false} radius={[0, 3, 3, 0]}>
          <LabelList
            dataKey="value"
            position="right"
            formatter={(value: unknown) => formatMoney(Number(value), currency)}
            style={{ fill: "#0f172a", fontSize: 12, fontWeight: 600 }}
          />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

const linkClass = "text-brand-700 underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-500";

/** The open deals by stage in pipeline order: a funnel of their value. */
export function PipelineFunnel({ stages, filters, currency }: { stages: StageFigures[]; filters: PipelineFilters; currency: string | null }) {
  if (stages.length === 0) return <p className="text-sm text-slate-600">No open deal opened in this period matches the filters.</p>;
  const total = stages.reduce((sum, s) => sum + s.value, 0);
  const summary = `${formatCount(stages.reduce((sum, s) => sum + s.count, 0))} open deals worth ${formatMoney(total, currency)} across ${stages.length} stages; the largest is ${
    [...stages].sort((a, b) => b.value - a.value)[0]!.stage
  }.`;
  return (
    <ChartFrame
      id="pipeline-funnel"
      title="Open pipeline by stage"
      summary={summary}
      height={Math.max(120, stages.length * ROW_HEIGHT + 8)}
      table={{
        caption: "Open deals by stage, in pipeline order",
        columns: ["Stage", "Deals", "Value", "Weighted value"],
        rows: stages.map((s) => [
          <Link key="stage" to={dealsHref(filters, { stage: s.stage, outcome: "open" })} className={linkClass}>
            {s.stage}
          </Link>,
          <Link key="count" to={dealsHref(filters, { stage: s.stage, outcome: "open" })} className={linkClass} data-testid={`funnel-count-${s.stage}`}>
            {formatCount(s.count)}
          </Link>,
          formatMoney(s.value, currency),
          formatMoney(s.weightedValue, currency),
        ]),
      }}
    >
      {() => <BarRows data={stages.map((s) => ({ name: s.stage, value: s.value }))} currency={currency} label="Open value" />}
    </ChartFrame>
  );
}

/** The open value per team, largest first. */
export function TeamPipelineChart({ teams, filters, currency }: { teams: GroupFigures[]; filters: PipelineFilters; currency: string | null }) {
  const open = teams.filter((t) => t.open.count > 0);
  if (open.length === 0) return <p className="text-sm text-slate-600">No team has an open deal that matches the filters.</p>;
  const name = (team: GroupFigures) => team.name ?? "No team";
  return (
    <ChartFrame
      id="pipeline-teams"
      title="Open pipeline by team"
      summary={`${open.map((t) => `${name(t)} ${formatMoney(t.open.value, currency)} in ${formatCount(t.open.count)} deals`).join(", ")}.`}
      height={Math.max(96, open.length * ROW_HEIGHT + 8)}
      table={{
        caption: "Open deals by team",
        columns: ["Team", "Deals", "Value", "Weighted value"],
        rows: open.map((t) => [
          name(t),
          t.id ? (
            <Link key="count" to={dealsHref(filters, { team: t.id, outcome: "open" })} className={linkClass}>
              {formatCount(t.open.count)}
            </Link>
          ) : (
            formatCount(t.open.count)
          ),
          formatMoney(t.open.value, currency),
          formatMoney(t.open.weightedValue, currency),
        ]),
      }}
    >
      {() => <BarRows data={open.map((t) => ({ name: name(t), value: t.open.value }))} currency={currency} label="Open value" />}
    </ChartFrame>
  );
}
