import { z } from "zod";

/**
 * Env fragments for the enrichment vendors. The lead merges them into the one
 * schema in app/env.server.ts; clients never read process.env themselves.
 */
const flag = (fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", ""])
    .default(fallback ? "true" : "false")
    .transform((v) => (v === "" ? fallback : v === "1" || v === "true"));

/** A setting that may be absent; blank counts as absent. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

export const tavilyEnv = z.object({
  TAVILY_BASE_URL: z.string().url().default("https://api.tavily.com"),
  TAVILY_API_KEY: optionalString,
  /** Requests per minute the key allows: 1,000 for a production key (the default), 100 for a development key. */
  TAVILY_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(1000),
});

export const apifyEnv = z.object({
  APIFY_BASE_URL: z.string().url().default("https://api.apify.com"),
  APIFY_TOKEN: optionalString,
  ENABLE_APIFY_LINKEDIN: flag(true),
  APIFY_USE_COMPANY_EMPLOYEE_CHAIN: flag(true),
  APIFY_COMPANY_ACTOR_ID: z.string().default("harvestapi~linkedin-company"),
  APIFY_EMPLOYEES_ACTOR_ID: z.string().default("harvestapi~linkedin-company-employees"),
  APIFY_LINKEDIN_ACTOR_ID: z.string().default("dev_fusion~linkedin-profile-scraper"),
  APIFY_SEARCH_ACTOR_ID: optionalString,
  APIFY_DATASET_FORMAT: z.literal("json").default("json"),
  /** The run timeout sent to Apify; the sync endpoint itself still answers 408 after 300 s. */
  APIFY_SYNC_TIMEOUT_S: z.coerce.number().int().min(1).max(3600).default(600),
  /** e.g. "Full ($8 per 1k)"; unset leaves the actor's own default. */
  APIFY_EMPLOYEES_SCRAPER_MODE: optionalString,
  /** Actor runs per tenant per day; each run consumes one unit before it starts. */
  APIFY_DAILY_CAP: z.coerce.number().int().min(0).default(300),
  APIFY_DEBUG_LOG_ITEMS: flag(false),
  /** How long a company lookup waits for others of the same run to share its actor run; 0 runs each company alone. */
  APIFY_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Most companies in one shared actor run (the employees actor's own batch mode stops at 10). */
  APIFY_BATCH_MAX: z.coerce.number().int().min(1).max(50).default(10),
});

export const zeroBounceEnv = z.object({
  ZEROBOUNCE_BASE_URL: z.string().url().default("https://api.zerobounce.net/v2"),
  ZEROBOUNCE_API_KEY: optionalString,
});

export const lushaEnv = z.object({
  LUSHA_BASE_URL: z.string().url().default("https://api.lusha.com"),
  LUSHA_API_KEY: optionalString,
  ENABLE_LUSHA_FALLBACK: flag(false),
});

export const llmEnv = z.object({
  LLM_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  LLM_API_KEY: optionalString,
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  /** Requests per minute the account allows (gpt-4o-mini at tier 1: 500). */
  LLM_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(500),
});

export const DEFAULT_CONTACT_TITLES = [
  "Founder",
  "CEO",
  "Managing Director",
  "General Manager",
  "Director",
  "Head of Sales",
  "Head of Operations",
  "CTO",
  "CFO",
];

export const contactTitlesEnv = z.object({
  /** Comma-separated default contact titles; a tenant's ICP rules override them. */
  CONTACT_TITLES: z
    .string()
    .optional()
    .transform((v) => {
      const titles = (v ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      return titles.length ? titles : DEFAULT_CONTACT_TITLES;
    }),
});

export const vendorsEnv = tavilyEnv
  .extend(apifyEnv.shape)
  .extend(zeroBounceEnv.shape)
  .extend(lushaEnv.shape)
  .extend(llmEnv.shape)
  .extend(contactTitlesEnv.shape);

export type VendorsEnv = z.infer<typeof vendorsEnv>;

/** Plain client configs from the parsed env (undefined where no key is configured). */
export function vendorConfigs(env: VendorsEnv) {
  return {
    tavily: env.TAVILY_API_KEY ? { baseUrl: env.TAVILY_BASE_URL, apiKey: env.TAVILY_API_KEY, requestsPerMinute: env.TAVILY_REQUESTS_PER_MINUTE } : undefined,
    apify: env.APIFY_TOKEN
      ? {
          baseUrl: env.APIFY_BASE_URL,
          token: env.APIFY_TOKEN,
          syncTimeoutS: env.APIFY_SYNC_TIMEOUT_S,
          datasetFormat: env.APIFY_DATASET_FORMAT,
          actors: {
            company: env.APIFY_COMPANY_ACTOR_ID,
            employees: env.APIFY_EMPLOYEES_ACTOR_ID,
            profile: env.APIFY_LINKEDIN_ACTOR_ID,
            search: env.APIFY_SEARCH_ACTOR_ID,
          },
          employeesScraperMode: env.APIFY_EMPLOYEES_SCRAPER_MODE,
          batchWindowMs: env.APIFY_BATCH_WINDOW_MS,
          batchMax: env.APIFY_BATCH_MAX,
        }
      : undefined,
    apifyFlags: {
      enabled: env.ENABLE_APIFY_LINKEDIN,
      useChain: env.APIFY_USE_COMPANY_EMPLOYEE_CHAIN,
      debugLogItems: env.APIFY_DEBUG_LOG_ITEMS,
    },
    apifyDailyCap: env.APIFY_DAILY_CAP,
    zeroBounce: env.ZEROBOUNCE_API_KEY ? { baseUrl: env.ZEROBOUNCE_BASE_URL, apiKey: env.ZEROBOUNCE_API_KEY } : undefined,
    lusha: env.LUSHA_API_KEY ? { baseUrl: env.LUSHA_BASE_URL, apiKey: env.LUSHA_API_KEY } : undefined,
    lushaFallbackEnabled: env.ENABLE_LUSHA_FALLBACK,
    llm: env.LLM_API_KEY
      ? { baseUrl: env.LLM_BASE_URL, apiKey: env.LLM_API_KEY, model: env.LLM_MODEL, requestsPerMinute: env.LLM_REQUESTS_PER_MINUTE }
      : undefined,
    contactTitles: env.CONTACT_TITLES,
  };
}
