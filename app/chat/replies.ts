import { z } from "zod";

/**
 * What an assistant message carries besides its text: a typed reply that
 * the thread renders as a table, a card or live run progress. Stored as JSON
 * in chat_messages.payload and parsed again on the way out, so a reply saved
 * by an older version renders as text instead of breaking the page.
 */
const bucket = z.enum(["High", "Medium", "Low"]);

const change = z.object({
  path: z.string(),
  kind: z.enum(["added", "removed", "changed"]),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  addedItems: z.array(z.unknown()).optional(),
  removedItems: z.array(z.unknown()).optional(),
});

const breakdownItem = z.object({
  feature: z.string(),
  signal: z.string().optional(),
  reason: z.string().optional(),
  weight: z.number().optional(),
  points: z.number().optional(),
});

export const ReplySchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("help"),
    canOperate: z.boolean(),
    examples: z.array(z.object({ command: z.string(), description: z.string(), operatorOnly: z.boolean() })),
  }),
  z.object({ type: z.literal("not_understood"), message: z.string(), suggestions: z.array(z.string()) }),
  z.object({ type: z.literal("refusal"), message: z.string() }),
  z.object({ type: z.literal("error"), message: z.string() }),
  z.object({ type: z.literal("answer"), message: z.string(), source: z.literal("llm") }),
  z.object({
    type: z.literal("icp_change"),
    changed: z.boolean(),
    version: z.number().int().nullable(),
    changes: z.array(change),
    candidatesBefore: z.number().int(),
    candidatesPreview: z.number().int(),
    fallbackCount: z.number().int().optional(),
    refreshQueued: z.boolean(),
    /** When the change was asked for: the refresh it queued starts after this. */
    requestedAt: z.string(),
  }),
  z.object({
    type: z.literal("icp_summary"),
    version: z.number().int().nullable(),
    lines: z.array(z.object({ label: z.string(), value: z.string() })),
    candidates: z.number().int(),
  }),
  z.object({
    type: z.literal("shortlist"),
    date: z.string().nullable(),
    requestedDate: z.string(),
    limit: z.number().int(),
    bucket: bucket.optional(),
    total: z.number().int(),
    masked: z.boolean(),
    rows: z.array(
      z.object({
        rank: z.number().int(),
        uen: z.string(),
        name: z.string(),
        bucket,
        score: z.number(),
        domain: z.string().nullable(),
        contact: z.object({ name: z.string(), email: z.string().nullable(), title: z.string().nullable() }).nullable(),
      }),
    ),
  }),
  z.object({
    type: z.literal("explain"),
    uen: z.string(),
    name: z.string(),
    bucket,
    score: z.number(),
    askedBucket: bucket.optional(),
    runDate: z.string(),
    domain: z.string().nullable(),
    breakdown: z.array(breakdownItem),
    rationale: z.string(),
    rationaleSource: z.string(),
  }),
  z.object({
    type: z.literal("company_choices"),
    message: z.string(),
    options: z.array(z.object({ uen: z.string(), name: z.string(), command: z.string() })),
  }),
  z.object({
    type: z.literal("run"),
    runId: z.string(),
    kind: z.enum(["nightly", "manual", "re_enrich"]),
    company: z.object({ uen: z.string(), name: z.string() }).nullable(),
    includeCareers: z.boolean(),
    forceRecrawl: z.boolean(),
    previous: z.object({ score: z.number(), bucket }).nullable(),
    alreadyActive: z.boolean(),
  }),
]);

export type Reply = z.infer<typeof ReplySchema>;
export type ReplyType = Reply["type"];
export type ShortlistReply = Extract<Reply, { type: "shortlist" }>;
export type ExplainReply = Extract<Reply, { type: "explain" }>;
export type RunReply = Extract<Reply, { type: "run" }>;
export type IcpChangeReply = Extract<Reply, { type: "icp_change" }>;

export function parseReply(payload: unknown): Reply | null {
  const parsed = ReplySchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** What the page adds to a run card at read time: where the run is now, and its result once done. */
export type RunLive = {
  status: string;
  degraded: boolean;
  target: number;
  settled: number;
  finishedAt: string | null;
  /** One-company runs: the new score. */
  result: { score: number; bucket: "High" | "Medium" | "Low" } | null;
  /** Whole runs: how many companies landed in each bucket. */
  buckets: Record<string, number>;
};

/** What the page adds to an ICP change card: the candidate refresh it queued, once it ran. */
export type IcpRefreshLive = {
  status: "pending" | "ok" | "degraded" | "failed";
  candidateCount: number | null;
  degradedReason: string | null;
};

export const THREAD_TITLE_MAX = 120;
export const MESSAGE_MAX = 2000;

// Postgres text cannot hold NUL: refused here with a reason rather than failing the insert.
const withoutNul = (text: string) => !text.includes("\u0000");

export const MessageText = z
  .string()
  .trim()
  .min(1, "Type a message first.")
  .max(MESSAGE_MAX, `Messages are at most ${MESSAGE_MAX} characters.`)
  .refine(withoutNul, "A message cannot contain NUL characters.");

export const ThreadTitle = z
  .string()
  .trim()
  .min(1, "A title cannot be empty.")
  .max(THREAD_TITLE_MAX, `At most ${THREAD_TITLE_MAX} characters.`)
  .refine(withoutNul, "A title cannot contain NUL characters.");
