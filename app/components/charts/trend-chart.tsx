import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatPercent } from "~/utils/number-format";
import { ChartFrame } from "./chart-frame";

export type TrendDatum = { label: string; shortlist: number | null; emailRate: number | null };

const SHORTLIST = { color: "#1a46a1", name: "Shortlist size (companies, left axis)" };
const EMAIL = { color: "#b45309", name: "Verified-email rate (%, right axis)" };

/**
 * Shortlist size and verified-email rate over the last runs. The two lines
 * differ by stroke (solid / dashed) and marker (circle / square) as well as
 * colour, and the legend says which is which in words.
 */
export function TrendChart({ id, points }: { id: string; points: TrendDatum[] }) {
  const data = points.map((p) => ({ ...p, emailPct: p.emailRate === null ? null : Math.round(p.emailRate * 1000) / 10 }));
  const last = points.at(-1);
  const first = points[0];
  const summary =
    points.length > 1 && first && last
      ? `Over the last ${points.length} runs, the shortlist went from ${formatCount(first.shortlist)} to ${formatCount(last.shortlist)} companies and the verified-email rate from ${formatPercent(first.emailRate)} to ${formatPercent(last.emailRate)}.`
      : `One run so far: ${formatCount(last?.shortlist)} companies, ${formatPercent(last?.emailRate)} with a verified email.`;
  return (
    <ChartFrame
      id={id}
      title="Shortlist and verified emails, last runs"
      summary={summary}
      height={260}
      table={{
        caption: "Shortlist size and verified-email rate per run",
        columns: ["Run", "Shortlist", "Verified-email rate"],
        rows: points.map((p) => [p.label, formatCount(p.shortlist), formatPercent(p.emailRate)]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 16, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis
              dataKey="label"
              tickLine={false}
              axisLine={{ stroke: "#94a3b8" }}
              tick={{ fill: "#334155", fontSize: 12 }}
              interval="preserveStartEnd"
              minTickGap={12}
            />
            <YAxis yAxisId="count" allowDecimals={false} width={40} tickLine={false} axisLine={false} tick={{ fill: "#475569", fontSize: 12 }} />
            <YAxis
              yAxisId="pct"
              orientation="right"
              domain={[0, 100]}
              unit=" %"
              width={60}
              tickLine={false}
              axisLine={false}
              tick={{ fill: "#475569", fontSize: 12 }}
            />
            <Tooltip
              formatter={(value, name) => (name === EMAIL.name ? [`${value} %`, "Verified-email rate"] : [value, "Shortlist size"])}
              labelFormatter={(label) => `Run of ${label}`}
            />
            <Legend verticalAlign="bottom" height={28} wrapperStyle={{ fontSize: 12 }} />
            <Line
              yAxisId="count"
              type="monotone"
              dataKey="shortlist"
              name={SHORTLIST.name}
              stroke={SHORTLIST.color}
              strokeWidth={2.5}
              legendType="circle"
              dot={{ r: 4, fill: SHORTLIST.color, stroke: "#fff", strokeWidth: 1 }}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              yAxisId="pct"
              type="monotone"
              dataKey="emailPct"
              name={EMAIL.name}
              stroke={EMAIL.color}
              strokeWidth={2.5}
              strokeDasharray="6 4"
              legendType="square"
              dot={(props: { cx?: number; cy?: number; index?: number }) =>
                props.cx === undefined || props.cy === undefined ? (
                  <g key={props.index} />
                ) : (
                  <rect key={props.index} x={props.cx - 4} y={props.cy - 4} width={8} height={8} fill={EMAIL.color} stroke="#fff" strokeWidth={1} />
                )
              }
              isAnimationActive={false}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
