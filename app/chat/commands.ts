import { z } from "zod";
import { type IcpChange, type ScheduleChange } from "~/icp/command";
import { closeIndustryMatches, findIndustry } from "~/icp/industries";
import { REGIONS } from "~/icp/postal";
import { BUCKETS, type Bucket } from "~/scoring/score";

/**
 * What the agent chat can be asked, as typed commands: their union, the
 * schema for commands that arrive from outside the router, who may run
 * which, and the sentence that asks for each. The rule-based router that
 * turns plain English into them is command-router.ts.
 */

export const DEFAULT_SHORTLIST_SIZE = 50;
export const MAX_SHORTLIST_SIZE = 200;

export type ChatCommand =
  | { kind: "help" }
  | { kind: "show_icp" }
  | { kind: "update_icp"; change: IcpChange; schedule: ScheduleChange | null; refresh: boolean }
  | { kind: "shortlist"; limit: number; bucket?: Bucket; date?: string }
  | { kind: "explain"; company: string; bucket?: Bucket }
  | { kind: "re_enrich"; company: string; includeCareers: boolean; forceRecrawl: boolean }
  | { kind: "start_run" };

export type CommandKind = ChatCommand["kind"];

export type RouteFailure = { ok: false; message: string; suggestions: string[] };
export type RouteResult = { ok: true; command: ChatCommand } | RouteFailure;

/** The four sentences of the product brief, offered whenever the chat is unsure. */
export const PRD_EXAMPLES = [
  "Refresh ICP to software, 10–200 employees; run nightly.",
  "Show today's shortlist (top 50).",
  "Explain why Codigo is High.",
  "Re-enrich Codigo; include careers page.",
] as const;

const industryKey = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .transform((word, ctx) => {
    const found = findIndustry(word);
    if (found) return found.key;
    const close = closeIndustryMatches(word);
    ctx.addIssue({ code: "custom", message: `Unknown industry "${word}"${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : ""}` });
    return z.NEVER;
  });

/** Longer than any registered name: a longer "company" is a pasted text, not a name to look up. */
export const COMPANY_QUERY_MAX = 160;
const companyQuery = z.string().trim().min(1).max(COMPANY_QUERY_MAX);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The command union as data, for anything that arrives from outside the
 * router (a language model's tool call): industries may be words and are
 * normalised to vocabulary keys; ranges and hours are checked.
 */
export const ChatCommandSchema = z.union([
  z.object({ kind: z.literal("help") }),
  z.object({ kind: z.literal("show_icp") }),
  z.object({
    kind: z.literal("update_icp"),
    change: z
      .object({
        industries: z.array(industryKey).max(30).optional(),
        excludedIndustries: z.array(industryKey).max(30).optional(),
        employees: z
          .object({ min: z.number().int().min(0).max(10_000_000).optional(), max: z.number().int().min(0).max(10_000_000).optional() })
          .refine((e) => e.min === undefined || e.max === undefined || e.min <= e.max, "the employee range runs backwards")
          .optional(),
        dailyCap: z.number().int().min(1).max(5000).optional(),
        regions: z.array(z.enum(REGIONS)).max(5).optional(),
      })
      .strict(),
    schedule: z.object({ enabled: z.boolean(), hourSgt: z.number().int().min(0).max(23).optional() }).nullable(),
    refresh: z.boolean(),
  }),
  z.object({
    kind: z.literal("shortlist"),
    limit: z.number().int().min(1).max(MAX_SHORTLIST_SIZE),
    bucket: z.enum(BUCKETS).optional(),
    date: isoDate.optional(),
  }),
  z.object({ kind: z.literal("explain"), company: companyQuery, bucket: z.enum(BUCKETS).optional() }),
  z.object({ kind: z.literal("re_enrich"), company: companyQuery, includeCareers: z.boolean(), forceRecrawl: z.boolean() }),
  z.object({ kind: z.literal("start_run") }),
]);

/** Commands that change something: ops and admins only; viewers only read. */
export const OPERATOR_COMMANDS: ReadonlySet<CommandKind> = new Set(["update_icp", "re_enrich", "start_run"]);

export function needsOperator(command: ChatCommand): boolean {
  return OPERATOR_COMMANDS.has(command.kind);
}

/** The polite no a viewer gets for a command that would change something; null when allowed. */
export function refusalFor(command: ChatCommand, roles: readonly string[]): string | null {
  if (!needsOperator(command) || roles.includes("ops") || roles.includes("admin")) return null;
  const what = command.kind === "update_icp" ? "change the ICP or the nightly schedule" : command.kind === "re_enrich" ? "re-enrich a company" : "start a run";
  return `Sorry, your role (viewer) can read the shortlist and explanations but cannot ${what}. Ask someone with the ops or admin role in your workspace; nothing was changed.`;
}

/** One sentence that asks for `command`, in the words the examples use. */
export function sentenceFor(command: ChatCommand): string | null {
  switch (command.kind) {
    case "help":
      return "Help";
    case "show_icp":
      return "Show my ICP";
    case "shortlist":
      return `Show ${command.date ? `the shortlist of ${command.date}` : "today's shortlist"}${command.bucket ? ` (${command.bucket} only)` : ""} (top ${command.limit}).`;
    case "explain":
      return `Explain why ${command.company} is ${command.bucket ?? "High"}.`;
    case "re_enrich":
      return `Re-enrich ${command.company}${command.includeCareers ? "; include careers page" : ""}${command.forceRecrawl ? "; force a re-crawl" : ""}.`;
    case "start_run":
      return "Run nightly now.";
    case "update_icp":
      return null;
  }
}
