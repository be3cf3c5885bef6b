import { type ServedRecord } from "../sims/dev-world/service-log";

/**
 * The nightly run's lower bound, from what the simulators injected rather
 * than what the pipeline measured (which includes time queued in limiters,
 * locks and job slots, and so grows with the wall time):
 *
 * - `company_chain`: the slowest company's own chain of service times, as the
 *   pipeline orders its stages — the crawl (per host: every request's service
 *   time plus the politeness gap between requests, robots.txt included, the
 *   robots.txt Crawl-delay where it is longer), then Tavily and AI extraction beside the Apify
 *   LinkedIn chain (which starts once the crawl's pages are parsed), then
 *   Lusha, then one ZeroBounce batch. An actor run several companies shared
 *   (the run's companies batch the company and profile actors) is on each
 *   one's chain: each waited for the whole run. A website several registry companies
 *   share is one politeness sequence for all of them, plus one extraction. Only requests the simulators could tie
 *   to the company count; rationales are shared through their cache and
 *   name no company, so they are left to the LLM window term.
 * - `llm_window`: the LLM account's requests per minute as the vendor counts
 *   them, a sliding window: N calls need ⌊(N − 1) / RPM⌋ whole windows before
 *   the last one may start, which is then served.
 * - `tavily_window`: the same for the Tavily key's requests per minute (1,000
 *   for a production key), which a run of thousands of companies reaches.
 * - `zerobounce_window`: 5 batch calls per rolling minute; the addresses need
 *   ⌈addresses / batch size⌉ batches, so ⌊(batches − 1) / 5⌋ windows, then
 *   the last batch.
 *
 * The bound is the largest term: no parallelism or worker count beats it.
 */
export type BoundSettings = {
  crawl: { minDelayMs: number; maxCrawlDelayS: number };
  llm: { requestsPerMinute: number };
  tavily: { requestsPerMinute: number };
  zeroBounce: { callsPerWindow: number; batchSize: number };
};

/** Vendors count their limits in one-minute windows. */
const WINDOW_S = 60;

export type CompanyChain = { uen: string; webS: number; tavilyS: number; extractS: number; apifyS: number; lushaS: number; chainS: number };

export type NightlyBound = {
  bound_s: number;
  binding: string;
  terms: Record<"company_chain" | "llm_window" | "tavily_window" | "zerobounce_window", number>;
  slowest: CompanyChain | null;
  /** Sum of the companies' enrichment chains (without the verification batch): the job-slot seconds the run needs. */
  chainSecondsTotal: number;
  llmCalls: number;
  tavilyCalls: number;
  zeroBounceBatchesNeeded: number;
};

const seconds = (ms: number) => ms / 1000;
const sum = (records: ServedRecord[]) => records.reduce((n, r) => n + r.ms, 0);
const min = (records: ServedRecord[]) => (records.length ? Math.min(...records.map((r) => r.ms)) : 0);

/** The gap the crawler keeps between two pages of a host: its minimum delay, or the robots.txt Crawl-delay (capped) when longer. */
export function politenessGapMs(settings: BoundSettings["crawl"], crawlDelayS: number | undefined): number {
  return Math.max(settings.minDelayMs, Math.min(crawlDelayS ?? 0, settings.maxCrawlDelayS) * 1000);
}

/** The crawl's share of a company's chain: the longest of its hosts' own sequences (hosts may be probed side by side). */
function webChainMs(records: ServedRecord[], settings: BoundSettings["crawl"]): number {
  const byHost = new Map<string, ServedRecord[]>();
  for (const r of records) byHost.set(r.host ?? "", [...(byHost.get(r.host ?? "") ?? []), r]);
  let longest = 0;
  for (const host of byHost.values()) {
    // Every request waits its gap after the previous one ends; robots.txt is read outside the gate but counts as one (politeness.touch).
    longest = Math.max(longest, sum(host) + Math.max(0, host.length - 1) * politenessGapMs(settings, host[0]!.crawlDelayS));
  }
  return longest;
}

export function companyChain(uen: string, records: ServedRecord[], settings: BoundSettings): CompanyChain {
  const of = (vendor: ServedRecord["vendor"]) => records.filter((r) => r.vendor === vendor);
  const webS = seconds(webChainMs(of("web"), settings.crawl));
  const extractions = of("llm").filter((r) => r.kind !== "text");
  if (extractions.length > 1) {
    // Several registry companies share this website (one extraction each), so its requests and the
    // vendors' answers about it cannot be told apart. What holds: the host serves them one after
    // another, and whichever company's crawl ends last still has its extraction to do.
    const extractS = seconds(min(extractions));
    return { uen, webS, tavilyS: 0, extractS, apifyS: 0, lushaS: 0, chainS: webS + extractS };
  }
  const tavilyS = seconds(sum(of("tavily")));
  const extractS = seconds(sum(extractions));
  const apifyS = seconds(sum(of("apify")));
  const lushaS = seconds(sum(of("lusha")));
  return { uen, webS, tavilyS, extractS, apifyS, lushaS, chainS: webS + Math.max(tavilyS + extractS, apifyS) + lushaS };
}

/** A sliding window of `perMinute` requests: the whole windows before the last call may start, then that call. */
function requestWindowS(calls: ServedRecord[], perMinute: number): number {
  return calls.length ? Math.floor((calls.length - 1) / perMinute) * WINDOW_S + seconds(min(calls)) : 0;
}

export function nightlyBound(served: readonly ServedRecord[], settings: BoundSettings): NightlyBound {
  const byCompany = new Map<string, ServedRecord[]>();
  // A run several companies shared (a batched actor run) is on each one's chain.
  for (const r of served) for (const uen of r.uens ?? (r.uen ? [r.uen] : [])) byCompany.set(uen, [...(byCompany.get(uen) ?? []), r]);
  const chains = [...byCompany].map(([uen, records]) => companyChain(uen, records, settings));
  const slowest = chains.reduce<CompanyChain | null>((a, c) => (!a || c.chainS > a.chainS ? c : a), null);

  const batches = served.filter((r) => r.vendor === "zerobounce" && r.kind.endsWith("/validatebatch") && r.status === 200);
  const oneBatchS = seconds(min(batches));
  const addresses = batches.reduce((n, r) => n + (r.items ?? 0), 0);
  const batchesNeeded = Math.ceil(addresses / settings.zeroBounce.batchSize);
  const zerobounceWindow = batchesNeeded ? Math.floor((batchesNeeded - 1) / settings.zeroBounce.callsPerWindow) * WINDOW_S + oneBatchS : 0;

  const llm = served.filter((r) => r.vendor === "llm" && r.status === 200);
  const tavily = served.filter((r) => r.vendor === "tavily" && r.status === 200);

  const terms = {
    company_chain: slowest ? slowest.chainS + oneBatchS : 0,
    llm_window: requestWindowS(llm, settings.llm.requestsPerMinute),
    tavily_window: requestWindowS(tavily, settings.tavily.requestsPerMinute),
    zerobounce_window: zerobounceWindow,
  };
  const [binding, bound] = Object.entries(terms).reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    bound_s: bound,
    binding,
    terms,
    slowest,
    chainSecondsTotal: chains.reduce((n, c) => n + c.chainS, 0),
    llmCalls: llm.length,
    tavilyCalls: tavily.length,
    zeroBounceBatchesNeeded: batchesNeeded,
  };
}
