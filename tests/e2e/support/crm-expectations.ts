import { odooSession } from "./odoo-rpc";

/**
 * What a salesperson should see on the sales dashboards, computed from the
 * tenant's Odoo records as Odoo's own rules define them, never from the
 * platform's tables: the records are read over JSON-RPC as the tenant's
 * integration user, and the figures follow from them alone. Months and days
 * are Singapore's.
 */

type Many2one = [number, string] | false;

export type OdooLead = {
  id: number;
  name: string;
  type: "lead" | "opportunity";
  stage_id: Many2one;
  user_id: Many2one;
  team_id: Many2one;
  expected_revenue: number;
  probability: number;
  active: boolean;
  lost_reason_id: Many2one;
  date_deadline: string | false;
  date_closed: string | false;
  create_date: string;
};
export type OdooStage = { id: number; name: string; is_won: boolean };
export type OdooTeam = { id: number; name: string; user_id: Many2one; active: boolean };
export type OdooTeamMember = { crm_team_id: Many2one; user_id: Many2one; active: boolean };
export type OdooUser = { id: number; name: string; login: string; oauth_uid?: string | false };
export type OdooDoneActivity = { id: number; date: string; create_uid: Many2one; mail_activity_type_id: Many2one };
export type OdooPlannedActivity = { id: number; date_deadline: string; user_id: Many2one; active: boolean };

/** One company's CRM as its Odoo holds it. */
export type OdooCrm = {
  leads: OdooLead[];
  stages: OdooStage[];
  teams: OdooTeam[];
  members: OdooTeamMember[];
  users: OdooUser[];
  /** Messages that done activities left (they carry the activity's type). */
  doneActivities: OdooDoneActivity[];
  /** Activities still to do (mail.activity). */
  plannedActivities: OdooPlannedActivity[];
};

/** Whose deals a salesperson sees: everyone's (null) for an admin, else these Odoo users'. */
export type SalesScope = { role: "admin" | "manager" | "rep"; ownerIds: ReadonlySet<number> | null };

const idOf = (value: Many2one): number | null => (value ? value[0] : null);
const nameOf = (value: Many2one): string | null => (value ? value[1] : null);

/**
 * A workspace admin sees every deal; the leader of an active sales team sees
 * their own deals and those of every active member of the teams they lead;
 * anyone else their own.
 */
export function salesScope(crm: Pick<OdooCrm, "teams" | "members">, odooUserId: number, options: { admin: boolean }): SalesScope {
  if (options.admin) return { role: "admin", ownerIds: null };
  const led = new Set(crm.teams.filter((t) => t.active && idOf(t.user_id) === odooUserId).map((t) => t.id));
  if (led.size === 0) return { role: "rep", ownerIds: new Set([odooUserId]) };
  const members = crm.members.filter((m) => m.active && led.has(idOf(m.crm_team_id) ?? -1)).map((m) => idOf(m.user_id));
  return { role: "manager", ownerIds: new Set([odooUserId, ...members.filter((id): id is number => id !== null)]) };
}

export function sees(scope: SalesScope, ownerId: number | null): boolean {
  return scope.ownerIds === null || (ownerId !== null && scope.ownerIds.has(ownerId));
}

export type Outcome = "open" | "won" | "lost";

/** Won in a won stage; lost when Odoo archived it at probability 0 with a lost reason; open otherwise. */
export function outcomeOf(lead: OdooLead, stages: readonly OdooStage[]): Outcome {
  const stage = stages.find((s) => s.id === idOf(lead.stage_id));
  if (stage?.is_won) return "won";
  if (!lead.active && lead.probability === 0 && lead.lost_reason_id) return "lost";
  return "open";
}

/** Whether a deal counts in the figures: an archived deal counts only when it was lost (Odoo archives lost deals; others were withdrawn). */
export function counts(lead: OdooLead, stages: readonly OdooStage[]): boolean {
  return lead.active || outcomeOf(lead, stages) === "lost";
}

/** Odoo's UTC datetime text ("YYYY-MM-DD HH:MM:SS") as an instant. */
export function odooInstant(datetime: string): Date {
  return new Date(`${datetime.replace(" ", "T")}Z`);
}

const SINGAPORE_MS = 8 * 3_600_000;
export const singaporeDay = (instant: Date) => new Date(instant.getTime() + SINGAPORE_MS).toISOString().slice(0, 10);

/** A deal as a list shows it. */
export type ExpectedOpportunity = { name: string; value: number; stage: string; owner: string | null; outcome: Outcome };

export function visibleOpportunities(crm: OdooCrm, scope: SalesScope): ExpectedOpportunity[] {
  return crm.leads
    .filter((lead) => sees(scope, idOf(lead.user_id)))
    .map((lead) => ({
      name: lead.name,
      value: lead.expected_revenue,
      stage: nameOf(lead.stage_id) ?? lead.type,
      owner: nameOf(lead.user_id),
      outcome: outcomeOf(lead, crm.stages),
    }));
}

/** One line per deal, sorted, so two lists compare as multisets (deal names repeat). */
export function opportunityLines(deals: readonly ExpectedOpportunity[]): string[] {
  return deals.map((d) => `${d.name} | ${d.value} | ${d.stage} | ${d.owner ?? "-"} | ${d.outcome}`).sort();
}

export type PipelineFigures = { count: number; value: number; weightedValue: number };

const openDeals = (crm: OdooCrm, scope: SalesScope) =>
  crm.leads.filter((lead) => sees(scope, idOf(lead.user_id)) && counts(lead, crm.stages) && outcomeOf(lead, crm.stages) === "open");

/** Open deals by stage name: how many, their value and their value weighted by probability. */
export function openPipelineByStage(crm: OdooCrm, scope: SalesScope): Map<string, PipelineFigures> {
  const byStage = new Map<string, PipelineFigures>();
  for (const lead of openDeals(crm, scope)) {
    const stage = nameOf(lead.stage_id) ?? lead.type;
    const figures = byStage.get(stage) ?? { count: 0, value: 0, weightedValue: 0 };
    figures.count += 1;
    figures.value += lead.expected_revenue;
    figures.weightedValue += (lead.expected_revenue * lead.probability) / 100;
    byStage.set(stage, figures);
  }
  return byStage;
}

export function openPipeline(crm: OdooCrm, scope: SalesScope): PipelineFigures {
  const total = { count: 0, value: 0, weightedValue: 0 };
  for (const figures of openPipelineByStage(crm, scope).values()) {
    total.count += figures.count;
    total.value += figures.value;
    total.weightedValue += figures.weightedValue;
  }
  return total;
}

export type ClosedInMonth = { won: number; lost: number; wonValue: number; averageCycleDays: number | null };

/** Deals won and lost on the Singapore days `onDay` takes, with the won value and the average days from opening to winning. */
function closedOn(crm: OdooCrm, scope: SalesScope, onDay: (day: string) => boolean): ClosedInMonth {
  const closed = crm.leads.filter(
    (lead) => sees(scope, idOf(lead.user_id)) && counts(lead, crm.stages) && lead.date_closed && onDay(singaporeDay(odooInstant(lead.date_closed))),
  );
  const won = closed.filter((lead) => outcomeOf(lead, crm.stages) === "won");
  const cycleDays = won.reduce(
    (sum, lead) => sum + Math.max(0, (odooInstant(lead.date_closed as string).getTime() - odooInstant(lead.create_date).getTime()) / 86_400_000),
    0,
  );
  return {
    won: won.length,
    lost: closed.filter((lead) => outcomeOf(lead, crm.stages) === "lost").length,
    wonValue: won.reduce((sum, lead) => sum + lead.expected_revenue, 0),
    averageCycleDays: won.length ? cycleDays / won.length : null,
  };
}

/** Deals won and lost in the Singapore month `month` (YYYY-MM). */
export function closedInMonth(crm: OdooCrm, scope: SalesScope, month: string): ClosedInMonth {
  return closedOn(crm, scope, (day) => day.startsWith(month));
}

/** The Performance page's period when none is asked for: the last 90 Singapore days, today included. */
export function performancePeriod(now: Date): { from: string; to: string } {
  return { from: singaporeDay(new Date(now.getTime() - 89 * 86_400_000)), to: singaporeDay(now) };
}

export type KeyFigures = ClosedInMonth & { winRate: number | null; averageDealSize: number | null };

/** What closed from `period.from` to `period.to` (Singapore days, both included), with the win rate (won of won and lost) and the average won deal. */
export function closedInPeriod(crm: OdooCrm, scope: SalesScope, period: { from: string; to: string }): KeyFigures {
  const closed = closedOn(crm, scope, (day) => day >= period.from && day <= period.to);
  return {
    ...closed,
    winRate: closed.won + closed.lost ? closed.won / (closed.won + closed.lost) : null,
    averageDealSize: closed.won ? closed.wonValue / closed.won : null,
  };
}

/** Open deals whose deadline falls in the Singapore month of `now`, and those whose deadline is before its Singapore today. */
export function deadlines(crm: OdooCrm, scope: SalesScope, now: Date): { closingThisMonth: PipelineFigures; overdue: PipelineFigures } {
  const today = singaporeDay(now);
  const figures = (deals: OdooLead[]): PipelineFigures => ({
    count: deals.length,
    value: deals.reduce((sum, d) => sum + d.expected_revenue, 0),
    weightedValue: deals.reduce((sum, d) => sum + (d.expected_revenue * d.probability) / 100, 0),
  });
  const open = openDeals(crm, scope).filter((lead) => lead.date_deadline);
  return {
    closingThisMonth: figures(open.filter((lead) => (lead.date_deadline as string).slice(0, 7) === today.slice(0, 7))),
    overdue: figures(open.filter((lead) => (lead.date_deadline as string) < today)),
  };
}

/** The first day of the last 30 Singapore days, today included. */
export function last30DaysFrom(now: Date): string {
  return singaporeDay(new Date(now.getTime() - 29 * 86_400_000));
}

/** Done activities of the last 30 Singapore days per salesperson (by name) who did any, among those the scope shows. */
export function activitiesDoneByRep(crm: OdooCrm, scope: SalesScope, now: Date): Map<string, number> {
  const from = last30DaysFrom(now);
  const today = singaporeDay(now);
  const names = new Map(crm.users.map((u) => [u.id, u.name]));
  const byRep = new Map<string, number>();
  for (const message of crm.doneActivities) {
    const owner = idOf(message.create_uid);
    const day = singaporeDay(odooInstant(message.date));
    if (owner === null || !names.has(owner) || !sees(scope, owner) || day < from || day > today) continue;
    const name = names.get(owner)!;
    byRep.set(name, (byRep.get(name) ?? 0) + 1);
  }
  return byRep;
}

/** Planned activities due before the Singapore today of `now`, per salesperson (by name) in scope. */
export function overdueActivitiesByOwner(crm: OdooCrm, scope: SalesScope, now: Date): Map<string, number> {
  const today = singaporeDay(now);
  const names = new Map(crm.users.map((u) => [u.id, u.name]));
  const byOwner = new Map<string, number>();
  for (const activity of crm.plannedActivities) {
    const owner = idOf(activity.user_id);
    if (!activity.active || owner === null || !names.has(owner) || !sees(scope, owner) || activity.date_deadline >= today) continue;
    const name = names.get(owner)!;
    byOwner.set(name, (byOwner.get(name) ?? 0) + 1);
  }
  return byOwner;
}

/** The Singapore month (YYYY-MM) of `now`, and the one before. */
export function overviewMonths(now: Date): { thisMonth: string; lastMonth: string } {
  const thisMonth = singaporeDay(now).slice(0, 7);
  const [year, month] = thisMonth.split("-").map(Number) as [number, number];
  const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
  return { thisMonth, lastMonth };
}

/** Everything the dashboards should show one salesperson, as of `now`. */
export function expectedDashboard(crm: OdooCrm, scope: SalesScope, now: Date) {
  const months = overviewMonths(now);
  const period = performancePeriod(now);
  return {
    opportunities: visibleOpportunities(crm, scope),
    openPipeline: openPipeline(crm, scope),
    openPipelineByStage: openPipelineByStage(crm, scope),
    thisMonth: closedInMonth(crm, scope, months.thisMonth),
    lastMonth: closedInMonth(crm, scope, months.lastMonth),
    ...deadlines(crm, scope, now),
    activitiesByRep: activitiesDoneByRep(crm, scope, now),
    overdueActivitiesByOwner: overdueActivitiesByOwner(crm, scope, now),
    performance: { period, figures: closedInPeriod(crm, scope, period) },
  };
}
export type ExpectedDashboard = ReturnType<typeof expectedDashboard>;

// ---------------------------------------------------------------- reading the simulator

/** A workspace's CRM as its integration user reads it: every record, archived ones included, only the workspace company's. */
export async function readOdooCrm(slug: string): Promise<OdooCrm> {
  const { companyId, searchRead } = await odooSession(slug);
  const company = ["company_id", "=", companyId];
  const leads = await searchRead<OdooLead>(
    "crm.lead",
    [company],
    [
      "name",
      "type",
      "stage_id",
      "user_id",
      "team_id",
      "expected_revenue",
      "probability",
      "active",
      "lost_reason_id",
      "date_deadline",
      "date_closed",
      "create_date",
    ],
  );
  const leadIds = leads.map((lead) => lead.id);
  const teams = await searchRead<OdooTeam>("crm.team", [company], ["name", "user_id", "active"]);
  return {
    leads,
    stages: await searchRead<OdooStage>("crm.stage", [], ["name", "is_won"]),
    teams,
    members: await searchRead<OdooTeamMember>("crm.team.member", [["crm_team_id", "in", teams.map((t) => t.id)]], ["crm_team_id", "user_id", "active"]),
    users: await searchRead<OdooUser>("res.users", [["company_ids", "in", [companyId]]], ["name", "login", "oauth_uid"]),
    doneActivities: await searchRead<OdooDoneActivity>(
      "mail.message",
      [
        ["model", "=", "crm.lead"],
        ["res_id", "in", leadIds],
        ["mail_activity_type_id", "!=", false],
      ],
      ["date", "create_uid", "mail_activity_type_id"],
    ),
    plannedActivities: await searchRead<OdooPlannedActivity>(
      "mail.activity",
      [
        ["res_model", "=", "crm.lead"],
        ["res_id", "in", leadIds],
      ],
      ["date_deadline", "user_id", "active"],
    ),
  };
}

/** The Odoo user a platform user signs in as: the one linked to their identity provider subject. */
export function odooUserOf(crm: OdooCrm, sub: string): OdooUser {
  const user = crm.users.find((u) => u.oauth_uid === sub);
  if (!user) throw new Error(`No Odoo user is linked to ${sub}`);
  return user;
}
