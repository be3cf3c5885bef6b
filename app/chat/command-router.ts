import { closeIndustryMatches, editDistance, findIndustry } from "~/icp/industries";
import { BUCKETS, type Bucket } from "~/scoring/score";
import { singaporeDate } from "~/utils/singapore-time";
import {
  COMPANY_QUERY_MAX,
  DEFAULT_SHORTLIST_SIZE,
  MAX_SHORTLIST_SIZE,
  PRD_EXAMPLES,
  sentenceFor,
  type ChatCommand,
  type RouteFailure,
  type RouteResult,
} from "./commands";
import { routeIcp } from "./icp-command-route";

/**
 * The rule-based router that turns plain English into a chat command without
 * a language model. Anything it cannot account for gets a "Did you mean …?"
 * with sentences it does understand. Pure: the clock comes in as an argument.
 */

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

function companyTooLong(example: string): RouteFailure {
  return { ok: false, message: `Company names are at most ${COMPANY_QUERY_MAX} characters; please give just the name or its UEN.`, suggestions: [example] };
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
