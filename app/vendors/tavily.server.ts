import { z } from "zod";
import { QuotaExceeded, RateLimited, Unauthorized, Unavailable, VendorError } from "./errors.server";
import { parseBody, parseRetryAfter, vendorRequest, withQuery, type FetchLike } from "./http.server";

export type TavilyConfig = {
  baseUrl: string;
  apiKey: string;
  projectId?: string;
  /** Client-side deadlines; the defaults are the Python SDK's. */
  timeouts?: { searchMs?: number; extractMs?: number; crawlMs?: number };
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

const usageSchema = z.object({ credits: z.number() }).partial().optional();

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
  response_time: z.coerce.number(),
  usage: usageSchema,
  request_id: z.string().optional(),
});

const extractResponse = z.object({
  results: z.array(
    z.object({
      url: z.string(),
      raw_content: z
        .string()
        .nullish()
        .transform((v) => v ?? ""),
    }),
  ),
  failed_results: z.array(z.object({ url: z.string(), error: z.string().nullish() })).default([]),
  response_time: z.coerce.number(),
  usage: usageSchema,
  request_id: z.string().optional(),
});

const crawlResponse = z.object({
  base_url: z.string(),
  results: z.array(
    z.object({
      url: z.string(),
      raw_content: z
        .string()
        .nullish()
        .transform((v) => v ?? ""),
    }),
  ),
  response_time: z.coerce.number(),
  usage: usageSchema,
  request_id: z.string().optional(),
});

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

export function createTavilyClient(config: TavilyConfig) {
  const timeouts = { searchMs: 60_000, extractMs: 30_000, crawlMs: 150_000, ...config.timeouts };

  async function post(path: string, body: Record<string, unknown>, timeoutMs: number) {
    const headers: Record<string, string> = { authorization: `Bearer ${config.apiKey}` };
    if (config.projectId) headers["x-project-id"] = config.projectId;
    // Like the SDK: absent options are omitted rather than sent as null.
    const json = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const res = await vendorRequest("tavily", withQuery(config.baseUrl, path, {}), {
      method: "POST",
      headers,
      json,
      timeoutMs,
      fetch: config.fetch,
    });
    if (res.status >= 200 && res.status < 300) return res.body;
    throw tavilyError(res.status, res.body, res.headers);
  }

  return {
    async search(params: TavilySearchParams): Promise<TavilySearchResult> {
      const body = await post(
        "/search",
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
          include_usage: true,
        },
        timeouts.searchMs,
      );
      const parsed = parseBody("tavily", searchResponse, body, "search");
      const { usage, ...rest } = parsed;
      return { ...rest, credits: usage?.credits ?? estimateTavilyCredits("search", { depth: params.searchDepth }) };
    },

    async extract(params: TavilyExtractParams): Promise<TavilyExtractResult> {
      const depth = params.extractDepth ?? "basic";
      const body = await post(
        "/extract",
        {
          urls: params.urls.slice(0, 20),
          extract_depth: depth,
          format: params.format ?? "markdown",
          query: params.query,
          timeout: params.timeoutS,
          include_usage: true,
        },
        params.timeoutS ? Math.max(timeouts.extractMs, params.timeoutS * 1000 + 5_000) : timeouts.extractMs,
      );
      const parsed = parseBody("tavily", extractResponse, body, "extract");
      const { usage, ...rest } = parsed;
      const credits = usage?.credits ?? estimateTavilyCredits("extract", { depth, successfulUrls: rest.results.length });
      return { ...rest, credits };
    },

    async crawl(params: TavilyCrawlParams): Promise<TavilyCrawlResult> {
      const depth = params.extractDepth ?? "basic";
      const timeoutS = params.timeoutS ?? timeouts.crawlMs / 1000;
      const body = await post(
        "/crawl",
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
          include_usage: true,
        },
        timeoutS * 1000 + 5_000,
      );
      const parsed = parseBody("tavily", crawlResponse, body, "crawl");
      const { usage, ...rest } = parsed;
      const credits = usage?.credits ?? estimateTavilyCredits("crawl", { depth, pages: rest.results.length, instructions: Boolean(params.instructions) });
      return { ...rest, credits };
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
