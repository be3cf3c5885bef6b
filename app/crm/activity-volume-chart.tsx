import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "~/components/charts/chart-frame";
import { formatShortDay } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { type VolumeGrid } from "./activities";

const unassigned = "No owner";

/** Done activities per Singapore week as bars; the table behind "Show as table" splits every week by rep. */
export function ActivityVolumeChart({ id, volume }: { id: string; volume: VolumeGrid }) {
  const data = volume.weeks.map((week, i) => ({ week: formatShortDay(week), done: volume.totals[i]! }));
  const total = volume.totals.reduce((sum, n) => sum + n, 0);
  const busiest = volume.reps[0];
  const summary = busiest
    ? `${formatCount(total)} activities done over the last ${volume.weeks.length} weeks by ${volume.reps.length} ${volume.reps.length === 1 ? "rep" : "reps"}; the most by ${busiest.ownerName ?? unassigned} (${formatCount(busiest.total)}).`
    : `No activity was done in the last ${volume.weeks.length} weeks.`;
  return (
    <ChartFrame
      id={id}
      title="Activities done per week"
      summary={summary}
      table={{
        caption: "Activities done per rep per week (weeks start on Monday, Singapore time)",
        columns: ["Rep", ...volume.weeks.map((week) => `Week of ${formatShortDay(week)}`), "Total"],
        rows: [
          ...volume.reps.map((rep) => [rep.ownerName ?? unassigned, ...rep.weeks.map(formatCount), formatCount(rep.total)]),
          ["All reps", ...volume.totals.map(formatCount), formatCount(total)],
        ],
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 16, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="week" tickLine={false} axisLine={{ stroke: "#94a3b8" }} tick={{ fill: "#334155", fontSize: 12 }} minTickGap={8} />
            <YAxis allowDecimals={false} width={40} tickLine={false} axisLine={false} tick={{ fill: "#475569", fontSize: 12 }} />
            <Tooltip
              formatter={(value) => [formatCount(Number(value)), "Activities done"]}
              labelFormatter={(label) => `Week of ${label}`}
              cursor={{ fill: "#f1f5f9" }}
            />
            <Bar dataKey="done" name="Activities done" fill="#1a46a1" stroke="#0f172a" strokeWidth={1} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
