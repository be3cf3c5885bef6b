import { formatCount, formatPercent } from "~/utils/number-format";

/**
 * Usage against a limit as a bar with the figures written out. Past 80 % the
 * bar turns striped as well as amber, past 100 % red and the text says so,
 * so the state never depends on colour alone.
 */
export function BudgetMeter({ label, used, limit, unit }: { label: string; used: number; limit: number; unit: string }) {
  const share = limit > 0 ? used / limit : used > 0 ? Infinity : 0;
  const width = `${Math.min(100, Math.round(share * 100))}%`;
  const state = share >= 1 ? "over" : share >= 0.8 ? "near" : "ok";
  const text =
    limit > 0
      ? `${formatCount(used)} of ${formatCount(limit)} ${unit} (${formatPercent(Math.min(share, 9.99))})${state === "over" ? " — budget used up" : state === "near" ? " — nearly used up" : ""}`
      : `${formatCount(used)} ${unit}; the budget is 0`;
  const fill =
    state === "over"
      ? "bg-red-600"
      : state === "near"
        ? "bg-amber-500 bg-[repeating-linear-gradient(45deg,rgba(255,255,255,.35)_0,rgba(255,255,255,.35)_4px,transparent_4px,transparent_8px)]"
        : "bg-brand-600";
  return (
    <div>
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-900">{label}</span>
        <span className="tabular-nums text-slate-700" data-testid="budget-text">
          {text}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={text}
        className="mt-2 h-3 w-full overflow-hidden rounded-full bg-slate-200 ring-1 ring-inset ring-slate-300"
      >
        <div className={`h-full ${fill}`} style={{ width }} />
      </div>
    </div>
  );
}
