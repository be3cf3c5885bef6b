import { describe, expect, it } from "vitest";
import {
  activitiesDoneByRep,
  closedInMonth,
  closedInPeriod,
  deadlines,
  expectedDashboard,
  opportunityLines,
  openPipeline,
  overdueActivitiesByOwner,
  openPipelineByStage,
  outcomeOf,
  overviewMonths,
  performancePeriod,
  salesScope,
  visibleOpportunities,
  type OdooCrm,
  type OdooLead,
} from "../e2e/support/crm-expectations";

/** Two teams: Lena (1) leads North with Raj (2) and, no longer, Sam (3); Omar (4) leads South with Tia (5). */
const STAGES = [
  { id: 10, name: "New", is_won: false },
  { id: 11, name: "Proposition", is_won: false },
  { id: 12, name: "Won", is_won: true },
];
const USERS = [
  { id: 1, name: "Lena Lead", login: "lena@x.test", oauth_uid: "sub-lena" },
  { id: 2, name: "Raj Rep", login: "raj@x.test", oauth_uid: false as const },
  { id: 3, name: "Sam Gone", login: "sam@x.test" },
  { id: 4, name: "Omar Other", login: "omar@x.test" },
  { id: 5, name: "Tia Team", login: "tia@x.test" },
];
const user = (id: number): [number, string] => [id, USERS.find((u) => u.id === id)!.name];
const stage = (id: number): [number, string] => [id, STAGES.find((s) => s.id === id)!.name];

let nextId = 100;
function lead(values: Partial<OdooLead> & { owner: number | null }): OdooLead {
  const { owner, ...rest } = values;
  return {
    id: nextId++,
    name: `Deal ${nextId}`,
    type: "opportunity",
    stage_id: stage(10),
    user_id: owner === null ? false : user(owner),
    team_id: false,
    expected_revenue: 1000,
    probability: 50,
    active: true,
    lost_reason_id: false,
    date_deadline: false,
    date_closed: false,
    create_date: "2026-10-01 00:00:00",
    ...rest,
  };
}

function crm(leads: OdooLead[], doneActivities: OdooCrm["doneActivities"] = [], plannedActivities: OdooCrm["plannedActivities"] = []): OdooCrm {
  return {
    leads,
    stages: STAGES,
    teams: [
      { id: 1, name: "North", user_id: user(1), active: true },
      { id: 2, name: "South", user_id: user(4), active: true },
      { id: 3, name: "Old", user_id: user(1), active: false },
    ],
    members: [
      { crm_team_id: [1, "North"], user_id: user(2), active: true },
      { crm_team_id: [1, "North"], user_id: user(3), active: false },
      { crm_team_id: [2, "South"], user_id: user(5), active: true },
      { crm_team_id: [3, "Old"], user_id: user(4), active: true },
    ],
    users: USERS,
    doneActivities,
    plannedActivities,
  };
}

const NOW = new Date("2026-12-04T23:30:00Z"); // 5 December 07:30 in Singapore

describe("salesScope", () => {
  const data = crm([]);

  it("gives an admin everyone, a leader their active teams' active members and themselves, anyone else themselves", () => {
    expect(salesScope(data, 2, { admin: true })).toEqual({ role: "admin", ownerIds: null });
    expect(salesScope(data, 1, { admin: false })).toEqual({ role: "manager", ownerIds: new Set([1, 2]) });
    expect(salesScope(data, 4, { admin: false })).toEqual({ role: "manager", ownerIds: new Set([4, 5]) });
    expect(salesScope(data, 2, { admin: false })).toEqual({ role: "rep", ownerIds: new Set([2]) });
  });
});

describe("outcomeOf", () => {
  it("is won in a won stage, lost when archived at 0 % with a reason, open otherwise", () => {
    expect(outcomeOf(lead({ owner: 1, stage_id: stage(12), probability: 100 }), STAGES)).toBe("won");
    expect(outcomeOf(lead({ owner: 1, active: false, probability: 0, lost_reason_id: [1, "Too expensive"] }), STAGES)).toBe("lost");
    expect(outcomeOf(lead({ owner: 1, active: false, probability: 0 }), STAGES)).toBe("open");
    expect(outcomeOf(lead({ owner: 1 }), STAGES)).toBe("open");
  });
});

describe("what a salesperson sees", () => {
  const lost = lead({ owner: 2, active: false, probability: 0, lost_reason_id: [1, "Price"], date_closed: "2026-12-01 02:00:00" });
  const withdrawn = lead({ owner: 2, active: false, probability: 40 });
  const deals = [
    lead({ owner: 1, name: "Lena big", expected_revenue: 10_000, probability: 30, stage_id: stage(11), date_deadline: "2026-12-20" }),
    lead({ owner: 2, name: "Raj small", expected_revenue: 2_000, probability: 10, date_deadline: "2026-12-04" }),
    lead({ owner: 3, name: "Sam's old deal", expected_revenue: 7_000 }),
    lead({ owner: 5, name: "Tia deal", expected_revenue: 4_000, type: "lead", date_deadline: "2026-11-15" }),
    // closed 30 Nov 16:30 UTC: 1 December in Singapore
    lead({ owner: 2, name: "Raj won", stage_id: stage(12), probability: 100, expected_revenue: 5_000, date_closed: "2026-11-30 16:30:00" }),
    lead({ owner: 1, name: "Lena won in Nov", stage_id: stage(12), probability: 100, expected_revenue: 3_000, date_closed: "2026-11-30 15:59:59" }),
    lost,
    withdrawn,
    lead({ owner: null, name: "Nobody's" }),
  ];
  const data = crm(deals);

  it("lists a manager's team's deals, archived ones included, and not the others'", () => {
    const manager = salesScope(data, 1, { admin: false });
    expect(visibleOpportunities(data, manager).map((d) => d.name)).toEqual(["Lena big", "Raj small", "Raj won", "Lena won in Nov", lost.name, withdrawn.name]);
    expect(visibleOpportunities(data, salesScope(data, 1, { admin: true }))).toHaveLength(deals.length);
    expect(visibleOpportunities(data, manager)[0]).toEqual({ name: "Lena big", value: 10_000, stage: "Proposition", owner: "Lena Lead", outcome: "open" });
  });

  it("sums the open pipeline by stage, leaving out closed and withdrawn deals", () => {
    const manager = salesScope(data, 1, { admin: false });
    expect(openPipelineByStage(data, manager)).toEqual(
      new Map([
        ["Proposition", { count: 1, value: 10_000, weightedValue: 3_000 }],
        ["New", { count: 1, value: 2_000, weightedValue: 200 }],
      ]),
    );
    expect(openPipeline(data, salesScope(data, 2, { admin: false }))).toEqual({ count: 1, value: 2_000, weightedValue: 200 });
    expect(openPipeline(data, salesScope(data, 9, { admin: true })).count).toBe(5);
  });

  it("counts deals won and lost in the Singapore month they closed", () => {
    const manager = salesScope(data, 1, { admin: false });
    const december = closedInMonth(data, manager, "2026-12");
    expect(december).toMatchObject({ won: 1, lost: 1, wonValue: 5_000 });
    expect(december.averageCycleDays).toBeCloseTo((Date.parse("2026-11-30T16:30:00Z") - Date.parse("2026-10-01T00:00:00Z")) / 86_400_000, 6);
    expect(closedInMonth(data, manager, "2026-11")).toMatchObject({ won: 1, lost: 0, wonValue: 3_000 });
    expect(closedInMonth(data, salesScope(data, 5, { admin: false }), "2026-12")).toEqual({ won: 0, lost: 0, wonValue: 0, averageCycleDays: null });
  });

  it("adds up the deals closed on the Singapore days of a period, both ends included, with the win rate and the average won deal", () => {
    const manager = salesScope(data, 1, { admin: false });
    const both = closedInPeriod(data, manager, { from: "2026-11-01", to: "2026-12-01" });
    expect(both).toMatchObject({ won: 2, lost: 1, wonValue: 8_000, winRate: 2 / 3, averageDealSize: 4_000 });
    // Lena's deal closed at 23:59:59 on 30 November in Singapore; Raj's won and lost deals on 1 December.
    expect(closedInPeriod(data, manager, { from: "2026-12-01", to: "2026-12-31" })).toMatchObject({ won: 1, lost: 1, winRate: 0.5, averageDealSize: 5_000 });
    expect(closedInPeriod(data, manager, { from: "2026-11-01", to: "2026-11-30" })).toMatchObject({ won: 1, lost: 0, wonValue: 3_000, winRate: 1 });
    expect(closedInPeriod(data, manager, { from: "2026-12-02", to: "2026-12-31" })).toEqual({
      won: 0,
      lost: 0,
      wonValue: 0,
      averageCycleDays: null,
      winRate: null,
      averageDealSize: null,
    });
  });

  it("finds open deals closing this Singapore month and those overdue", () => {
    const everyone = salesScope(data, 1, { admin: true });
    const { closingThisMonth, overdue } = deadlines(data, everyone, NOW);
    expect(closingThisMonth).toEqual({ count: 2, value: 12_000, weightedValue: 3_200 });
    // Singapore's today is the 5th: the 4th is overdue
    expect(overdue).toEqual({ count: 2, value: 6_000, weightedValue: 2_200 });
  });

  it("compares lists as sorted lines, so repeated names still count", () => {
    const twice = [{ name: "A", value: 1, stage: "New", owner: null, outcome: "open" as const }];
    expect(opportunityLines([...twice, ...twice])).toEqual(["A | 1 | New | - | open", "A | 1 | New | - | open"]);
    expect(opportunityLines(visibleOpportunities(data, salesScope(data, 2, { admin: false })))).toEqual(
      [...visibleOpportunities(data, salesScope(data, 2, { admin: false }))]
        .reverse()
        .map((d) => `${d.name} | ${d.value} | ${d.stage} | ${d.owner} | ${d.outcome}`)
        .sort(),
    );
  });
});

describe("activitiesDoneByRep", () => {
  const message = (id: number, owner: number, date: string) => ({ id, date, create_uid: user(owner), mail_activity_type_id: [1, "Call"] as [number, string] });
  const data = crm(
    [],
    [
      message(1, 2, "2026-12-04 23:00:00"), // 5 Dec in Singapore: today
      message(2, 2, "2026-11-05 16:00:00"), // 6 Nov in Singapore: the first of the 30 days
      message(3, 2, "2026-11-05 15:59:59"), // 5 Nov in Singapore: too old
      message(4, 1, "2026-12-01 00:00:00"),
      message(5, 5, "2026-12-01 00:00:00"),
      message(6, 2, "2026-12-05 16:00:00"), // tomorrow in Singapore
    ],
  );

  it("counts the last 30 Singapore days' done activities per salesperson in scope", () => {
    expect(activitiesDoneByRep(data, salesScope(data, 1, { admin: false }), NOW)).toEqual(
      new Map([
        ["Raj Rep", 2],
        ["Lena Lead", 1],
      ]),
    );
    expect(activitiesDoneByRep(data, salesScope(data, 1, { admin: true }), NOW).get("Tia Team")).toBe(1);
  });
});

describe("overdueActivitiesByOwner", () => {
  const planned = (id: number, owner: number, due: string, active = true) => ({ id, date_deadline: due, user_id: user(owner), active });
  const data = crm(
    [],
    [],
    [planned(1, 2, "2026-12-04"), planned(2, 2, "2026-12-05"), planned(3, 2, "2026-11-01", false), planned(4, 1, "2026-11-30"), planned(5, 4, "2026-12-01")],
  );

  it("counts active planned activities due before Singapore's today, per salesperson in scope", () => {
    expect(overdueActivitiesByOwner(data, salesScope(data, 1, { admin: false }), NOW)).toEqual(
      new Map([
        ["Raj Rep", 1],
        ["Lena Lead", 1],
      ]),
    );
    expect(overdueActivitiesByOwner(data, salesScope(data, 1, { admin: true }), NOW).get("Omar Other")).toBe(1);
  });
});

describe("performancePeriod", () => {
  it("is the last 90 Singapore days, today included", () => {
    expect(performancePeriod(NOW)).toEqual({ from: "2026-09-07", to: "2026-12-05" });
    expect(performancePeriod(new Date("2026-12-31T16:00:00Z"))).toEqual({ from: "2026-10-04", to: "2027-01-01" });
  });
});

describe("overviewMonths", () => {
  it("names the Singapore month and the one before, across a new year", () => {
    expect(overviewMonths(new Date("2026-12-31T16:00:00Z"))).toEqual({ thisMonth: "2027-01", lastMonth: "2026-12" });
    expect(overviewMonths(NOW)).toEqual({ thisMonth: "2026-12", lastMonth: "2026-11" });
  });

  it("is what expectedDashboard reports for this month and last", () => {
    const data = crm([lead({ owner: 2, stage_id: stage(12), date_closed: "2026-11-10 00:00:00" })]);
    const expected = expectedDashboard(data, salesScope(data, 2, { admin: false }), NOW);
    expect([expected.thisMonth.won, expected.lastMonth.won]).toEqual([0, 1]);
  });
});
