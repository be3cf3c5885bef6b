import pg from "pg";
import { round } from "./bench-database";

/**
 * Each company of the bench's run on one clock (seconds since the run's row
 * was created): when its job claimed it, when its domain, crawl and LinkedIn
 * chain steps ended, when its addresses were queued (its enrich job's end),
 * when ZeroBounce's batch verified the last of them, and when it settled.
 * Read from run_companies, the step events (written when a step ends) and
 * the addresses' verification times. What the timeline is for: telling whether the last
 * companies finished late because they started late (job slots) or because
 * their own chain was long.
 */
export type CompanyTimes = {
  uen: string;
  startS: number | null;
  domainS: number | null;
  crawlS: number | null;
  /** The LinkedIn chain's end, null when the website named enough people or it was not run. */
  chainS: number | null;
  actorRuns: number;
  emailsS: number | null;
  /** When the batch that verified the company's last address ended; null when it had none to verify. */
  verifiedS: number | null;
  settledS: number | null;
};

export type Timeline = { companies: CompanyTimes[]; lastStartS: number | null };

export async function companyTimeline(connectionString: string, runId: string): Promise<Timeline> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<CompanyTimes>(
      `WITH t0 AS (SELECT created_at FROM runs WHERE id = $1::uuid),
       ev AS (
         SELECT uen,
           max(created_at) FILTER (WHERE stage = 'domain') AS domain_end,
           max(created_at) FILTER (WHERE stage = 'crawl') AS crawl_end,
           max(created_at) FILTER (WHERE stage = 'contacts' AND event = 'discover' AND tool = 'apify_linkedin') AS chain_end,
           count(*) FILTER (WHERE stage = 'contact_discovery')::int AS actor_runs,
           max(created_at) FILTER (WHERE stage = 'emails') AS emails_end
         FROM run_event_logs WHERE run_id = $1::uuid AND uen IS NOT NULL GROUP BY uen),
       verified AS (
         SELECT e.uen, max(e.verified_at) AS verified_at FROM lead_emails e JOIN run_companies rc ON rc.uen = e.uen AND rc.run_id = $1::uuid
         WHERE e.verified_at >= (SELECT created_at FROM t0) GROUP BY e.uen)
       SELECT rc.uen,
         extract(epoch FROM rc.started_at - t0.created_at)::float8 AS "startS",
         extract(epoch FROM ev.domain_end - t0.created_at)::float8 AS "domainS",
         extract(epoch FROM ev.crawl_end - t0.created_at)::float8 AS "crawlS",
         extract(epoch FROM ev.chain_end - t0.created_at)::float8 AS "chainS",
         coalesce(ev.actor_runs, 0) AS "actorRuns",
         extract(epoch FROM ev.emails_end - t0.created_at)::float8 AS "emailsS",
         extract(epoch FROM verified.verified_at - t0.created_at)::float8 AS "verifiedS",
         extract(epoch FROM rc.finished_at - t0.created_at)::float8 AS "settledS"
       FROM run_companies rc CROSS JOIN t0 LEFT JOIN ev USING (uen) LEFT JOIN verified USING (uen)
       WHERE rc.run_id = $1::uuid`,
      [runId],
    );
    const starts = rows.map((r) => r.startS).filter((s): s is number => s !== null);
    return { companies: rows, lastStartS: starts.length ? round(Math.max(...starts), 1) : null };
  } finally {
    await client.end();
  }
}

const s = (value: number | null) => (value === null ? "    -" : value.toFixed(1).padStart(5));
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Per 10 s of start time: how many companies started, how long their jobs held a slot, when the last of them settled; then the last ten to settle. */
export function printTimeline({ companies }: Timeline, print: (line: string) => void = console.log) {
  const buckets = new Map<number, CompanyTimes[]>();
  for (const c of companies) {
    if (c.startS === null) continue;
    const bucket = Math.floor(c.startS / 10) * 10;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), c]);
  }
  print("timeline by start (s since the run began): started, with a LinkedIn chain, mean domain / crawl / chain / slot time, last settled");
  for (const [bucket, group] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const chained = group.filter((c) => c.chainS !== null);
    const domain = mean(group.filter((c) => c.domainS !== null).map((c) => c.domainS! - c.startS!));
    const crawl = mean(group.filter((c) => c.crawlS !== null && c.domainS !== null).map((c) => c.crawlS! - c.domainS!));
    const chain = mean(chained.map((c) => c.chainS! - (c.crawlS ?? c.domainS ?? c.startS!)));
    const slot = mean(group.filter((c) => c.emailsS !== null).map((c) => c.emailsS! - c.startS!));
    const settled = Math.max(...group.map((c) => c.settledS ?? 0));
    print(
      `  ${String(bucket).padStart(3)}–${String(bucket + 10).padEnd(3)} ${String(group.length).padStart(4)} ${String(chained.length).padStart(4)}  ${s(domain)} ${s(crawl)} ${s(chain)} ${s(slot)}  ${s(settled)}`,
    );
  }
  print("last ten to settle: start, domain, crawl, LinkedIn chain end (actor runs), addresses queued, verified, settled");
  const last = [...companies].sort((a, b) => (b.settledS ?? Infinity) - (a.settledS ?? Infinity)).slice(0, 10);
  for (const c of last) {
    print(
      `  ${c.uen.padEnd(11)} ${s(c.startS)} ${s(c.domainS)} ${s(c.crawlS)} ${s(c.chainS)} (${c.actorRuns}) ${s(c.emailsS)} ${s(c.verifiedS)} ${s(c.settledS)}`,
    );
  }
}
