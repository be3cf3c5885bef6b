import { fnv1a32 } from "../../../app/utils/fnv-hash";
import { seededRandom } from "../../../app/utils/seeded-random";
import { bearer, rollingWindow, startSim, type RunningSim, type ServiceTime, type SimOptions, type SimReply } from "./common";
import { createDefaultWorld } from "./default-world";
import { drawLatency, type Latency } from "./latency";
import { type VendorWorld } from "./world";

export type LlmSimOptions = SimOptions & {
  world?: VendorWorld;
  apiKey?: string;
  /** Requests per minute per key. */
  rpm?: number;
  /** Answer every request with 429 insufficient_quota. */
  quotaExhausted?: boolean;
  /** User prompts matching this are refused (message.refusal set). */
  refuseWhen?: RegExp;
  /** Reply with content that is not JSON even when a json_schema was asked for. */
  malformedJson?: boolean;
};

type Schema = Record<string, unknown>;
type Message = { role: string; content: string };

const openAiError = (status: number, message: string, type: string, code: string | null): SimReply => ({
  status,
  body: { error: { message, type, param: null, code } },
});

/** Rough token count (≈4 characters per token), as OpenAI's own rule of thumb. */
export function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * A model's service time: a base (queueing at the provider, time to first
 * token) plus prefill per prompt token plus generation per completion token,
 * read from the answer's own `usage`; errors take the base only.
 */
export function tokenLatency(model: { base: Latency; perPromptTokenMs: number; perCompletionTokenMs: number }): ServiceTime {
  return (_req, reply, random) => {
    const usage = (reply.body as { usage?: { prompt_tokens?: number; completion_tokens?: number } } | undefined)?.usage;
    const tokens = (usage?.prompt_tokens ?? 0) * model.perPromptTokenMs + (usage?.completion_tokens ?? 0) * model.perCompletionTokenMs;
    return drawLatency(model.base, random) + tokens;
  };
}

/** OpenAI-compatible /chat/completions that honours `response_format.json_schema`. */
export async function startLlmSimulator(options: LlmSimOptions = {}): Promise<RunningSim & { requests: Array<Record<string, unknown>> }> {
  const world = options.world ?? createDefaultWorld();
  const apiKey = options.apiKey ?? "sk-simulator";
  const now = options.now ?? Date.now;
  const limiter = rollingWindow(options.rpm ?? 500, 60_000, now);
  const requests: Array<Record<string, unknown>> = [];

  const sim = await startSim(
    options,
    (req): SimReply => {
      if (!req.path.endsWith("/chat/completions")) return openAiError(404, `Invalid URL (${req.method} ${req.path})`, "invalid_request_error", null);
      const key = bearer(req.headers);
      if (!key) return openAiError(401, "You didn't provide an API key.", "invalid_request_error", null);
      if (key !== apiKey)
        return openAiError(401, `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}.`, "invalid_request_error", "invalid_api_key");
      if (options.quotaExhausted) {
        return openAiError(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota");
      }
      if (!limiter.hit(key)) {
        sim.stats.limitBreaches += 1;
        const wait = limiter.retryAfterS(key);
        return {
          ...openAiError(
            429,
            `Rate limit reached for requests per min (RPM): Limit ${options.rpm ?? 500}. Please try again in ${wait}s.`,
            "requests",
            "rate_limit_exceeded",
          ),
          headers: {
            "retry-after": String(wait),
            "x-ratelimit-limit-requests": String(options.rpm ?? 500),
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": `${wait}s`,
          },
        };
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      requests.push(body);
      const messages = body.messages as Message[] | undefined;
      if (!body.model || !Array.isArray(messages) || messages.length === 0) {
        return openAiError(400, "'messages' and 'model' are required properties.", "invalid_request_error", null);
      }
      const system = messages
        .filter((m) => m.role === "system")
        .map((m) => m.content)
        .join("\n");
      const user = messages
        .filter((m) => m.role === "user")
        .map((m) => m.content)
        .join("\n");
      const promptTokens = messages.reduce((n, m) => n + approxTokens(m.content) + 4, 3);
      const maxTokens = Number(body.max_completion_tokens ?? body.max_tokens ?? 4096);
      const format = body.response_format as { type?: string; json_schema?: { name?: string; schema?: Schema; strict?: boolean } } | undefined;

      let content: string | null;
      let refusal: string | null = null;
      if (options.refuseWhen?.test(user)) {
        content = null;
        refusal = "I'm sorry, I can't help with that request.";
      } else if (format?.type === "json_schema" && format.json_schema?.schema) {
        const override = world.llmAnswer?.({ schemaName: format.json_schema.name, schema: format.json_schema.schema, system, user });
        const value = override ?? generateFromSchema(format.json_schema.schema, user, seededRandom(fnv1a32(system + user)));
        content = options.malformedJson ? `Here is the JSON: ${JSON.stringify(value)}` : JSON.stringify(value);
      } else {
        content = summarize(user);
      }
      let finish = "stop";
      let completionTokens = approxTokens(content ?? refusal ?? "");
      if (content && completionTokens > maxTokens) {
        content = content.slice(0, maxTokens * 4);
        completionTokens = maxTokens;
        finish = "length";
      }
      return {
        status: 200,
        items: 1,
        headers: { "x-request-id": `req_${fnv1a32(req.rawBody).toString(16)}` },
        body: {
          id: `chatcmpl-sim${fnv1a32(req.rawBody).toString(36)}`,
          object: "chat.completion",
          created: Math.floor(now() / 1000),
          model: String(body.model),
          choices: [{ index: 0, message: { role: "assistant", content, refusal, annotations: [] }, logprobs: null, finish_reason: finish }],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
            prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
          },
          service_tier: "default",
          system_fingerprint: "fp_simulator",
        },
      };
    },
    (status) =>
      status === 429
        ? openAiError(429, "Rate limit reached for requests per min (RPM). Please try again in 1s.", "requests", "rate_limit_exceeded")
        : openAiError(status, "The server had an error while processing your request. Sorry about that!", "server_error", null),
  );
  return { ...sim, requests };
}

/**
 * A free-text answer. A scoring prompt (bucket, strengths, gaps) gets the
 * one or two sentences it asks for, leading with the first strengths and
 * gaps; any other prompt gets its first full sentence back.
 */
export function summarize(user: string): string {
  const bucket = /^Bucket: (\w+)\./m.exec(user)?.[1];
  const strengths = listAfter(user, "Strengths, strongest first:");
  const gaps = listAfter(user, "Gaps, largest first:");
  if (bucket && (strengths.length || gaps.length)) {
    const lead = strengths.length ? `${bucket} fit: ${joinPhrases(strengths.slice(0, 3))}.` : `${bucket} fit, with no strong signal.`;
    return gaps.length ? `${capitalise(lead)} Held back by ${joinPhrases(gaps.slice(0, 2))}.` : capitalise(lead);
  }
  return (sentences(user)[0] ?? user.trim()).slice(0, 240);
}

function listAfter(text: string, label: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith(label));
  const items = line?.slice(label.length).trim().replace(/\.$/, "");
  return !items || items === "none" ? [] : items.split(/;\s*/).filter(Boolean);
}

function joinPhrases(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 6);
}

export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
export const PHONE = /\+65[\s-]?\d{4}[\s-]?\d{4}/g;

/** A headcount the text states ("45 engineers", "a team of 12"), if any. */
export function mentionedHeadcount(text: string): number | undefined {
  const n = text.match(/\b(\d{1,3}(?:,\d{3})*)\s*\+?\s*(?:employees|staff|people|engineers)/i)?.[1] ?? text.match(/team of (\d+)/i)?.[1];
  return n ? Number(n.replace(/,/g, "")) : undefined;
}
const URL_RE = /https?:\/\/[^\s)"'<>]+/g;

/**
 * A value that satisfies `schema`, built from the prompt: strings named like
 * emails, phones or URLs take the ones in the prompt, numbers named like
 * headcounts take a number the prompt mentions, other text is a sentence of
 * the prompt. The same prompt always yields the same value.
 */
export function generateFromSchema(schema: Schema, prompt: string, random: () => number, key = "", defs?: Schema): unknown {
  const $defs = defs ?? (schema.$defs as Schema | undefined);
  if (typeof schema.$ref === "string") {
    const target = $defs?.[schema.$ref.split("/").pop() ?? ""] as Schema | undefined;
    return target ? generateFromSchema(target, prompt, random, key, $defs) : null;
  }
  if (Array.isArray(schema.anyOf)) {
    const options = schema.anyOf as Schema[];
    const nonNull = options.filter((o) => o.type !== "null");
    const chosen = nonNull.length ? nonNull[0]! : options[0]!;
    return generateFromSchema(chosen, prompt, random, key, $defs);
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum as unknown[];
    const mentioned = values.find((v) => typeof v === "string" && prompt.toLowerCase().includes(v.toLowerCase()));
    return mentioned ?? values[Math.floor(random() * values.length)];
  }
  if ("const" in schema) return schema.const;
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== "null") : (schema.type as string | undefined);
  const name = key.toLowerCase();
  switch (type) {
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, generateFromSchema(s, prompt, random, k, $defs)]));
    }
    case "array": {
      const item = (schema.items ?? {}) as Schema;
      const min = Number(schema.minItems ?? 0);
      const max = Number(schema.maxItems ?? 5);
      const pool = /email/.test(name)
        ? unique(prompt.match(EMAIL))
        : /phone/.test(name)
          ? unique(prompt.match(PHONE))
          : /url|link/.test(name)
            ? unique(prompt.match(URL_RE))
            : undefined;
      if (pool && (item.type === "string" || !item.type)) return pool.slice(0, max);
      const count = Math.min(max, Math.max(min, 1 + Math.floor(random() * 3)));
      return Array.from({ length: count }, (_, i) => generateFromSchema(item, prompt, random, `${key}_${i}`, $defs));
    }
    case "integer":
    case "number": {
      const lo = Number(schema.minimum ?? 0);
      const hi = Number(schema.maximum ?? 1000);
      const mentioned = /headcount|employee|staff|size|count/.test(name) ? mentionedHeadcount(prompt) : undefined;
      const n = mentioned ?? lo + random() * (Math.min(hi, lo + 100) - lo);
      const clamped = Math.min(hi, Math.max(lo, n));
      return type === "integer" ? Math.round(clamped) : Number(clamped.toFixed(2));
    }
    case "boolean":
      return random() < 0.5;
    case "null":
      return null;
    default: {
      let text: string;
      if (/email/.test(name)) text = prompt.match(EMAIL)?.[0] ?? "";
      else if (/phone/.test(name)) text = prompt.match(PHONE)?.[0] ?? "";
      else if (/url|website|link/.test(name)) text = prompt.match(URL_RE)?.[0] ?? "";
      // A model asked for an industry answers with a label, never a sentence of the page.
      else if (/industry|sector/.test(name)) text = INDUSTRY_LABELS.find((label) => prompt.toLowerCase().includes(label)) ?? "";
      else {
        const all = sentences(prompt);
        text = all.length ? all[Math.floor(random() * Math.min(all.length, 5))]! : prompt.trim().slice(0, 80);
      }
      const maxLength = Number(schema.maxLength ?? 500);
      const minLength = Number(schema.minLength ?? 0);
      text = text.slice(0, maxLength);
      return text.length >= minLength ? text : text.padEnd(minLength, ".");
    }
  }
}

/** Industry labels the simulated model may answer with, when the prompt mentions one. */
const INDUSTRY_LABELS = [
  "software",
  "logistics",
  "construction",
  "manufacturing",
  "food and beverage",
  "healthcare",
  "education",
  "fitness",
  "retail",
  "real estate",
  "marketing",
  "consulting",
  "finance",
];

function unique(values: RegExpMatchArray | null): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()))];
}
