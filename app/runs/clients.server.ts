import { crawlerSettings } from "~/crawler/config.server";
import { createCrawler, crawlerWiring, type Crawler } from "~/crawler/crawler.server";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";
import { createApifyClient } from "~/vendors/apify.server";
import { vendorConfigs } from "~/vendors/config.server";
import { createLlmClient } from "~/vendors/llm.server";
import { createLushaClient } from "~/vendors/lusha.server";
import { sharedCallLimiters, sharedLimits } from "~/vendors/shared-limits.server";
import { createTavilyClient } from "~/vendors/tavily.server";
import { createZeroBounceClient } from "~/vendors/zerobounce.server";

// A host lease outlives the longest fetch by this much, so a crashed worker's lease still ends.
const HOST_LEASE_SLACK_MS = 30_000;

/**
 * The lead engine's outside world, one instance per worker process: the
 * crawler (its robots cache is shared by every job in the process) and a
 * client per configured vendor. The limits that must hold across processes —
 * per-host politeness, ZeroBounce's 5 batch calls a minute, the LLM's and
 * Tavily's requests per minute — are kept in Postgres, so any number of workers keep
 * them together. A vendor without a key is simply absent and its stage is
 * skipped.
 */
export function leadEngineClients() {
  return singleton("lead-engine-clients", () => {
    const config = env();
    const vendors = vendorConfigs(config);
    const settings = crawlerSettings(config);
    const sharedHosts = sharedLimits().hostGate(settings.totalTimeoutMs + HOST_LEASE_SLACK_MS);
    const limiters = sharedCallLimiters();
    return {
      crawler: createCrawler(settings, { ...crawlerWiring(config, config.NODE_ENV), sharedHosts }) as Crawler,
      tavily: vendors.tavily ? createTavilyClient({ ...vendors.tavily, limiters }) : undefined,
      apify: vendors.apify ? createApifyClient(vendors.apify) : undefined,
      apifyFlags: vendors.apifyFlags,
      apifyDailyCap: vendors.apifyDailyCap,
      zeroBounce: vendors.zeroBounce ? createZeroBounceClient({ ...vendors.zeroBounce, limiters }) : undefined,
      lusha: vendors.lusha && vendors.lushaFallbackEnabled ? createLushaClient(vendors.lusha) : undefined,
      llm: vendors.llm ? createLlmClient({ ...vendors.llm, limiters }) : undefined,
      defaultContactTitles: vendors.contactTitles,
    };
  });
}

export type LeadEngineClients = ReturnType<typeof leadEngineClients>;
