import { z } from "zod";
import { QuotaExceeded, RateLimited, Unauthorized, Unavailable, VendorError } from "./errors.server";
import { parseBody, parseRetryAfter, vendorRequest, withQuery, type FetchLike } from "./http.server";
import { inProcessLimiters, PER_MINUTE_WINDOW, retryRateLimited, systemClock, vendorLimitKey, type CallLimiterFactory, type Clock } from "./rate-limit.server";

export type TavilyConfig = {
  baseUrl: string;
  apiKey: string;
  projectId?: string;
  /** Client-side deadlines; the defaults are the Python SDK's. */
  timeouts?: { searchMs?: number; extractMs?: number; crawlMs?: number };
  /** Requests per minute the key allows: 1,000 for a production key, 100 for a development one. */
  requestsPerMinute?: number;
  /** `/crawl` has a limit of its own, 100 a minute for every key type. */
  crawlRequestsPerMinute?: number;
  /** Worker processes pass the Postgres-backed windows so that all of them keep the key's limit together. */
  limiters?: CallLimiterFactory;
  /** Times a 429 is waited out and sent again (default 2). */
  rateLimitRetries?: number;
  clock?: Clock;
  fetch?: FetchLike;
};

export type TavilySearchParams = {
  query: string;
  searchDepth?: "basic" | "advanced" | "fast" | "ultra-fast";
  topic?: "general" | "news" | "finance";
  maxResults?: number;
  includeDomains?: string[];
  excludeDomains?: string[];
  includeRawContent?: false | "markdown" | "text";
  timeRange?: "day" | "week" | "month" | "year";
  country?: string;
};

export type TavilyExtractParams = {
  urls: string[];
  extractDepth?: "basic" | "advanced";
  format?: "markdown" | "text";
  query?: string;
  /** Server-side per-request timeout, 1–60 s. */
  timeoutS?: number;
};

export type TavilyCrawlParams = {
  url: string;
  maxDepth?: number;
  maxBreadth?: number;
  limit?: number;
  instructions?: string;
  selectPaths?: string[];
  excludePaths?: string[];
  allowExternal?: boolean;
  extractDepth?: "basic" | "advanced";
  format?: "markdown" | "text";
  timeoutS?: number;
};

/** What every answer ends with: its timing, the credits it cost (when asked for) and its id. */
const answerMeta = {
  response_time: z.coerce.number(),
  usage: z.object({ credits: z.number() }).partial().optional(),
  request_id: z.string().optional(),
};

/** Extract and crawl both answer with pages of raw content. */
const pageResults = z.array(
  z.object({
    url: z.string(),
    raw_content: z
      .string()
      .nullish()
      .transform((v) => v ?? ""),
  }),
);

const searchResponse = z.object({
  query: z.string(),
  answer: z.string().nullish(),
  results: z.array(
    z.object({
      title: z
        .string()
        .nullish()
        .transform((v) => v ?? ""),
      url: z.string(),
      content: z
        .string()
        .nullish()
        .transform((v) => v ?? ""),
      score: z.number(),
      raw_content: z.string().nullish(),
      published_date: z.string().nullish(),
      favicon: z.string().nullish(),
    }),
  ),
  ...answerMeta,
});

const extractResponse = z.object({
  results: pageResults,
  failed_results: z.array(z.object({ url: z.string(), error: z.string().nullish() })).default([]),
  ...answerMeta,
});

const crawlResponse = z.object({ base_url: z.string(), results: pageResults, ...answerMeta });

const errorBody = z.object({ detail: z.object({ error: z.string() }) });

export type TavilySearchResult = Omit<z.infer<typeof searchResponse>, "usage"> & { credits: number };
export type TavilyExtractResult = Omit<z.infer<typeof extractResponse>, "usage"> & { credits: number };
export type TavilyCrawlResult = Omit<z.infer<typeof crawlResponse>, "usage"> & { credits: number };

/** Credits per Tavily's published table, used when the response carries no `usage`. */
export function estimateTavilyCredits(
  call: "search" | "extract" | "crawl",
  opts: { depth?: string; successfulUrls?: number; pages?: number; instructions?: boolean },
): number {
  const advanced = opts.depth === "advanced";
  if (call === "search") return advanced ? 2 : 1;
  const extract = Math.ceil((opts.successfulUrls ?? 0) / 5) * (advanced ? 2 : 1);
  if (call === "extract") return extract;
  const map = Math.ceil((opts.pages ?? 0) / 10) * (opts.instructions ? 2 : 1);
  return map + Math.ceil((opts.pages ?? 0) / 5) * (advanced ? 2 : 1);
}

const CRAWL_REQUESTS_PER_MINUTE = 100;

/**
 * Tavily's window as our limiter keeps it: six seconds wider than its minute,
 * where the LLM's is three (PER_MINUTE_WINDOW). A run's companies reach
 * their fallback searches in bursts, a key's whole minute within seconds, so
 * the window's slack is all that separates one burst from the next: in a
 * 5,000-company run on three workers sharing two cores, a burst reached the
 * simulator 4 s after its grants and 43 requests of the next one were
 * refused. Tavily does not bind a run (its key allows 1,000 a minute), so the
 * wider window costs nothing there.
 */
export const TAVILY_WINDOW = { windowMs: 66_000, sendWithinMs: PER_MINUTE_WINDOW.sendWithinMs } as const;

export function createTavilyClient(config: TavilyConfig) {
  const timeouts = { searchMs: 60_000, extractMs: 30_000, crawlMs: 150_000, ...config.timeouts };
  const clock = config.clock ?? systemClock;
  // As the LLM's: refused requests count against the limit too, so calls wait for a slot of a window a little wider
  // than Tavily's minute (TAVILY_WINDOW). A run of thousands of companies would otherwise send its searches
  // faster than the key allows and lose every refused one.
  const limiters = config.limiters ?? inProcessLimiters(clock);
  const { windowMs, sendWithinMs } = TAVILY_WINDOW;
  const limiter = config.requestsPerMinute ? limiters(vendorLimitKey("tavily", config.apiKey), config.requestsPerMinute, windowMs, sendWithinMs) : undefined;
  const crawlRpm = config.crawlRequestsPerMinute ?? CRAWL_REQUESTS_PER_MINUTE;
  const crawlLimiter = limiters(vendorLimitKey("tavily-crawl", config.apiKey), crawlRpm, windowMs, sendWithinMs);
  const retries = config.rateLimitRetries ?? 2;

  /**
   * One call: the options the caller set (absent ones are omitted rather than
   * sent as null, like the SDK), usage always asked for; the answer parsed,
   * with its credits as Tavily counted them or, without `usage`, as its
   * published table prices the call.
   */
  async function call<Answer extends { usage?: { credits?: number } }>(
    endpoint: "search" | "extract" | "crawl",
    schema: z.ZodType<Answer>,
    options: Record<string, unknown>,
    timeoutMs: number,
    estimateCredits: (answer: Omit<Answer, "usage">) => number,
  ): Promise<Omit<Answer, "usage"> & { credits: number }> {
    const headers: Record<string, string> = { authorization: `Bearer ${config.apiKey}` };
    if (config.projectId) headers["x-project-id"] = config.projectId;
    const json = Object.fromEntries(Object.entries({ ...options, include_usage: true }).filter(([, v]) => v !== undefined));
    const endpointLimiter = endpoint === "crawl" ? crawlLimiter : limiter;
    const res = await retryRateLimited(
      "tavily",
      async () => {
        const sent = await vendorRequest("tavily", withQuery(config.baseUrl, `/${endpoint}`, {}), {
          limiter: endpointLimiter,
          method: "POST",
          headers,
          json,
          timeoutMs,
          fetch: config.fetch,
        });
        if (sent.status < 200 || sent.status >= 300) throw tavilyError(sent.status, sent.body, sent.headers);
        return sent;
      },
      { retries, clock, limiter: endpointLimiter },
    );
    const { usage, ...answer } = parseBody("tavily", schema, res.body, endpoint);
    return { ...answer, credits: usage?.credits ?? estimateCredits(answer) };
  }

  return {
    search(params: TavilySearchParams): Promise<TavilySearchResult> {
      return call(
        "search",
        searchResponse,
        {
          query: params.query.slice(0, 400),
          search_depth: params.searchDepth ?? "basic",
          topic: params.topic ?? "general",
          max_results: params.maxResults ?? 5,
          include_domains: params.includeDomains,
          exclude_domains: params.excludeDomains,
          include_raw_content: params.includeRawContent || undefined,
          time_range: params.timeRange,
          country: params.country,
        },
        timeouts.searchMs,
        () => estimateTavilyCredits("search", { depth: params.searchDepth }),
      );
    },

    extract(params: TavilyExtractParams): Promise<TavilyExtractResult> {
      const depth = params.extractDepth ?? "basic";
      return call(
        "extract",
        extractResponse,
        {
          urls: params.urls.slice(0, 20),
          extract_depth: depth,
          format: params.format ?? "markdown",
          query: params.query,
          timeout: params.timeoutS,
        },
        params.timeoutS ? Math.max(timeouts.extractMs, params.timeoutS * 1000 + 5_000) : timeouts.extractMs,
        (answer) => estimateTavilyCredits("extract", { depth, successfulUrls: answer.results.length }),
      );
    },

    crawl(params: TavilyCrawlParams): Promise<TavilyCrawlResult> {
      const depth = params.extractDepth ?? "basic";
      const timeoutS = params.timeoutS ?? timeouts.crawlMs / 1000;
      return call(
        "crawl",
        crawlResponse,
        {
          url: params.url,
          max_depth: params.maxDepth ?? 1,
          max_breadth: params.maxBreadth ?? 20,
          limit: params.limit ?? 50,
          instructions: params.instructions,
          select_paths: params.selectPaths,
          exclude_paths: params.excludePaths,
          // The two published defaults disagree, so it is always explicit.
          allow_external: params.allowExternal ?? false,
          extract_depth: depth,
          format: params.format ?? "markdown",
          timeout: timeoutS,
        },
        timeoutS * 1000 + 5_000,
        (answer) => estimateTavilyCredits("crawl", { depth, pages: answer.results.length, instructions: Boolean(params.instructions) }),
      );
    },
  };
}

export type TavilyClient = ReturnType<typeof createTavilyClient>;

function tavilyError(status: number, body: unknown, headers: Headers): VendorError {
  const parsed = errorBody.safeParse(body);
  const message = parsed.success ? parsed.data.detail.error : `HTTP ${status}`;
  const opts = { status, code: String(status) };
  if (status === 401 || status === 403) return new Unauthorized("tavily", message, opts);
  if (status === 429) return new RateLimited("tavily", message, { ...opts, retryAfterMs: parseRetryAfter(headers) });
  if (status === 432 || status === 433) return new QuotaExceeded("tavily", message, opts);
  if (status >= 500) return new Unavailable("tavily", message, opts);
  return new VendorError("tavily", message, opts);
}
