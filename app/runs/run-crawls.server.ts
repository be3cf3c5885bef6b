import { type CrawlResult } from "~/crawler/crawl-site.server";
import { singleton } from "~/singleton.server";

/**
 * The companies of one run that have the same website share one crawl of it.
 * A registry lists a group's companies (a holding, its branch, a renamed
 * entity) under separate UENs, and domain discovery gives them the same
 * domain. The host is read one request at a time, up to its Crawl-delay
 * apart, so each extra crawl of it queued behind the previous one: at a
 * 10-second Crawl-delay the fourth company of such a site waited two minutes
 * for pages the first had already read. Now the later companies join the
 * crawl in flight, or take its result when it has ended, and the site gets
 * each page asked once per run.
 *
 * Kept per worker process (another process crawls the site itself, still
 * spaced by the shared host gate) for `KEEP_MS` after the crawl ends, so a
 * later run, or a re-enrichment, reads the site again; at most `KEEP_MAX`
 * ended crawls are kept (the oldest go first), so a large run's pages do not
 * pile up in memory. A crawl that throws is forgotten at once, so a retried
 * job crawls anew.
 */
const KEEP_MS = 15 * 60 * 1000;
const KEEP_MAX = 500;

/** An entry's keptUntil while its crawl runs: never dropped then. */
const IN_FLIGHT = Number.POSITIVE_INFINITY;

type Entry = { result: Promise<CrawlResult>; keptUntil: number };

export function runCrawl(
  key: { runId: string; domain: string; includeCareers: boolean },
  crawl: () => Promise<CrawlResult>,
): { result: Promise<CrawlResult>; shared: boolean } {
  const crawls = singleton("run-crawls", () => new Map<string, Entry>());
  const now = Date.now();
  let ended = 0;
  for (const entry of crawls.values()) if (entry.keptUntil !== IN_FLIGHT) ended += 1;
  for (const [k, entry] of crawls) {
    if (entry.keptUntil === IN_FLIGHT || (entry.keptUntil > now && ended <= KEEP_MAX)) continue;
    crawls.delete(k);
    ended -= 1;
  }
  const id = `${key.runId}\u0000${key.domain}\u0000${key.includeCareers}`;
  const existing = crawls.get(id);
  if (existing) return { result: existing.result, shared: true };
  const entry: Entry = { result: crawl(), keptUntil: IN_FLIGHT };
  crawls.set(id, entry);
  entry.result.then(
    () => (entry.keptUntil = Date.now() + KEEP_MS),
    () => crawls.get(id) === entry && crawls.delete(id),
  );
  return { result: entry.result, shared: false };
}
