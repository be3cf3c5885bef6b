import { crawlerSettings } from "~/crawler/config.server";
import { createCrawler, crawlerWiring, type Crawler } from "~/crawler/crawler.server";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";
import { createApifyClient } from "~/vendors/apify.server";
import { vendorConfigs } from "~/vendors/config.server";
import { createLlmClient } from "~/vendors/llm.server";
import { createLushaClient } from "~/vendors/lusha.server";
import { createTavilyClient } from "~/vendors/tavily.server";
import { createZeroBounceClient } from "~/vendors/zerobounce.server";

/**
 * The lead engine's outside world, one instance per worker process: the
 * crawler (its robots cache and per-host politeness gates must be shared by
 * every job in the process) and a client per configured vendor (the
 * ZeroBounce client carries the 5-calls-a-minute limiter). A vendor without
 * a key is simply absent and its stage is skipped.
 */
export function leadEngineClients() {
  return singleton("lead-engine-clients", () => {
    const config = env();
    const vendors = vendorConfigs(config);
    return {
      crawler: createCrawler(crawlerSettings(config), crawlerWiring(config, config.NODE_ENV)) as Crawler,
      tavily: vendors.tavily ? createTavilyClient(vendors.tavily) : undefined,
      apify: vendors.apify ? createApifyClient(vendors.apify) : undefined,
      apifyFlags: vendors.apifyFlags,
      apifyDailyCap: vendors.apifyDailyCap,
      zeroBounce: vendors.zeroBounce ? createZeroBounceClient(vendors.zeroBounce) : undefined,
      lusha: vendors.lusha && vendors.lushaFallbackEnabled ? createLushaClient(vendors.lusha) : undefined,
      llm: vendors.llm ? createLlmClient(vendors.llm) : undefined,
      defaultContactTitles: vendors.contactTitles,
    };
  });
}

export type LeadEngineClients = ReturnType<typeof leadEngineClients>;
