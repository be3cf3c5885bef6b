import { singaporeDate } from "~/utils/singapore-time";

/** The Singapore calendar periods the dashboard overview compares, as YYYY-MM-DD. */
export type OverviewPeriods = {
  today: string;
  thisMonth: string;
  lastMonth: string;
  nextMonth: string;
  /** The first of the last 30 days, today included. */
  last30Days: string;
};

/** A calendar day (YYYY-MM-DD) moved by whole days. */
export const shiftDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function shiftMonth(monthStart: string, months: number): string {
  const date = new Date(`${monthStart}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

export function overviewPeriods(now: Date): OverviewPeriods {
  const today = singaporeDate(now);
  const thisMonth = `${today.slice(0, 7)}-01`;
  return { today, thisMonth, lastMonth: shiftMonth(thisMonth, -1), nextMonth: shiftMonth(thisMonth, 1), last30Days: shiftDays(today, -29) };
}
