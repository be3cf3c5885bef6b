import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "~/components/charts/chart-frame";
import { formatShortDay } from "~/utils/date-format";
import { formatCount, formatPercent } from "~/utils/number-format";
import { type BucketSize, type KpiBucket } from "./performance";

const BUCKET_WORD: Record<BucketSize, string> = { day: "day", week: "week", month: "month" };

/** Won value per day, week or month as bars; the table gives every figure of every bucket. */
export function KpiTrendChart({ id, series, bucket }: { id: string; series: KpiBucket[]; bucket: BucketSize }) {
  const label = (b: KpiBucket) => (bucket === "month" ? b.bucket.slice(0, 7) : formatShortDay(b.bucket));
  const data = series.map((b) => ({ label: label(b), wonValue: b.wonValue }));
  const best = series.reduce<KpiBucket | null>((top, b) => (b.wonValue > (top?.wonValue ?? 0) ? b : top), null);
  const summary = best
    ? `Won value per ${BUCKET_WORD[bucket]}; the best ${BUCKET_WORD[bucket]} was ${label(best)} with ${formatCount(best.wonValue)} from ${formatCount(best.won)} won deals.`
    : `No deal was won in this period.`;
  return (
    <ChartFrame
      id={id}
      title={`Won value per ${BUCKET_WORD[bucket]}`}
      summary={summary}
      table={{
        caption: `KPIs per ${BUCKET_WORD[bucket]}`,
        columns: [
          bucket === "day" ? "Day" : `${bucket === "week" ? "Week" : "Month"} from`,
          "Won value",
          "Won",
          "Lost",
          "Win rate",
          "Average deal size",
          "Sales cycle (days)",
          "Activities done",
        ],
        rows: series.map((b) => [
          label(b),
          formatCount(b.wonValue),
          formatCount(b.won),
          formatCount(b.lost),
          formatPercent(b.winRate),
          formatCount(b.averageDealSize),
          formatCount(b.averageCycleDays),
          formatCount(b.activitiesDone),
        ]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 16, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: "#94a3b8" }} tick={{ fill: "#334155", fontSize: 12 }} minTickGap={8} />
            <YAxis
              width={56}
              tickLine={false}
              axisLine={false}
              tick={{ fill: "#475569", fontSize: 12 }}
              tickFormatter={(value: number) => formatCount(value)}
            />
            <Tooltip formatter={(value) => [formatCount(Number(value)), "Won value"]} cursor={{ fill: "#f1f5f9" }} />
            <Bar dataKey="wonValue" name="Won value" fill="#1a46a1" stroke="#0f172a" strokeWidth={1} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
