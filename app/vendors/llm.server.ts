import { z } from "zod";
import { BadResponse, QuotaExceeded, RateLimited, Unauthorized, Unavailable, VendorError } from "./errors.server";
import { parseBody, parseRetryAfter, vendorRequest, withQuery, type FetchLike } from "./http.server";
import { inProcessLimiters, PER_MINUTE_WINDOW, retryRateLimited, systemClock, vendorLimitKey, type CallLimiterFactory, type Clock } from "./rate-limit.server";

export type LlmConfig = {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
  /** OpenAI wants `max_completion_tokens`; some compatible servers only know `max_tokens`. */
  maxTokensField?: "max_completion_tokens" | "max_tokens";
  /** The account's requests-per-minute limit; calls wait for a free slot rather than be refused. */
  requestsPerMinute?: number;
  /**
   * Retries of a rate-limited call after the server's Retry-After (default 2,
   * as OpenAI's own clients do): our pacing cannot see requests delayed in
   * flight, nor the account's token-per-minute limit.
   */
  rateLimitRetries?: number;
  /** Where the requests-per-minute window is kept; by default in this process (workers share theirs through Postgres). */
  limiters?: CallLimiterFactory;
  clock?: Clock;
  fetch?: FetchLike;
};

export type LlmUsage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

const completionSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        message: z.object({ role: z.string(), content: z.string().nullish(), refusal: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).optional(),
});

const errorBody = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

const QUOTA_CODES = new Set([
  "insufficient_quota",
  "credit_balance_exhausted",
  "organization_spend_limit_exceeded",
  "project_spend_limit_exceeded",
  "organization_usage_limit_exceeded",
]);

type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema OpenAI's strict structured outputs accept: every object
 * closed and every property required, optional ones made nullable instead.
 */
export function toStrictJsonSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  delete raw.$schema;
  return strictify(raw);
}

function strictify(node: unknown): JsonSchema {
  if (!node || typeof node !== "object" || Array.isArray(node)) return node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node as JsonSchema)) {
    // zod's int bounds are ±MAX_SAFE_INTEGER, which strict mode neither needs nor always accepts.
    if ((k === "minimum" || k === "maximum") && Math.abs(Number(v)) >= Number.MAX_SAFE_INTEGER) continue;
    if (Array.isArray(v)) out[k] = v.map(strictify);
    else if (v && typeof v === "object") {
      out[k] =
        k === "properties" || k === "$defs" || k === "definitions" ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictify(s)])) : strictify(v);
    } else out[k] = v;
  }
  if (out.type === "object" && out.properties && typeof out.properties === "object") {
    const props = out.properties as Record<string, JsonSchema>;
    const required = new Set((out.required as string[] | undefined) ?? []);
    for (const key of Object.keys(props)) {
      if (!required.has(key)) props[key] = { anyOf: [props[key]!, { type: "null" }] };
    }
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

/** Nulls the model sent for properties that were optional in the zod schema become absent. */
function dropNullOptionals(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => dropNullOptionals(v, schema.items as JsonSchema | undefined));
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return value;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null && !required.has(k)) continue;
    out[k] = dropNullOptionals(v, props[k]);
  }
  return out;
}

export function createLlmClient(config: LlmConfig) {
  const maxField = config.maxTokensField ?? "max_completion_tokens";
  const clock = config.clock ?? systemClock;
  // Keeping under the account's requests-per-minute limit beats meeting its 429s
  // (refused requests count against the limit too); see PER_MINUTE_WINDOW for the slack.
  const limiters = config.limiters ?? inProcessLimiters(clock);
  const { windowMs, sendWithinMs } = PER_MINUTE_WINDOW;
  const limiter = config.requestsPerMinute ? limiters(vendorLimitKey("llm", config.apiKey), config.requestsPerMinute, windowMs, sendWithinMs) : undefined;

  const retries = config.rateLimitRetries ?? 2;

  function complete(body: Record<string, unknown>) {
    return retryRateLimited("llm", () => completeOnce(body), { retries, clock, limiter });
  }

  async function completeOnce(body: Record<string, unknown>) {
    const res = await vendorRequest("llm", withQuery(config.baseUrl, "/chat/completions", {}), {
      limiter,
      method: "POST",
      headers: { authorization: `Bearer ${config.apiKey}` },
      json: { model: config.model, ...body },
      timeoutMs: config.timeoutMs ?? 120_000,
      fetch: config.fetch,
    });
    if (res.status !== 200) throw llmError(res.status, res.body, res.headers);
    const parsed = parseBody("llm", completionSchema, res.body, "chat completion");
    const choice = parsed.choices[0]!;
    if (choice.message.refusal) throw new BadResponse("llm", `refused: ${choice.message.refusal}`, { code: "refusal" });
    if (choice.finish_reason === "length") throw new BadResponse("llm", "answer cut off at the token limit", { code: "length" });
    if (choice.finish_reason === "content_filter") throw new BadResponse("llm", "answer withheld by the content filter", { code: "content_filter" });
    const usage: LlmUsage = parsed.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    return { content: choice.message.content ?? "", usage, model: parsed.model ?? config.model };
  }

  return {
    model: config.model,

    /** A structured answer, validated against `schema`. */
    async llmJson<S extends z.ZodType>(req: {
      schema: S;
      name?: string;
      system: string;
      user: string;
      maxTokens: number;
      temperature?: number;
    }): Promise<{ value: z.infer<S>; usage: LlmUsage; model: string }> {
      const original = z.toJSONSchema(req.schema, { unrepresentable: "any" }) as JsonSchema;
      const answer = await complete({
        messages: [
          { role: "system", content: req.system },
          { role: "user", content: req.user },
        ],
        temperature: req.temperature ?? 0,
        [maxField]: req.maxTokens,
        response_format: {
          type: "json_schema",
          json_schema: { name: (req.name ?? "result").replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64), schema: toStrictJsonSchema(req.schema), strict: true },
        },
      });
      let json: unknown;
      try {
        json = JSON.parse(answer.content);
      } catch {
        throw new BadResponse("llm", "answer is not valid JSON", { code: "invalid_json" });
      }
      const checked = req.schema.safeParse(dropNullOptionals(json, original));
      if (!checked.success) {
        throw new BadResponse("llm", `answer does not match the schema: ${checked.error.message.slice(0, 300)}`, { code: "schema_mismatch" });
      }
      return { value: checked.data, usage: answer.usage, model: answer.model };
    },

    /** A short free-text answer (e.g. a score rationale). */
    async llmText(req: { system: string; user: string; maxTokens: number; temperature?: number }) {
      const answer = await complete({
        messages: [
          { role: "system", content: req.system },
          { role: "user", content: req.user },
        ],
        temperature: req.temperature ?? 0.2,
        [maxField]: req.maxTokens,
      });
      const text = answer.content.trim();
      if (!text) throw new BadResponse("llm", "empty answer", { code: "empty" });
      return { text, usage: answer.usage, model: answer.model };
    },
  };
}

export type LlmClient = ReturnType<typeof createLlmClient>;

function llmError(status: number, body: unknown, headers: Headers): VendorError {
  const parsed = errorBody.safeParse(body);
  const err = parsed.success ? parsed.data.error : undefined;
  const code = err?.code === undefined || err?.code === null ? (err?.type ?? undefined) : String(err.code);
  const message = err?.message ?? `HTTP ${status}`;
  const opts = { status, code };
  if (status === 401) return new Unauthorized("llm", message, opts);
  if (status === 429) {
    // Quota exhaustion also arrives as 429, but retrying it only burns requests.
    if (QUOTA_CODES.has(String(err?.code ?? "")) || err?.type === "insufficient_quota") {
      return new QuotaExceeded("llm", message, opts);
    }
    return new RateLimited("llm", message, { ...opts, retryAfterMs: parseRetryAfter(headers) });
  }
  if (status === 403) return new Unauthorized("llm", message, opts);
  if (status >= 500 || status === 408) return new Unavailable("llm", message, opts);
  return new VendorError("llm", message, opts);
}
