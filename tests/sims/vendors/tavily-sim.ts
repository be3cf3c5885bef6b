import { fnv1a32 } from "../../../app/utils/fnv-hash";
import { bearer, rollingWindow, startSim, type RunningSim, type SimOptions, type SimReply } from "./common";
import { createDefaultWorld } from "./default-world";
import { type VendorWorld, type WorldPage } from "./world";

export type TavilySimOptions = SimOptions & {
  world?: VendorWorld;
  apiKey?: string;
  /** Requests per minute per key (dev keys: 100, production keys: 1,000). */
  rpm?: number;
  /** /crawl has its own 100 RPM limit for every key type. */
  crawlRpm?: number;
  /** Plan credits left; past zero every call answers 432. */
  credits?: number;
};

const detail = (error: string) => ({ detail: { error } });

/** Tavily's /search, /extract, /crawl and /map over a world. */
export async function startTavilySimulator(options: TavilySimOptions = {}): Promise<RunningSim & { creditsUsed: () => number }> {
  const world = options.world ?? createDefaultWorld();
  const apiKey = options.apiKey ?? "tvly-dev-simulator";
  const now = options.now ?? Date.now;
  const general = rollingWindow(options.rpm ?? 1000, 60_000, now);
  const crawl = rollingWindow(options.crawlRpm ?? 100, 60_000, now);
  let creditsLeft = options.credits ?? Number.POSITIVE_INFINITY;
  let creditsUsed = 0;

  const sim = await startSim(
    options,
    (req): SimReply => {
      const started = now();
      if (req.method !== "POST") return { status: 405, body: detail("Method Not Allowed") };
      const key = bearer(req.headers);
      if (!key || key !== apiKey) return { status: 401, body: detail("Unauthorized: missing or invalid API key.") };
      const limiter = req.path === "/crawl" || req.path === "/map" ? crawl : general;
      if (!limiter.hit(key)) {
        sim.stats.limitBreaches += 1;
        return {
          status: 429,
          body: detail("Your request has been blocked due to excessive requests. Please reduce rate of requests."),
          headers: { "retry-after": String(limiter.retryAfterS(key)) },
        };
      }
      if (creditsLeft <= 0) {
        return { status: 432, body: detail("This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com") };
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const requestId = `sim-${fnv1a32(req.rawBody).toString(16)}`;
      const finish = (payload: Record<string, unknown>, credits: number, items: number): SimReply => {
        creditsLeft -= credits;
        creditsUsed += credits;
        const response_time = Number(((now() - started) / 1000 + 0.4).toFixed(2));
        const usage = body.include_usage ? { usage: { credits } } : {};
        return { status: 200, body: { ...payload, response_time, ...usage, request_id: requestId }, items };
      };

      switch (req.path) {
        case "/search": {
          if (typeof body.query !== "string" || !body.query.trim()) return { status: 400, body: detail("Query is missing.") };
          const max = Number(body.max_results ?? 5);
          if (!Number.isInteger(max) || max < 0 || max > 20) return { status: 400, body: detail("max_results must be between 0 and 20.") };
          const depth = String(body.search_depth ?? "basic");
          const hits = world.searchWeb(body.query, {
            maxResults: max,
            includeDomains: body.include_domains as string[] | undefined,
            excludeDomains: body.exclude_domains as string[] | undefined,
          });
          const withRaw = Boolean(body.include_raw_content);
          const results = hits.map((h) => ({
            title: h.title,
            url: h.url,
            content: h.content,
            score: Number(h.score.toFixed(4)),
            raw_content: withRaw ? (world.extractUrl(h.url)?.text ?? null) : null,
          }));
          // Tavily writes an answer only when asked (`include_answer`: true, "basic" or "advanced").
          const answer = body.include_answer ? summarize(results.map((r) => r.content)) : null;
          return finish({ query: body.query, follow_up_questions: null, answer, images: [], results }, depth === "advanced" ? 2 : 1, results.length);
        }
        case "/extract": {
          const urls = typeof body.urls === "string" ? [body.urls] : (body.urls as string[] | undefined);
          if (!Array.isArray(urls) || urls.length === 0) return { status: 400, body: detail("urls is required.") };
          if (urls.length > 20) return { status: 400, body: detail("Max 20 URLs are allowed.") };
          const results: Array<{ url: string; raw_content: string; images: string[] }> = [];
          const failed_results: Array<{ url: string; error: string }> = [];
          for (const url of urls) {
            const page = world.extractUrl(url);
            if (page) results.push({ url, raw_content: page.text, images: [] });
            else failed_results.push({ url, error: "Failed to fetch url" });
          }
          const perFive = body.extract_depth === "advanced" ? 2 : 1;
          return finish({ results, failed_results }, Math.ceil(results.length / 5) * perFive, results.length);
        }
        case "/crawl":
        case "/map": {
          if (typeof body.url !== "string") return { status: 400, body: detail("url is required.") };
          const pages = crawlWorld(world, body.url, {
            maxDepth: Number(body.max_depth ?? 1),
            maxBreadth: Number(body.max_breadth ?? 20),
            limit: Number(body.limit ?? 50),
            allowExternal: body.allow_external === true,
          });
          const mapCost = Math.ceil(pages.length / 10) * (body.instructions ? 2 : 1);
          if (req.path === "/map") return finish({ base_url: body.url, results: pages.map((p) => p.url) }, mapCost, pages.length);
          const extractCost = Math.ceil(pages.length / 5) * (body.extract_depth === "advanced" ? 2 : 1);
          return finish(
            { base_url: body.url, results: pages.map((p) => ({ url: p.url, raw_content: p.text, favicon: null })) },
            mapCost + extractCost,
            pages.length,
          );
        }
        default:
          return { status: 404, body: detail("Not Found") };
      }
    },
    (status) =>
      status === 429
        ? { status, body: detail("Your request has been blocked due to excessive requests. Please reduce rate of requests.") }
        : { status, body: detail("Internal Server Error") },
  );
  return { ...sim, creditsUsed: () => creditsUsed };
}

function crawlWorld(world: VendorWorld, start: string, opts: { maxDepth: number; maxBreadth: number; limit: number; allowExternal: boolean }): WorldPage[] {
  const host = (u: string) => {
    try {
      return new URL(u).hostname;
    } catch {
      return "";
    }
  };
  const root = host(start.startsWith("http") ? start : `https://${start}`);
  const seen = new Set<string>();
  const out: WorldPage[] = [];
  let frontier = [start.startsWith("http") ? start : `https://${start}`];
  for (let depth = 0; depth <= opts.maxDepth && frontier.length && out.length < opts.limit; depth++) {
    const next: string[] = [];
    for (const url of frontier) {
      const key = url.replace(/\/+$/, "");
      if (seen.has(key) || out.length >= opts.limit) continue;
      seen.add(key);
      const page = world.extractUrl(url);
      if (!page) continue;
      out.push(page);
      next.push(...(page.links ?? []).filter((l) => opts.allowExternal || host(l) === root).slice(0, opts.maxBreadth));
    }
    frontier = next;
  }
  return out;
}

/** The simulator's stand-in for Tavily's LLM answer: the top results' first sentences. */
function summarize(contents: string[]): string {
  const sentences = contents.map((c) => c.split(/(?<=[.!?])\s/)[0]?.trim()).filter(Boolean);
  return sentences.length ? sentences.slice(0, 2).join(" ") : "No answer could be found for this query.";
}
