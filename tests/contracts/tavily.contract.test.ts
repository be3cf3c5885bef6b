import { describe, expect, it } from "vitest";
import { Unauthorized } from "~/vendors/errors.server";
import { createTavilyClient } from "~/vendors/tavily.server";
import { startTavilySimulator } from "../sims/vendors/tavily-sim";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * Tavily's documented exchanges:
 * - search: https://docs.tavily.com/api-reference/endpoint/search (request and response examples)
 * - extract: https://docs.tavily.com/documentation/api-reference/endpoint/extract and the SDK example at
 *   https://docs.tavily.com/docs/python-sdk/tavily-extract/examples
 * - errors: `{"detail":{"error":…}}`, read by the official SDK in
 *   https://github.com/tavily-ai/tavily-python/blob/master/tavily/tavily.py
 */
const search = loadExchange("tavily", "search");
const extract = loadExchange("tavily", "extract");
const unauthorized = loadExchange("tavily", "error-unauthorized");

/** Every request field Tavily's search reference lists; anything else would be ignored or refused. */
const SEARCH_FIELDS = new Set([
  "query",
  "auto_parameters",
  "topic",
  "search_depth",
  "chunks_per_source",
  "max_results",
  "time_range",
  "start_date",
  "end_date",
  "days",
  "include_answer",
  "include_raw_content",
  "include_images",
  "include_image_descriptions",
  "include_favicon",
  "include_domains",
  "exclude_domains",
  "country",
  "include_usage",
  "exact_match",
]);
const EXTRACT_FIELDS = new Set([
  "urls",
  "query",
  "chunks_per_source",
  "extract_depth",
  "include_images",
  "include_favicon",
  "format",
  "timeout",
  "include_usage",
]);

const closeAfterTest = closedAfterEach();

async function clientAgainstDocs(status: number, body: unknown) {
  const server = closeAfterTest(await startRecordingServer(() => ({ status, body })));
  return { server, client: createTavilyClient({ baseUrl: server.url, apiKey: "tvly-YOUR_API_KEY" }) };
}

describe("Tavily client against Tavily's documented examples", () => {
  it("sends the documented search request and reads the documented answer", async () => {
    const { server, client } = await clientAgainstDocs(search.response.status, search.response.body);
    const doc = search.request.body as Record<string, unknown>;
    const result = await client.search({ query: String(doc.query), maxResults: Number(doc.max_results) });

    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: "POST", path: search.request.path, query: {} });
    expect(sent!.headers.authorization).toBe(search.request.headers!.authorization);
    expect(sent!.headers["content-type"]).toBe("application/json");
    const body = sent!.body as Record<string, unknown>;
    expect(Object.keys(body).filter((k) => !SEARCH_FIELDS.has(k))).toEqual([]);
    expect(body).toMatchObject({ query: doc.query, topic: doc.topic, search_depth: doc.search_depth, max_results: doc.max_results });

    const answer = search.response.body as { results: Array<Record<string, unknown>> };
    expect(result.response_time).toBe(1.67);
    expect(result.results).toEqual([
      { title: answer.results[0]!.title, url: answer.results[0]!.url, content: answer.results[0]!.content, score: 0.81025416, raw_content: null },
    ]);
    // No `usage` in the example: the credits come from Tavily's price table (basic search = 1).
    expect(result.credits).toBe(1);
  });

  it("sends the documented extract request and reads the documented answer", async () => {
    const { server, client } = await clientAgainstDocs(extract.response.status, extract.response.body);
    const doc = extract.request.body as Record<string, unknown>;
    const result = await client.extract({ urls: [String(doc.urls)], extractDepth: "basic" });

    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(server.requests[0]).toMatchObject({ method: "POST", path: extract.request.path });
    expect(Object.keys(body).filter((k) => !EXTRACT_FIELDS.has(k))).toEqual([]);
    expect(body).toMatchObject({ urls: [doc.urls], extract_depth: doc.extract_depth });

    expect(result.results.map((r) => r.url)).toEqual([doc.urls]);
    expect(result.results[0]!.raw_content).toContain("Artificial intelligence (AI)");
    expect(result.failed_results).toEqual([]);
    expect(result.request_id).toBe("123e4567-e89b-12d3-a456-426614174111");
  });

  it("turns the documented error body into Unauthorized with Tavily's message", async () => {
    const { client } = await clientAgainstDocs(unauthorized.response.status, unauthorized.response.body);
    await expect(client.search({ query: "who is Leo Messi?" })).rejects.toSatisfy(
      (e) => e instanceof Unauthorized && e.status === 401 && e.message === "tavily: Unauthorized: missing or invalid API key.",
    );
  });
});

describe("Tavily simulator against Tavily's documented examples", () => {
  async function post(path: string, body: unknown, key = "tvly-dev-simulator") {
    const sim = await startTavilySimulator();
    closeAfterTest(sim);
    const res = await fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it("accepts the documented search request and answers in the documented shape", async () => {
    // The example's parameters, about a company the simulated web knows.
    const res = await post("/search", { ...(search.request.body as object), query: "Lion City Robotics warehouse robots" });
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, search.response.body)).toEqual([]);
  });

  it("accepts the documented extract request (`urls` as one string) and answers in the documented shape", async () => {
    const res = await post("/extract", { ...(extract.request.body as object), urls: "https://www.lioncityrobotics.sg/about" });
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, extract.response.body)).toEqual([]);
  });

  it("refuses a wrong key with the documented error body", async () => {
    const res = await post("/search", unauthorized.request.body, "tvly-wrong");
    expect(res.status).toBe(unauthorized.response.status);
    expect(shapeMismatches(res.body, unauthorized.response.body)).toEqual([]);
  });
});
