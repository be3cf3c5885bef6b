import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { BUCKETS, type Bucket } from "~/scoring/score";
import { formatPercent } from "~/utils/number-format";
import { ChartFrame } from "./chart-frame";
import { BUCKET_STYLE, PatternDefs, patternId, PatternSwatch } from "./patterns";

/** How a run's scored companies split into High, Medium and Low; each bar has its own fill pattern and its count and share printed on it. */
export function ScoreDistributionChart({ id, distribution, caption }: { id: string; distribution: Record<Bucket, number>; caption?: string }) {
  const total = BUCKETS.reduce((sum, b) => sum + distribution[b], 0);
  if (total === 0) return <p className="text-sm text-slate-600">No company was scored{caption ? ` (${caption})` : ""}, so there is no distribution to show.</p>;
  const data = BUCKETS.map((bucket) => ({
    bucket,
    companies: distribution[bucket],
    share: total ? distribution[bucket] / total : 0,
  }));
  const summary = `${caption ? `${caption}: ` : ""}${data.map((d) => `${d.bucket} ${d.companies} (${formatPercent(d.share)})`).join(", ")} of ${total} scored companies.`;
  const colors = { solid: BUCKET_STYLE.High.color, stripes: BUCKET_STYLE.Medium.color, dots: BUCKET_STYLE.Low.color };
  return (
    <ChartFrame
      id={id}
      title="Score distribution"
      summary={summary}
      table={{
        caption: "Companies per score bucket",
        columns: ["Bucket", "Companies", "Share"],
        rows: data.map((d) => [d.bucket, d.companies, formatPercent(d.share)]),
      }}
      legend={BUCKETS.map((b) => (
        <span key={b} className="inline-flex items-center gap-1.5">
          <PatternSwatch name={BUCKET_STYLE[b].pattern} color={BUCKET_STYLE[b].color} />
          {b} ({BUCKET_STYLE[b].legend})
        </span>
      ))}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 24, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <PatternDefs prefix={id} colors={colors} />
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="bucket" tickLine={false} axisLine={{ stroke: "#94a3b8" }} tick={{ fill: "#334155", fontSize: 13 }} />
            <YAxis allowDecimals={false} width={36} tickLine={false} axisLine={false} tick={{ fill: "#475569", fontSize: 12 }} />
            <Tooltip
              formatter={(value, _name, item) => [`${value} (${formatPercent((item.payload as { share: number }).share)})`, "Companies"]}
              cursor={{ fill: "#f1f5f9" }}
            />
            <Bar dataKey="companies" name="Companies" isAnimationActive={false} stroke="#0f172a" strokeWidth={1} radius={[3, 3, 0, 0]}>
              {data.map((d) => (
                <Cell key={d.bucket} fill={`url(#${patternId(id, BUCKET_STYLE[d.bucket].pattern)})`} />
              ))}
              <LabelList
                dataKey="companies"
                position="top"
                formatter={(value: unknown) => {
                  const n = Number(value);
                  return `${n} · ${formatPercent(total ? n / total : 0)}`;
                }}
                style={{ fill: "#0f172a", fontSize: 12, fontWeight: 600 }}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
