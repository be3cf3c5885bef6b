import type pg from "pg";

/**
 * A sales tenant's canonical lake, generated set-based in Postgres (one
 * INSERT … SELECT per table, no row crosses the wire) for the dashboard
 * benchmark. Ids derive from the tenant and a number, so a rep, team or deal
 * can be named without a lookup.
 *
 * Shape: `reps` users in `teams` teams of equal size, the first of each team
 * its leader, except that the first team's leader also leads the second
 * (a manager of two teams). Deals are spread over owners with a mild skew
 * towards the first reps (the busiest rep owns about 2.5 times the average),
 * opened over the last three years with more in recent months; a deal older
 * than a quarter is mostly closed (35 % of the closed won), a young one
 * mostly open in New / Qualified / Proposition / Negotiation. Each deal has
 * 2 to 8 activities (5 on average; calls, emails, meetings, to-dos) between
 * its opening and its closing (open deals: up to three weeks ahead), done
 * when past except 3 % left planned (overdue), planned when ahead.
 */
export type CrmWorldSize = { teams: number; reps: number; deals: number; accounts: number };

export async function generateCrmWorld(client: pg.Client, tenantId: string, size: CrmWorldSize): Promise<{ deals: number; activities: number }> {
  const t = `'${tenantId}'::uuid`;
  const perTeam = size.reps / size.teams;
  await client.query(`SET work_mem = '256MB'`);
  // Generated as a restore would load it: triggers off (the owner is a superuser), the
  // deals' activity dates set in one pass at the end, the serving zone rebuilt by the caller.
  await client.query(`SET session_replication_role = replica`);
  await client.query(`
    INSERT INTO lake_users (tenant_id, id, name, email, login, team_id, content_hash)
    SELECT ${t}, md5('${tenantId}:user:' || n)::uuid, 'Rep ' || n, 'rep' || n || '@bench.example', 'rep' || n,
           md5('${tenantId}:team:' || (n / ${perTeam})::int)::uuid, '\\x00'
    FROM generate_series(0, ${size.reps - 1}) n`);
  await client.query(`
    INSERT INTO lake_teams (tenant_id, id, name, leader_id, member_ids, content_hash)
    SELECT ${t}, md5('${tenantId}:team:' || j)::uuid, 'Team ' || j,
           md5('${tenantId}:user:' || (CASE WHEN j = 1 THEN 0 ELSE j * ${perTeam} END))::uuid,
           ARRAY(SELECT md5('${tenantId}:user:' || n)::uuid FROM generate_series(j * ${perTeam}, (j + 1) * ${perTeam} - 1) n), '\\x00'
    FROM generate_series(0, ${size.teams - 1}) j`);
  await client.query(`
    INSERT INTO lake_accounts (tenant_id, id, name, domain, content_hash)
    SELECT ${t}, md5('${tenantId}:account:' || n)::uuid, 'Account ' || n, 'account' || n || '.example', '\\x00'
    FROM generate_series(0, ${size.accounts - 1}) n`);
  await client.query(`
    INSERT INTO lake_contacts (tenant_id, id, account_id, name, email, content_hash)
    SELECT ${t}, md5('${tenantId}:contact:' || n)::uuid, md5('${tenantId}:account:' || n)::uuid, 'Contact ' || n, 'contact' || n || '@account' || n || '.example', '\\x00'
    FROM generate_series(0, ${size.accounts - 1}) n`);
  const deals = await client.query(`
    INSERT INTO lake_opportunities (tenant_id, id, name, stage_kind, stage_name, stage_sequence, account_id, contact_id, owner_id, team_id,
                                    expected_revenue, probability, currency, outcome, lost_reason, opened_at, deadline, closed_at, tags, active,
                                    content_hash, created_at, updated_at)
    SELECT ${t}, md5('${tenantId}:deal:' || g)::uuid, 'Deal ' || g, 'opportunity',
           CASE WHEN outcome = 'won' THEN 'Won' ELSE stage[1] END, CASE WHEN outcome = 'won' THEN 5 ELSE stage[2]::int END,
           md5('${tenantId}:account:' || account)::uuid, md5('${tenantId}:contact:' || account)::uuid,
           md5('${tenantId}:user:' || owner)::uuid, md5('${tenantId}:team:' || (owner / ${perTeam})::int)::uuid,
           revenue, CASE outcome WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE stage[3]::float8 END, 'SGD', outcome,
           CASE WHEN outcome = 'lost' THEN 'Too expensive' END, opened, deadline, closed, tags, outcome <> 'lost', '\\x00', opened,
           coalesce(closed, opened + (now() - opened) * r8)
    FROM (
      SELECT g, opened, outcome, revenue, owner, account, tags,
             CASE WHEN r4 < 0.25 THEN '{New,1,10}'::text[] WHEN r4 < 0.55 THEN '{Qualified,2,30}' WHEN r4 < 0.85 THEN '{Proposition,3,60}' ELSE '{Negotiation,4,85}' END AS stage,
             CASE WHEN r7 < 0.1 THEN NULL ELSE (opened + interval '1 day' * (14 + r7 * 120))::date END AS deadline,
             CASE WHEN outcome = 'open' THEN NULL ELSE least(opened + interval '1 day' * (7 + r3 * r3 * 170), opened + (now() - opened) * r3) END AS closed,
             r8
      FROM (
        SELECT g, opened, r3, r4, r7, r8,
               CASE WHEN r2 < CASE WHEN now() - opened < interval '90 days' THEN 0.75 WHEN now() - opened < interval '365 days' THEN 0.12 ELSE 0.04 END THEN 'open'
                    WHEN r5 < 0.35 THEN 'won' ELSE 'lost' END AS outcome,
               round((500 + exp(r6 * 5) * 400)::numeric, 2) AS revenue,
               floor(${size.reps} * power(r1, 1.2))::int AS owner,
               floor(r9 * ${size.accounts})::int AS account,
               CASE WHEN r9 < 0.2 THEN '{Enterprise,Renewal}'::text[] WHEN r9 < 0.5 THEN '{Enterprise}' WHEN r9 < 0.9 THEN '{SMB}' ELSE '{}' END AS tags
        FROM (
          SELECT g, now() - interval '1095 days' * (1 - sqrt(random())) AS opened, random() r1, random() r2, random() r3, random() r4,
                 random() r5, random() r6, random() r7, random() r8, random() r9
          FROM generate_series(1, ${size.deals}) g OFFSET 0
        ) draws OFFSET 0
      ) decided OFFSET 0
    ) deal`);
  const activities = await client.query(`
    INSERT INTO lake_activities (tenant_id, id, activity_type, summary, state, at, owner_id, about_kind, about_id, content_hash, created_at, updated_at)
    SELECT tenant_id, gen_random_uuid(),
           CASE WHEN r1 < 0.35 THEN 'Call' WHEN r1 < 0.7 THEN 'Email' WHEN r1 < 0.9 THEN 'Meeting' ELSE 'To-Do' END, 'Follow-up ' || k,
           CASE WHEN at > now() OR r2 < 0.03 THEN 'planned' ELSE 'done' END, at, owner_id,
           CASE WHEN r3 < 0.9 THEN 'opportunity' ELSE 'account' END, CASE WHEN r3 < 0.9 THEN id ELSE account_id END, '\\x00', at, at
    FROM (
      SELECT o.tenant_id, o.id, o.account_id, o.owner_id, k, random() r1, random() r2, random() r3,
             o.opened_at + (coalesce(o.closed_at, now() + interval '21 days') - o.opened_at) * random() AS at
      FROM lake_opportunities o
      CROSS JOIN LATERAL generate_series(1, 2 + get_byte(uuid_send(o.id), 0) % 7) k
      WHERE o.tenant_id = ${t} OFFSET 0
    ) a`);
  await client.query(`
    UPDATE lake_opportunities o
    SET last_touch_at = t.last_touch, next_activity_at = t.next_activity, latest_activity_at = t.latest_activity
    FROM (
      SELECT about_id, max(at) FILTER (WHERE state = 'done') AS last_touch, min(at) FILTER (WHERE state = 'planned') AS next_activity, max(at) AS latest_activity
      FROM lake_activities WHERE tenant_id = ${t} AND about_kind = 'opportunity' GROUP BY about_id
    ) t
    WHERE o.tenant_id = ${t} AND o.id = t.about_id`);
  await client.query(`RESET session_replication_role`);
  return { deals: deals.rowCount ?? 0, activities: activities.rowCount ?? 0 };
}
