import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/logger.server";
import { BUCKETS } from "~/scoring/score";
import { estimatePromptTokens, withTokenBudget } from "~/scoring/token-budget.server";
import { singleton } from "~/singleton.server";
import { vendorConfigs } from "~/vendors/config.server";
import { VendorError } from "~/vendors/errors.server";
import { createLlmClient, type LlmClient } from "~/vendors/llm.server";
import { sharedCallLimiters } from "~/vendors/shared-limits.server";
import { ChatCommandSchema, MAX_SHORTLIST_SIZE, type ChatCommand } from "./commands";

/**
 * Free-form questions, when a language model is configured: the model picks
 * one "tool" from a closed schema whose variants mirror the chat commands;
 * its pick is validated again with the command schema, so the model can
 * never do anything the typed commands cannot, and role checks still apply
 * afterwards. Without a key, or on any vendor error, the rule-based answer
 * stands.
 */
const LlmToolCallSchema = z.object({
  tool: z.union([
    z.object({
      kind: z.literal("update_icp"),
      industries: z.array(z.string()).nullish().describe("industry words to target, e.g. software, logistics, F&B"),
      excluded_industries: z.array(z.string()).nullish(),
      employees_min: z.number().int().nullish(),
      employees_max: z.number().int().nullish(),
      daily_cap: z.number().int().nullish(),
      nightly: z.enum(["on", "off", "unchanged"]),
      nightly_hour_sgt: z.number().int().nullish(),
      refresh: z.boolean(),
    }),
    z.object({
      kind: z.literal("shortlist"),
      limit: z.number().int(),
      bucket: z.enum(BUCKETS).nullish(),
      date: z.string().nullish().describe("YYYY-MM-DD; null for today"),
    }),
    z.object({ kind: z.literal("explain"), company: z.string(), bucket: z.enum(BUCKETS).nullish() }),
    z.object({ kind: z.literal("re_enrich"), company: z.string(), include_careers: z.boolean(), force_recrawl: z.boolean() }),
    z.object({ kind: z.literal("start_run") }),
    z.object({ kind: z.literal("show_icp") }),
    z.object({ kind: z.literal("help") }),
    z.object({ kind: z.literal("answer"), text: z.string().describe("a short answer about using this product; never invent data") }),
    z.object({ kind: z.literal("unsupported") }),
  ]),
});
type LlmToolCall = z.infer<typeof LlmToolCallSchema>["tool"];

export type LlmRouting = { kind: "command"; command: ChatCommand } | { kind: "answer"; text: string } | { kind: "none" };

const SYSTEM = `You route messages in a B2B sales-intelligence workspace (Singapore companies, scored High/Medium/Low) to exactly one tool.
Tools: update_icp (change the ideal customer profile: industries, employee range, daily cap, nightly schedule), shortlist (ranked companies; limit 1-${MAX_SHORTLIST_SIZE}, default 50),
explain (why a company got its score), re_enrich (enrich one company again), start_run (start a full run now), show_icp, help,
answer (only for questions about how to use the product, at most three sentences, never invent companies, scores or numbers), unsupported (anything else).
Use the company name exactly as the user wrote it.`;

/** The model's pick as a chat command, checked by the same schema as everything else. */
export function commandFromToolCall(call: LlmToolCall): LlmRouting {
  let candidate: unknown;
  switch (call.kind) {
    case "answer":
      return call.text.trim() ? { kind: "answer", text: call.text.trim().slice(0, 800) } : { kind: "none" };
    case "unsupported":
      return { kind: "none" };
    case "update_icp": {
      const employees = {
        ...(call.employees_min != null ? { min: call.employees_min } : {}),
        ...(call.employees_max != null ? { max: call.employees_max } : {}),
      };
      candidate = {
        kind: "update_icp",
        change: {
          ...(call.industries?.length ? { industries: call.industries } : {}),
          ...(call.excluded_industries?.length ? { excludedIndustries: call.excluded_industries } : {}),
          ...(Object.keys(employees).length ? { employees } : {}),
          ...(call.daily_cap != null ? { dailyCap: call.daily_cap } : {}),
        },
        schedule:
          call.nightly === "unchanged"
            ? null
            : { enabled: call.nightly === "on", ...(call.nightly_hour_sgt != null ? { hourSgt: call.nightly_hour_sgt } : {}) },
        refresh: call.refresh,
      };
      break;
    }
    case "shortlist":
      candidate = { kind: "shortlist", limit: call.limit, ...(call.bucket ? { bucket: call.bucket } : {}), ...(call.date ? { date: call.date } : {}) };
      break;
    case "explain":
      candidate = { kind: "explain", company: call.company, ...(call.bucket ? { bucket: call.bucket } : {}) };
      break;
    case "re_enrich":
      candidate = { kind: "re_enrich", company: call.company, includeCareers: call.include_careers, forceRecrawl: call.force_recrawl };
      break;
    default:
      candidate = call;
  }
  const parsed = ChatCommandSchema.safeParse(candidate);
  if (!parsed.success) {
    log().info({ tool: call.kind, problems: parsed.error.issues.map((i) => i.message) }, "the model's tool call did not validate");
    return { kind: "none" };
  }
  return { kind: "command", command: parsed.data as ChatCommand };
}

/** A model's routing costs about this many tokens; below it the daily budget says no. */
const MIN_BUDGET_TOKENS = 1500;

export async function routeWithLlm(llm: LlmClient, tenantId: string, text: string, options: { today: string }): Promise<LlmRouting> {
  const system = `${SYSTEM}\nToday is ${options.today} (Singapore).`;
  // The tenant's daily token budget is a hard cap: the call's tokens are reserved first.
  const reserve = Math.max(MIN_BUDGET_TOKENS, estimatePromptTokens([system, text]) + 300);
  try {
    const budgeted = await withTokenBudget(db, tenantId, reserve, () =>
      llm.llmJson({ schema: LlmToolCallSchema, name: "chat_tool_call", system, user: text, maxTokens: 300 }),
    );
    if (budgeted.status === "over_budget") return { kind: "none" };
    return commandFromToolCall(budgeted.value.value.tool);
  } catch (error) {
    if (error instanceof VendorError) {
      log().warn({ vendor: "llm", reason: error.message }, "chat fell back to the rule-based answer");
      return { kind: "none" };
    }
    throw error;
  }
}

/** The configured model for chat, or null when LLM_API_KEY is not set. */
export function chatLlm(): LlmClient | null {
  return singleton("chat-llm", () => {
    const config = vendorConfigs(env()).llm;
    // The same key as the workers': its requests count against the one shared window.
    return config ? createLlmClient({ ...config, timeoutMs: 20_000, limiters: sharedCallLimiters() }) : null;
  });
}
