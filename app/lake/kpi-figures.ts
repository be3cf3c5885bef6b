/** What closed deals add up to, as every KPI read derives it from summed facts. */
export type ClosedFigures = {
  won: number;
  lost: number;
  wonValue: number;
  /** won / (won + lost); null when nothing closed. */
  winRate: number | null;
  averageDealSize: number | null;
  averageCycleDays: number | null;
};

/** Summed KPI facts of a period, a team or a rep (`cycle_days` is the won deals' days from opening to closing, added up). */
export type ClosedTotals = { won: number; lost: number; won_value: number; cycle_days: number };

export function closedFigures(totals: ClosedTotals | undefined): ClosedFigures {
  const { won, lost, won_value: wonValue, cycle_days: cycleDays } = totals ?? { won: 0, lost: 0, won_value: 0, cycle_days: 0 };
  return {
    won,
    lost,
    wonValue,
    winRate: won + lost ? won / (won + lost) : null,
    averageDealSize: won ? wonValue / won : null,
    averageCycleDays: won ? cycleDays / won : null,
  };
}
