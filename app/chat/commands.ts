import { z } from "zod";
import { EXAMPLE_COMMANDS as ICP_EXAMPLES, understandIcpCommand, type IcpChange, type ScheduleChange } from "~/icp/command";
import { closeIndustryMatches, editDistance, findIndustry } from "~/icp/industries";
import { REGIONS } from "~/icp/postal";
import { BUCKETS, type Bucket } from "~/scoring/score";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * What the agent chat can be asked, as typed commands, and the rule-based
 * router that turns plain English into one of them without a language model.
 * Anything it cannot account for gets a "Did you mean …?" with sentences it
 * does understand. Pure: the clock comes in as an argument.
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

function companyTooLong(example: string): RouteFailure {
  return { ok: false, message: `Company names are at most ${COMPANY_QUERY_MAX} characters; please give just the name or its UEN.`, suggestions: [example] };
}
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

// ---------------------------------------------------------------------------
// The router

type Clock = { now?: Date };

function tidy(input: string): string {
  return input
    .replace(/[\u2012-\u2015\u2212]/g, "–")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

function withoutTrailingPunctuation(text: string): string {
  return text.replace(/[\s.!?;:,]+$/, "").trim();
}

function bucketOf(word: string | undefined): Bucket | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase();
  return BUCKETS.find((b) => b.toLowerCase() === w);
}

/** "company Codigo" → "Codigo"; quotes and "the" dropped. */
function cleanCompany(raw: string): string {
  let name = raw
    .trim()
    .replace(/^["“'](.*)["”']$/, "$1")
    .trim();
  name = name.replace(/^(?:the\s+)?(?:company|firm|business|lead)\s+(?=\S)/i, "");
  name = name.replace(/^the\s+(?=\S+\s+\S)/i, "");
  return withoutTrailingPunctuation(name.replace(/'s$/i, ""))
    .replace(/^["“']|["”']$/g, "")
    .trim();
}

const HELP =
  /^(?:\?+$|(?:help|commands|menu|what can (?:you|i) (?:do|ask)|what do you do|how (?:does this|do i use this|do you) work|show (?:me )?(?:the )?commands|what are (?:the|your) commands)\b)/i;

const SHOW_ICP =
  /^(?:show|display|view|see|print|list|what(?:'s| is| are))\s+(?:me\s+)?(?:the\s+|my\s+|our\s+|current\s+|present\s+)*(?:icp|ideal customer profile|targeting|icp rules|target profile)(?:\s+rules)?\s*\??$/i;

const START_RUN = [
  /^(?:please\s+|can you\s+|could you\s+)?(?:run|start|do|kick off|trigger|launch)\s+(?:the\s+|a\s+|today's\s+)?(?:nightly\s+|manual\s+|lead\s+)?(?:run|job|refresh|enrichment|pipeline|one|it)?\s*(?:now|immediately|right away|right now)\b/i,
  /^(?:please\s+|can you\s+|could you\s+)?(?:start|kick off|trigger|launch|begin)\s+(?:a\s+|the\s+|another\s+|new\s+|today's\s+)*(?:manual\s+|nightly\s+|lead\s+|full\s+)*(?:run|job|pipeline|enrichment run)\b/i,
  /^(?:run|start)\s+(?:the\s+)?nightly\s+(?:job|run|pipeline)\s*$/i,
];

function routeStartRun(text: string): ChatCommand | null {
  return START_RUN.some((re) => re.test(text)) ? { kind: "start_run" } : null;
}

const SHORTLIST_CUE =
  /\bshort[\s-]?list\b|\btop\s+\d+\b|\b(?:best|top|hottest|strongest)\s+(?:\d+\s+)?(?:leads|companies|prospects|accounts)\b|\b(?:high|medium|low)[\s-]+(?:bucket\s+)?(?:leads|companies|prospects)\b|\btoday'?s\s+(?:leads|list|ranking)\b/i;

function routeShortlist(text: string, clock: Clock): ChatCommand | RouteFailure | null {
  if (!SHORTLIST_CUE.test(text) || /^(?:explain|why)\b/i.test(text)) return null;
  const lower = text.toLowerCase();
  const limitMatch =
    lower.match(/\b(?:top|first|best|show|list)\s+(\d{1,5})\b/) ??
    lower.match(/\((?:top\s+)?(\d{1,5})\)/) ??
    lower.match(/\b(\d{1,5})\s+(?:leads|companies|rows|entries|prospects)\b/);
  const limit = limitMatch ? Number(limitMatch[1]) : DEFAULT_SHORTLIST_SIZE;
  if (limit < 1 || limit > MAX_SHORTLIST_SIZE) {
    return {
      ok: false,
      message: `I can show between 1 and ${MAX_SHORTLIST_SIZE} companies here; the CSV export has them all.`,
      suggestions: [`Show today's shortlist (top ${MAX_SHORTLIST_SIZE}).`],
    };
  }
  const bucket = bucketOf(
    lower.match(/\b(high|medium|low)\b(?:[\s-]+(?:bucket|leads|companies|prospects|only|ones))/)?.[1] ?? lower.match(/\bonly\s+(high|medium|low)\b/)?.[1],
  );
  let date: string | undefined;
  const iso = lower.match(/\b(\d{4}-\d{2}-\d{2})\b/)?.[1];
  if (iso) date = iso;
  else if (/\byesterday'?s?\b/.test(lower)) date = singaporeDate(new Date((clock.now ?? new Date()).getTime() - 24 * 60 * 60 * 1000));
  return { kind: "shortlist", limit, ...(bucket ? { bucket } : {}), ...(date ? { date } : {}) };
}

const BUCKET_WORD = String.raw`(high|medium|low)`;
const EXPLAIN_PATTERNS: Array<{ re: RegExp; bucketGroup?: number }> = [
  {
    re: new RegExp(
      String.raw`^(?:please\s+|can you\s+|could you\s+)?(?:explain|tell me|show me)\s+(?:to me\s+)?why\s+(.+?)\s+(?:is|was|got|gets|scored?|scores|ranks?|ranked|rated|came out|comes out|ended up|landed)(?:\s+(?:as|a|an|rated|ranked|scored|in|the|bucket))*\s+${BUCKET_WORD}\b`,
      "i",
    ),
    bucketGroup: 2,
  },
  {
    re: new RegExp(
      String.raw`^why\s+(?:is|was|did|does|has)\s+(.+?)\s+(?:(?:score|scored|rank|ranked|rated|get|got|come out|end up|been rated|been scored|land|landed)\s+)?(?:as\s+|a\s+|an\s+|in\s+(?:the\s+)?)?${BUCKET_WORD}\b`,
      "i",
    ),
    bucketGroup: 2,
  },
  { re: new RegExp(String.raw`^what makes\s+(.+?)\s+(?:a\s+|an\s+)?${BUCKET_WORD}\b`, "i"), bucketGroup: 2 },
  { re: /^(?:please\s+)?(?:explain|why)\s+(?:the\s+)?(?:score|scoring|rating|ranking|bucket|rationale)\s+(?:of|for)\s+(.+)$/i },
  { re: /^(?:please\s+)?(?:explain|justify)\s+(?!why\b)(.+?)(?:'s\s+(?:score|rating|bucket|ranking))?$/i },
  { re: /^why\s+(?:is|was)\s+(.+?)\s+(?:on|in)\s+(?:the\s+|my\s+|our\s+)?short[\s-]?list$/i },
];

function routeExplain(text: string): ChatCommand | RouteFailure | null {
  const plain = withoutTrailingPunctuation(text);
  if (/^(?:explain|why)\s*$/i.test(plain) || /^explain\s+why\s*$/i.test(plain)) {
    return { ok: false, message: "Which company should I explain?", suggestions: ["Explain why Codigo is High."] };
  }
  for (const { re, bucketGroup } of EXPLAIN_PATTERNS) {
    const m = re.exec(plain);
    if (!m) continue;
    const company = cleanCompany(m[1]!);
    if (!company) continue;
    if (company.length > COMPANY_QUERY_MAX) return companyTooLong("Explain why Codigo is High.");
    const bucket = bucketGroup ? bucketOf(m[bucketGroup]) : undefined;
    return { kind: "explain", company, ...(bucket ? { bucket } : {}) };
  }
  return null;
}

const RE_ENRICH = [
  /^(?:please\s+|can you\s+|could you\s+)?(?:re-?enrich|reenrich|re-?crawl|recrawl|re-?scan|refresh (?:the )?(?:data|enrichment|profile) (?:for|of|on))\s+(.+)$/i,
  /^(?:please\s+|can you\s+|could you\s+)?(?:enrich|crawl|scan)\s+(.+?)\s+again\b(.*)$/i,
];
const OPTION_START = /\s*(?:[;,]|\s-\s|\b(?:with|including|include|and include|plus|also|but|force|and force|using|without|no)\b)/i;

function routeReEnrich(text: string): ChatCommand | RouteFailure | null {
  for (const re of RE_ENRICH) {
    const m = re.exec(text);
    if (!m) continue;
    const rest = withoutTrailingPunctuation(`${m[1]!}${m[2] ?? ""}`);
    const cut = OPTION_START.exec(rest);
    const company = cleanCompany(cut ? rest.slice(0, cut.index) : rest);
    const options = cut ? rest.slice(cut.index) : "";
    if (!company) return { ok: false, message: "Which company should I re-enrich?", suggestions: ["Re-enrich Codigo; include careers page."] };
    if (company.length > COMPANY_QUERY_MAX) return companyTooLong("Re-enrich Codigo; include careers page.");
    const careersMentioned = /\bcareers?\b|\bjobs?\s+page\b|\bhiring page\b/i.test(options);
    const careersRefused = /\b(?:without|no|skip|exclude|excluding|not)\b[^;,]*\b(?:careers?|jobs?\s+page)\b/i.test(options);
    const forceRecrawl = /^re-?crawl|^recrawl/i.test(text) || /\b(?:force|fresh|full|re-?crawl|recrawl|from scratch)\b/i.test(options);
    return { kind: "re_enrich", company, includeCareers: careersMentioned && !careersRefused, forceRecrawl };
  }
  if (/^(?:re-?enrich|reenrich|re-?crawl)\s*[.!?]*$/i.test(text)) {
    return { ok: false, message: "Which company should I re-enrich?", suggestions: ["Re-enrich Codigo; include careers page."] };
  }
  return null;
}

const ICP_CUE =
  /\b(?:icp|ideal customer|customer profile|target(?:ing)?|focus|employees?|staff|headcount|nightly|every night|overnight|industr(?:y|ies)|sectors?|schedul\w*|daily cap|cap|run at|region|exclud\w*)\b|^(?:refresh|set|change|update|switch|narrow|restrict|limit|pause|resume|stop|don'?t|do not|enable|disable|turn|no more)\b/i;

function routeIcp(text: string): ChatCommand | RouteFailure | null {
  if (!ICP_CUE.test(text)) return null;
  const understood = understandIcpCommand(text);
  if (understood.ok) return { kind: "update_icp", change: understood.change, schedule: understood.schedule, refresh: understood.refresh };
  const fixes = icpRepairs(text);
  const suggestions = fixes.length ? fixes : icpSuggestionSentences(text, understood.suggestions);
  const message =
    fixes.length && !/Did you mean/.test(understood.message) ? understood.message.replace(/ Try for example:.*$/, " Did you mean:") : understood.message;
  return { ok: false, message, suggestions };
}

/** Sentences one repair away that the ICP understander accepts: a mistyped industry, a range without its unit. */
function icpRepairs(text: string): string[] {
  const out: string[] = [];
  const range = /(\d[\d,]*\s*[-–]\s*\d[\d,]*)(?!\s*(?:employees|staff|people|headcount|\d))/.exec(text);
  if (range) out.push(`${text.slice(0, range.index + range[0].length)} employees${text.slice(range.index + range[0].length)}`);
  for (const word of text.split(/[\s,;.!?()]+/)) {
    if (word.length < 4 || findIndustry(word) || /^\d/.test(word)) continue;
    const close = closeIndustryMatches(word, 1)[0];
    if (close) out.push(text.replace(word, close));
  }
  return [...new Set(out.filter((sentence) => understandIcpCommand(sentence).ok))].slice(0, 4);
}

/** Industry words and "10-200 employees" from the ICP understander become whole sentences the user can click. */
function icpSuggestionSentences(original: string, suggestions: string[]): string[] {
  const sentences: string[] = [];
  for (const suggestion of suggestions) {
    if ((ICP_EXAMPLES as readonly string[]).includes(suggestion) || (PRD_EXAMPLES as readonly string[]).includes(suggestion)) {
      sentences.push(suggestion);
      continue;
    }
    const range = suggestion.match(/^(\d[\d,]*\s*[-–]\s*\d[\d,]*|\d[\d,]*) employees$/);
    if (range) {
      const bare = new RegExp(`${range[1]!.replace(/\s*[-–]\s*/, String.raw`\s*[-–]\s*`)}(?!\\s*(?:employees|staff))`);
      if (bare.test(original)) {
        sentences.push(original.replace(bare, (m) => `${m} employees`));
        continue;
      }
    }
    const replaced = replaceClosestWord(original, suggestion);
    if (replaced) sentences.push(replaced);
  }
  return [...new Set(sentences)].slice(0, 4);
}

/** The original sentence with its word (or two-word phrase) closest to `suggestion` replaced by it. */
function replaceClosestWord(original: string, suggestion: string): string | null {
  const words = original.split(/(\s+|[,;.!?()]+)/);
  let best: { start: number; length: number; distance: number } | null = null;
  for (let i = 0; i < words.length; i++) {
    if (!/\w/.test(words[i]!)) continue;
    for (const span of [1, 3]) {
      const phrase = words.slice(i, i + span).join("");
      if (span === 3 && (words[i + 2] === undefined || !/\w/.test(words[i + 2]!))) continue;
      const distance = editDistance(phrase.toLowerCase(), suggestion.toLowerCase());
      if (distance > Math.max(2, Math.floor(suggestion.length / 3))) continue;
      if (!best || distance < best.distance) best = { start: i, length: span, distance };
    }
  }
  if (!best) return null;
  return [...words.slice(0, best.start), suggestion, ...words.slice(best.start + best.length)].join("");
}

function route(text: string, clock: Clock): RouteResult | null {
  if (HELP.test(text)) return { ok: true, command: { kind: "help" } };
  if (SHOW_ICP.test(text)) return { ok: true, command: { kind: "show_icp" } };
  for (const step of [routeReEnrich, routeExplain, (t: string) => routeShortlist(t, clock), routeStartRun, routeIcp]) {
    const result = step(text);
    if (!result) continue;
    return "ok" in result ? result : { ok: true, command: result };
  }
  return null;
}

/** Words the router keys on, for spotting typos ("shortlst", "explian", "renrich"). */
const KEYWORDS = [
  "shortlist",
  "explain",
  "re-enrich",
  "reenrich",
  "enrich",
  "refresh",
  "icp",
  "nightly",
  "employees",
  "help",
  "start",
  "show",
  "today's",
  "careers",
  "why",
];

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

/** Close misses: fix one mistyped keyword at a time and keep the corrections that route. */
function closeMisses(text: string, clock: Clock): string[] {
  const tokens = text.split(/(\s+)/);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = token.toLowerCase().replace(/^[^\w']+|[^\w']+$/g, "");
    if (word.length < 3) continue;
    for (const keyword of KEYWORDS) {
      if (word === keyword) continue;
      const tolerance = keyword.length >= 7 ? 2 : 1;
      if (editDistance(word, keyword) > tolerance) continue;
      const fixed = [...tokens.slice(0, i), token.toLowerCase().replace(word, keyword), ...tokens.slice(i + 1)].join("");
      const routed = route(fixed, clock);
      if (routed?.ok) out.push(sentenceFor(routed.command) ?? fixed);
    }
  }
  return [...new Set(out)];
}

export function notUnderstood(text: string, suggestions: string[] = []): RouteFailure {
  const shown = suggestions.length ? suggestions : [...PRD_EXAMPLES];
  const message = suggestions.length
    ? `I didn't quite understand “${text}”. Did you mean one of these?`
    : `I didn't understand “${text}”. I can refresh the ICP, show the shortlist, explain a company's score, re-enrich a company or start a run. Try one of these:`;
  return { ok: false, message, suggestions: shown };
}

/**
 * Plain English → a typed command, or a failure with clickable suggestions.
 * The order matters: company commands before ICP changes (a company may be
 * called "Software Logistics"), and "run nightly now" before "run nightly".
 */
export function routeCommand(input: string, clock: Clock = {}): RouteResult {
  const text = tidy(input);
  if (!text) return { ok: false, message: "Type a command, or pick one of these:", suggestions: [...PRD_EXAMPLES] };
  if (text.length > 2000) return { ok: false, message: "That message is too long for a command (2,000 characters at most).", suggestions: [] };
  const routed = route(text, clock);
  if (routed?.ok) return routed;
  const fixes = closeMisses(text, clock);
  if (routed && !routed.ok) return { ...routed, suggestions: [...new Set([...routed.suggestions, ...fixes])].slice(0, 4) };
  if (fixes.length) return notUnderstood(text, fixes.slice(0, 4));
  // A bare industry word ("fintech", "logisitcs") most likely means the ICP.
  const bare = withoutTrailingPunctuation(text);
  if (findIndustry(bare)) return notUnderstood(text, [`Refresh ICP to ${bare}.`]);
  if (bare.split(/\s+/).length <= 2) {
    const close = closeIndustryMatches(bare, 2);
    if (close.length)
      return notUnderstood(
        text,
        close.map((w) => `Refresh ICP to ${w}.`),
      );
  }
  return notUnderstood(text);
}
