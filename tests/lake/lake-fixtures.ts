import { randomUUID } from "node:crypto";
import { seededRandom } from "~/utils/seeded-random";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * A canonical zone made up in memory (teams, reps, deals, activities), the
 * SQL that loads it into a tenant's lake, and the serving aggregates worked
 * out from it in plain TypeScript: the independent answer the serving SQL is
 * compared with.
 */
export type Team = { id: string; name: string };
export type Rep = { id: string; name: string; teamId: string | null; deleted: boolean };
export type Deal = {
  id: string;
  name: string;
  stageKind: "lead" | "opportunity";
  stageName: string | null;
  ownerId: string | null;
  teamId: string | null;
  revenue: number;
  probability: number;
  outcome: "open" | "won" | "lost";
  openedAt: Date;
  closedAt: Date | null;
  active: boolean;
  deleted: boolean;
  updatedAt: Date;
};
export type Activity = {
  id: string;
  type: string;
  summary: string;
  state: "planned" | "done";
  at: Date;
  ownerId: string | null;
  aboutId: string | null;
  active: boolean;
  deleted: boolean;
};
export type LakeWorld = { teams: Team[]; reps: Rep[]; deals: Deal[]; activities: Activity[] };

const STAGES = ["New", "Qualified", "Proposition", "Won", null];
const DAY = 86_400_000;

/** A world of deals opened June–November 2026, many closing within an hour of Singapore midnight. */
export function makeLakeWorld(seed: number, size = { deals: 80, activities: 60 }): LakeWorld {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const teams = [
    { id: randomUUID(), name: "Direct" },
    { id: randomUUID(), name: "Channel" },
  ];
  const reps: Rep[] = ["Aisha Tan", "Ben Lim", "Chloe Ng", "Dev Raj"].map((name, i) => ({
    id: randomUUID(),
    name,
    teamId: i === 3 ? null : teams[i % 2]!.id,
    deleted: i === 2,
  }));
  const start = Date.parse("2026-06-01T00:00:00Z");
  const deals = Array.from({ length: size.deals }, (_, i): Deal => {
    // Around the Singapore midnight (16:00 UTC) half of the time.
    const openedAt = new Date(start + Math.floor(random() * 180) * DAY + (random() < 0.5 ? 16 * 3600_000 + (random() - 0.5) * 3600_000 : random() * DAY));
    const outcome = pick(["open", "open", "won", "lost"] as const);
    const closedAt = outcome === "open" ? null : new Date(openedAt.getTime() + Math.floor(random() * 40) * DAY + Math.floor(random() * DAY));
    const owner = random() < 0.1 ? null : pick(reps);
    return {
      id: randomUUID(),
      name: `Deal ${i}`,
      stageKind: random() < 0.2 ? "lead" : "opportunity",
      stageName: pick(STAGES),
      ownerId: owner?.id ?? null,
      teamId: owner?.teamId ?? null,
      revenue: Math.floor(random() * 50_000),
      probability: Math.floor(random() * 101),
      outcome,
      openedAt,
      closedAt,
      active: outcome === "lost" ? random() < 0.2 : random() < 0.9,
      deleted: random() < 0.08,
      updatedAt: new Date(openedAt.getTime() + Math.floor(random() * 20) * DAY),
    };
  });
  const activities = Array.from({ length: size.activities }, (_, i): Activity => {
    const about = random() < 0.7 ? pick(deals) : null;
    return {
      id: randomUUID(),
      type: pick(["Call", "Email", "Meeting"]),
      summary: `Activity ${i}`,
      state: random() < 0.75 ? "done" : "planned",
      at: new Date(start + Math.floor(random() * 180 * DAY)),
      ownerId: random() < 0.1 ? null : pick(reps).id,
      aboutId: about?.id ?? null,
      active: random() < 0.95,
      deleted: random() < 0.08,
    };
  });
  return { teams, reps, deals, activities };
}

type Db = typeof import("~/db.server");
type Hierarchy = typeof import("~/lake/hierarchy.server");

/** Loads the world's canonical rows into a tenant's lake, as the loader would leave them (writing as the sync does, for the whole tenant). */
export async function seedCanonical({ withLakeScope }: Pick<Hierarchy, "withLakeScope">, tenantId: string, world: LakeWorld): Promise<void> {
  const deleted = (flag: boolean) => (flag ? "2026-12-01T00:00:00Z" : null);
  await withLakeScope(tenantId, { ownerIds: null }, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO lake_teams (id, name, content_hash)
      SELECT x.id, x.name, '\\x00' FROM jsonb_to_recordset(${JSON.stringify(world.teams)}::jsonb) AS x(id uuid, name text)`;
    await tx.$executeRaw`
      INSERT INTO lake_users (id, name, team_id, deleted_at, content_hash)
      SELECT x.id, x.name, x.team_id, x.deleted_at, '\\x00'
      FROM jsonb_to_recordset(${JSON.stringify(world.reps.map((r) => ({ id: r.id, name: r.name, team_id: r.teamId, deleted_at: deleted(r.deleted) })))}::jsonb)
        AS x(id uuid, name text, team_id uuid, deleted_at timestamptz)`;
    await upsertDeals(tx, world.deals);
    await upsertActivities(tx, world.activities);
  });
}

type Tx = Parameters<Parameters<Db["db"]["$withTenant"]>[1]>[0];

export async function upsertDeals(tx: Tx, deals: Deal[]): Promise<void> {
  const rows = deals.map((d) => ({
    id: d.id,
    name: d.name,
    stage_kind: d.stageKind,
    stage_name: d.stageName,
    owner_id: d.ownerId,
    team_id: d.teamId,
    expected_revenue: d.revenue,
    probability: d.probability,
    outcome: d.outcome,
    opened_at: d.openedAt.toISOString(),
    closed_at: d.closedAt?.toISOString() ?? null,
    active: d.active,
    deleted_at: d.deleted ? "2026-12-01T00:00:00Z" : null,
    updated_at: d.updatedAt.toISOString(),
  }));
  await tx.$executeRaw`
    INSERT INTO lake_opportunities (id, name, stage_kind, stage_name, owner_id, team_id, expected_revenue, probability, outcome,
                                    opened_at, closed_at, active, deleted_at, updated_at, content_hash)
    SELECT x.id, x.name, x.stage_kind, x.stage_name, x.owner_id, x.team_id, x.expected_revenue, x.probability, x.outcome,
           x.opened_at, x.closed_at, x.active, x.deleted_at, x.updated_at, '\\x00'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
      id uuid, name text, stage_kind text, stage_name text, owner_id uuid, team_id uuid, expected_revenue numeric, probability float8,
      outcome text, opened_at timestamptz, closed_at timestamptz, active boolean, deleted_at timestamptz, updated_at timestamptz)
    ON CONFLICT (tenant_id, id) DO UPDATE SET stage_name = EXCLUDED.stage_name, owner_id = EXCLUDED.owner_id, team_id = EXCLUDED.team_id,
      expected_revenue = EXCLUDED.expected_revenue, probability = EXCLUDED.probability, outcome = EXCLUDED.outcome,
      opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at, active = EXCLUDED.active, deleted_at = EXCLUDED.deleted_at,
      updated_at = EXCLUDED.updated_at`;
}

async function upsertActivities(tx: Tx, activities: Activity[]): Promise<void> {
  const rows = activities.map((a) => ({
    id: a.id,
    activity_type: a.type,
    summary: a.summary,
    state: a.state,
    at: a.at.toISOString(),
    owner_id: a.ownerId,
    about_kind: a.aboutId ? "opportunity" : null,
    about_id: a.aboutId,
    active: a.active,
    deleted_at: a.deleted ? "2026-12-01T00:00:00Z" : null,
  }));
  await tx.$executeRaw`
    INSERT INTO lake_activities (id, activity_type, summary, state, at, owner_id, about_kind, about_id, active, deleted_at, content_hash)
    SELECT x.id, x.activity_type, x.summary, x.state, x.at, x.owner_id, x.about_kind, x.about_id, x.active, x.deleted_at, '\\x00'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
      id uuid, activity_type text, summary text, state text, at timestamptz, owner_id uuid, about_kind text, about_id uuid,
      active boolean, deleted_at timestamptz)`;
}

const monthOf = (instant: Date) => `${singaporeDate(instant).slice(0, 7)}-01`;

/** The KPI days a loader marks dirty when it writes these deals and activities (the pipeline needs no marks: triggers record its deltas). */
export function dirtyKpiDaysOf(deals: Deal[], activities: Activity[] = []): string[] {
  return [
    ...deals.flatMap((d) => (d.closedAt ? [singaporeDate(d.closedAt)] : [])),
    ...activities.filter((a) => a.state === "done").map((a) => singaporeDate(a.at)),
  ];
}

export async function markDirty({ db }: Pick<Db, "db">, tenantId: string, days: string[]): Promise<void> {
  await db.$withTenant(
    tenantId,
    (tx) =>
      tx.$executeRaw`
      INSERT INTO lake_serving_dirty (aggregate, day)
      SELECT 'kpi', d::date FROM unnest(${days}::text[]) AS d
      ON CONFLICT DO NOTHING`,
  );
}

const counted = (d: Deal) => !d.deleted && (d.active || d.outcome === "lost");

export type PipelineGroup = {
  month: string;
  stage: string;
  team_id: string | null;
  owner_id: string | null;
  outcome: string;
  count: number;
  value: string;
  weighted_value: string;
};

const cents = (amount: number) => (amount / 100).toFixed(2);

export function expectedPipeline(world: LakeWorld): PipelineGroup[] {
  const groups = new Map<string, PipelineGroup & { revenueCents: number; weightedHundredths: number }>();
  for (const d of world.deals.filter(counted)) {
    const key = { month: monthOf(d.openedAt), stage: d.stageName ?? d.stageKind, team_id: d.teamId, owner_id: d.ownerId, outcome: d.outcome };
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { ...key, count: 0, value: "", weighted_value: "", revenueCents: 0, weightedHundredths: 0 };
    group.count += 1;
    group.revenueCents += d.revenue * 100;
    // revenue × probability / 100, kept in hundredths of a cent so the sum is exact before rounding.
    group.weightedHundredths += d.revenue * d.probability * 100;
    groups.set(id, group);
  }
  return sortRows(
    [...groups.values()].map(({ revenueCents, weightedHundredths, ...g }) => ({
      ...g,
      value: cents(revenueCents),
      weighted_value: cents(Math.round(weightedHundredths / 100)),
    })),
  );
}

export type KpiGroup = {
  day: string;
  owner_id: string | null;
  team_id: string | null;
  won: number;
  lost: number;
  won_value: string;
  cycle_days_total: number;
  activities_done: number;
};

export function expectedKpis(world: LakeWorld): KpiGroup[] {
  const groups = new Map<string, KpiGroup & { wonCents: number }>();
  const group = (day: string, owner: string | null, team: string | null) => {
    const id = JSON.stringify([day, owner, team]);
    const found = groups.get(id) ?? {
      day,
      owner_id: owner,
      team_id: team,
      won: 0,
      lost: 0,
      won_value: "",
      cycle_days_total: 0,
      activities_done: 0,
      wonCents: 0,
    };
    groups.set(id, found);
    return found;
  };
  for (const d of world.deals.filter((d) => counted(d) && d.closedAt && d.outcome !== "open")) {
    const g = group(singaporeDate(d.closedAt!), d.ownerId, d.teamId);
    if (d.outcome === "won") {
      g.won += 1;
      g.wonCents += d.revenue * 100;
      g.cycle_days_total += Math.max(0, (d.closedAt!.getTime() - d.openedAt.getTime()) / DAY);
    } else g.lost += 1;
  }
  for (const a of world.activities.filter((a) => a.state === "done" && a.active && !a.deleted)) {
    const owner = world.reps.find((r) => r.id === a.ownerId && !r.deleted);
    group(singaporeDate(a.at), a.ownerId, owner?.teamId ?? null).activities_done += 1;
  }
  return sortRows([...groups.values()].map(({ wonCents, ...g }) => ({ ...g, won_value: cents(wonCents) })));
}

export function sortRows<T>(rows: T[]): T[] {
  return rows.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}
