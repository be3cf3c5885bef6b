import { describe, expect, it } from "vitest";
import { dealsHref, funnelStages, groupFigures, hrefWith, pipelineFilters, shiftMonth, type GroupedRow, type PipelineFilters } from "./pipeline";

const none = { count: 0, value: 0, weightedValue: 0 };
const figures = (count: number, value = 100 * count, weightedValue = 50 * count) => ({ count, value, weightedValue });
const row = (values: Partial<GroupedRow> & Pick<GroupedRow, "grouping">): GroupedRow => ({
  stage: null,
  sequence: null,
  teamId: null,
  teamName: null,
  ownerId: null,
  ownerName: null,
  open: none,
  won: none,
  lost: none,
  ...values,
});

// 3 Dec 2026, 20:00 UTC is already 4 Dec in Singapore; 31 Dec 2026, 17:00 UTC is 1 Jan 2027.
const now = new Date("2026-12-03T20:00:00Z");
const filtersOf = (query: string, at = now) => {
  const parsed = pipelineFilters(new URLSearchParams(query), at);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.filters;
};

describe("pipelineFilters", () => {
  it("defaults to the last 12 Singapore months, this one included", () => {
    expect(filtersOf("")).toEqual({ team: null, owner: null, tag: null, openedFrom: "2026-01", openedTo: "2026-12" });
    expect(filtersOf("", new Date("2026-12-31T17:00:00Z"))).toMatchObject({ openedFrom: "2026-02", openedTo: "2027-01" });
  });

  it("fills the other end of a half-given period, and treats an empty parameter as none", () => {
    expect(filtersOf("opened_to=2026-06&team=&tag=")).toMatchObject({ openedFrom: "2025-07", openedTo: "2026-06", team: null, tag: null });
    expect(filtersOf("opened_from=2026-03")).toMatchObject({ openedFrom: "2026-03", openedTo: "2026-12" });
    expect(filtersOf("opened_from=2027-03")).toMatchObject({ openedFrom: "2027-03", openedTo: "2027-03" });
    expect(filtersOf("tag=%20SME%20")).toMatchObject({ tag: "SME" });
  });

  it.each([
    ["team=sales", "team"],
    ["owner=42", "owner"],
    ["opened_from=2026-13", "opened_from"],
    ["opened_to=26-01", "opened_to"],
    ["opened_from=0000-01&opened_to=0000-12", "opened_from"],
    ["opened_from=2026-06&opened_to=2026-05", "opened_from comes after opened_to"],
    ["opened_from=2020-01&opened_to=2026-01", "at most 60 months"],
    ["stage=New", "stage"],
  ])("refuses %s", (query, problem) => {
    const parsed = pipelineFilters(new URLSearchParams(query), now);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")).toContain(problem);
  });
});

describe("shiftMonth", () => {
  it("crosses years both ways", () => {
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-01", -11)).toBe("2025-02");
  });
});

describe("funnelStages", () => {
  it("orders the open deals' stages by sequence, unsequenced first, and leaves out stages without open deals and other groupings", () => {
    const rows = [
      row({ grouping: "stage", stage: "Proposition", sequence: 30, open: figures(4), lost: figures(1) }),
      row({ grouping: "stage", stage: "New", sequence: 10, open: figures(9) }),
      row({ grouping: "stage", stage: "lead", sequence: null, open: figures(2) }),
      row({ grouping: "stage", stage: "Qualified", sequence: 20, open: figures(6) }),
      row({ grouping: "stage", stage: "Won", sequence: 70, won: figures(3) }),
      row({ grouping: "team", teamId: "t1", open: figures(21) }),
    ];
    expect(funnelStages(rows).map((s) => [s.stage, s.count])).toEqual([
      ["lead", 2],
      ["New", 9],
      ["Qualified", 6],
      ["Proposition", 4],
    ]);
  });

  it("breaks a tie of sequences by name", () => {
    const rows = [
      row({ grouping: "stage", stage: "Demo", sequence: 20, open: figures(1) }),
      row({ grouping: "stage", stage: "Call", sequence: 20, open: figures(1) }),
    ];
    expect(funnelStages(rows).map((s) => s.stage)).toEqual(["Call", "Demo"]);
  });
});

describe("groupFigures", () => {
  it("puts each owner's outcomes side by side with their win rate, the largest open pipeline first, the unassigned last", () => {
    const rows = [
      row({ grouping: "owner", ownerId: "a", ownerName: "Aisha", open: figures(2, 300, 90), won: figures(3, 900, 900), lost: figures(1, 50, 0) }),
      row({ grouping: "owner", ownerId: null, open: figures(5, 5000, 10) }),
      row({ grouping: "owner", ownerId: "b", ownerName: "Ben", open: figures(1, 700, 70) }),
      row({ grouping: "team", teamId: "t", teamName: "Direct", open: figures(1) }),
    ];
    const owners = groupFigures(rows, "owner");
    expect(owners.map((o) => o.name)).toEqual(["Ben", "Aisha", null]);
    expect(owners[1]).toEqual({
      id: "a",
      name: "Aisha",
      open: { count: 2, value: 300, weightedValue: 90 },
      won: { count: 3, value: 900, weightedValue: 900 },
      lost: { count: 1, value: 50, weightedValue: 0 },
      winRate: 0.75,
    });
    expect(owners[0]).toMatchObject({ won: { count: 0, value: 0 }, winRate: null });
    expect(groupFigures(rows, "team")).toEqual([expect.objectContaining({ id: "t", name: "Direct" })]);
  });
});

describe("deal-list links", () => {
  const filters: PipelineFilters = { team: "t-1", owner: null, tag: "SME & Co", openedFrom: "2026-01", openedTo: "2026-12" };

  it("carries the page's filters and the figure's own narrowing, in the deal list's parameter names", () => {
    expect(dealsHref(filters, { stage: "Proposition", outcome: "open" })).toBe(
      "/app/opportunities?stage=Proposition&outcome=open&team=t-1&tag=SME+%26+Co&opened_from=2026-01&opened_to=2026-12",
    );
    // What is due is due whatever month it opened: no period.
    expect(dealsHref(filters, { closing: "overdue" }, false)).toBe("/app/opportunities?closing=overdue&team=t-1&tag=SME+%26+Co");
  });

  it("lets a figure's own owner or team replace the filter's, and leaves out what is empty", () => {
    expect(dealsHref(filters, { team: "t-2", owner: "o-9", outcome: "won" })).toBe(
      "/app/opportunities?outcome=won&team=t-2&owner=o-9&tag=SME+%26+Co&opened_from=2026-01&opened_to=2026-12",
    );
    expect(hrefWith("/api/export/crm/pipeline.csv", { team: null, owner: "", tag: null })).toBe("/api/export/crm/pipeline.csv");
  });
});
