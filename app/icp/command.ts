import { closeIndustryMatches, findIndustry, INDUSTRY_PHRASES, industryByKey, normalizeIndustryWord } from "./industries";
import { REGIONS, type Region } from "./postal";
import { type IcpRules } from "./rules";

/**
 * Plain-English ICP commands ("Refresh ICP to software, 10–200 employees;
 * run nightly.") → a typed change to the rules plus a schedule change. Pure
 * and rule-based, so the chat works without a language model; anything it
 * cannot account for word by word is answered with "I didn't understand …".
 */
export type IcpChange = {
  industries?: string[];
  excludedIndustries?: string[];
  employees?: { min?: number; max?: number };
  dailyCap?: number;
  regions?: Region[];
};

export type ScheduleChange = { enabled: boolean; hourSgt?: number };

export type IcpCommand = {
  ok: true;
  change: IcpChange;
  schedule: ScheduleChange | null;
  /** The sentence asked for a refresh ("refresh ICP…"); saving a change refreshes anyway. */
  refresh: boolean;
  summary: string;
};

export type CommandFailure = { ok: false; message: string; suggestions: string[] };

export const EXAMPLE_COMMANDS = [
  "Refresh ICP to software, 10–200 employees; run nightly.",
  "Set ICP to logistics and F&B, 20 to 500 staff",
  "Target fintech but not banking, run at 2am",
  "Pause nightly",
];

const UNIT = String.raw`(?:employees?|staff|headcount|people|persons|heads|workers|ftes?|pax|team members)`;
const NUM = String.raw`(\d[\d,]*(?:\.\d+)?k?)`;

class CommandError extends Error {
  constructor(
    message: string,
    readonly suggestions: string[] = [],
  ) {
    super(message);
  }
}

function toNumber(raw: string): number {
  const k = raw.endsWith("k");
  const n = Number(raw.replace(/[,k]/g, ""));
  return Math.round(k ? n * 1000 : n);
}

/** Finds every match of `re`, hands it to `take`, and blanks it out of the text. */
function consume(text: string, re: RegExp, take: (m: RegExpExecArray) => void): string {
  const global = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  return text.replace(global, (...args) => {
    const m = args.slice(0, -2) as unknown as RegExpExecArray;
    take(m);
    return " ; ";
  });
}

function hourFrom(hour: string, minutes: string | undefined, meridiem: string | undefined): number {
  let h = Number(hour);
  if (minutes && Number(minutes) !== 0) throw new CommandError(`I can only schedule runs on the hour, not at ${hour}:${minutes}.`, ["run at 2am"]);
  const m = meridiem?.replace(/\./g, "");
  if (m) {
    if (h < 1 || h > 12) throw new CommandError(`"${hour}${meridiem}" is not a time of day.`, ["run at 2am"]);
    h = (h % 12) + (m === "pm" ? 12 : 0);
  }
  if (h > 23) throw new CommandError(`"${hour}" is not an hour of the day (0–23).`, ["run at 2am"]);
  return h;
}

const NIGHTLY = String.raw`(?:nightly|every night|each night|at night|overnight)`;

function takeSchedule(text: string, schedule: { value: ScheduleChange | null }): string {
  const set = (s: ScheduleChange) => {
    schedule.value = { ...schedule.value, ...s };
  };
  let t = text;
  t = consume(t, new RegExp(String.raw`\b(?:don'?t|do not|never|no longer|stop)\s+(?:run(?:ning)?|schedul(?:e|ing))\s+(?:it\s+|the runs?\s+)?${NIGHTLY}`), () =>
    set({ enabled: false }),
  );
  t = consume(
    t,
    new RegExp(
      String.raw`\b(?:pause|stop|disable|turn off|switch off|suspend|cancel|skip)\s+(?:the\s+|all\s+)?(?:${NIGHTLY}|scheduled)(?:\s+(?:runs?|schedule|job))?`,
    ),
    () => set({ enabled: false }),
  );
  t = consume(t, new RegExp(String.raw`\bno (?:more )?${NIGHTLY}(?:\s+runs?)?`), () => set({ enabled: false }));
  t = consume(t, new RegExp(String.raw`\b${NIGHTLY}(?:\s+runs?)?\s*(?::|=)?\s*off\b`), () => set({ enabled: false }));
  t = consume(
    t,
    new RegExp(
      String.raw`\b(?:(?:run|runs|running|schedule[ds]?|start)\s+(?:it\s+|them\s+)?(?:${NIGHTLY}\s+|daily\s+)?|${NIGHTLY}\s+)at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?:\s*(?:sgt|singapore time))?`,
    ),
    (m) => set({ enabled: true, hourSgt: hourFrom(m[1]!, m[2], m[3]) }),
  );
  t = consume(t, new RegExp(String.raw`\b(?:resume|enable|turn on|switch on|restart|re-enable)\s+(?:the\s+)?${NIGHTLY}(?:\s+runs?)?`), () =>
    set({ enabled: true }),
  );
  t = consume(t, new RegExp(String.raw`\b(?:run|runs|running|do it|schedule it)\s+(?:it\s+|them\s+)?${NIGHTLY}`), () => set({ enabled: true }));
  t = consume(t, new RegExp(String.raw`\b${NIGHTLY}(?:\s+runs?)?\s*(?::|=)?\s*on\b`), () => set({ enabled: true }));
  return t;
}

function takeEmployees(text: string, change: IcpChange): string {
  const setRange = (min?: number, max?: number) => {
    const employees = { ...change.employees, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    if (employees.min !== undefined && employees.max !== undefined && employees.min > employees.max) {
      throw new CommandError(`The employee range ${employees.min}–${employees.max} runs backwards.`, [`${employees.max}–${employees.min} employees`]);
    }
    change.employees = employees;
  };
  let t = text;
  t = consume(t, new RegExp(String.raw`\bbetween\s+${NUM}\s+and\s+${NUM}\s+${UNIT}`), (m) => setRange(toNumber(m[1]!), toNumber(m[2]!)));
  t = consume(t, new RegExp(String.raw`\b(?:from\s+)?${NUM}\s*(?:-|to)\s*${NUM}\s*\+?\s*${UNIT}`), (m) => setRange(toNumber(m[1]!), toNumber(m[2]!)));
  t = consume(
    t,
    new RegExp(String.raw`\b(?:${UNIT}|company size|team size|size)\s*(?:of|:|=|is|are)?\s*(?:between|from)?\s*${NUM}\s*(?:-|to|and)\s*${NUM}`),
    (m) => setRange(toNumber(m[1]!), toNumber(m[2]!)),
  );
  t = consume(t, new RegExp(String.raw`\b${NUM}\s*\+\s*${UNIT}`), (m) => setRange(toNumber(m[1]!)));
  t = consume(t, new RegExp(String.raw`\b(at least|min(?:imum)?(?: of)?|more than|over|above|>=?)\s*${NUM}\s*${UNIT}`), (m) =>
    setRange(toNumber(m[2]!) + (/more than|over|above|^>$/.test(m[1]!) ? 1 : 0)),
  );
  t = consume(t, new RegExp(String.raw`\b(up to|at most|max(?:imum)?(?: of)?|fewer than|less than|under|below|<=?)\s*${NUM}\s*${UNIT}`), (m) =>
    setRange(undefined, toNumber(m[2]!) - (/fewer than|less than|under|below|^<$/.test(m[1]!) ? 1 : 0)),
  );
  t = consume(
    t,
    new RegExp(String.raw`\b(?:${UNIT}|headcount)\s*(?:of\s+)?(at least|more than|over|up to|at most|under|fewer than|less than)\s*${NUM}`),
    (m) => {
      const n = toNumber(m[2]!);
      if (/at least|more than|over/.test(m[1]!)) setRange(n + (m[1] === "at least" ? 0 : 1));
      else setRange(undefined, n - (/under|fewer than|less than/.test(m[1]!) ? 1 : 0));
    },
  );
  return t;
}

function takeDailyCap(text: string, change: IcpChange): string {
  const set = (raw: string) => {
    const n = toNumber(raw);
    if (n < 1 || n > 5000) throw new CommandError(`A daily cap of ${n} is out of range (1–5000).`);
    change.dailyCap = n;
  };
  let t = consume(
    text,
    new RegExp(
      String.raw`\b(?:daily cap|cap|limit)\s*(?:it\s+)?(?:of|to|at|=|:)?\s*${NUM}(?:\s*(?:companies|leads|accounts))?(?:\s*(?:a|per)\s+day|\s*\/\s*day|\s+daily)?`,
    ),
    (m) => set(m[1]!),
  );
  t = consume(t, new RegExp(String.raw`\b${NUM}\s*(?:companies|leads|accounts)\s*(?:a|per|\/)\s*(?:day|night)`), (m) => set(m[1]!));
  return t;
}

function takeRegions(text: string, change: IcpChange): string {
  return consume(
    text,
    /\b(?:in|around|within)\s+(?:the\s+)?(central|east|west|north-east|northeast|north east|north)(?:\s+(?:region|area|side|of singapore))?\b/,
    (m) => {
      const region = m[1]!.replace(/north ?east/, "north-east") as Region;
      if (REGIONS.includes(region)) change.regions = [...new Set([...(change.regions ?? []), region])];
    },
  );
}

const LEAD_IN =
  /^\s*(?:please\s+|can you\s+|could you\s+)?(?:(refresh|reset|set|update|change|switch|make|target|focus(?: on)?|narrow|restrict|limit)\s+)?(?:(?:the|my|our)\s+)?(?:icp|ideal customer profile|customer profile|profile|targeting|target)?\s*(?:to|on|at|:|=|as|for)?\s*/;

const STOPWORDS = new Set([
  "",
  "and",
  "or",
  "plus",
  "also",
  "with",
  "in",
  "the",
  "a",
  "an",
  "of",
  "only",
  "companies",
  "company",
  "firms",
  "firm",
  "businesses",
  "business",
  "sector",
  "sectors",
  "industry",
  "industries",
  "please",
  "focus",
  "on",
  "target",
  "targeting",
  "icp",
  "to",
  "for",
  "smes",
  "sme",
  "startups",
  "that",
  "are",
  "is",
  "which",
  "it",
  "then",
  "too",
  "just",
  "singapore",
  "local",
  "b2b",
  "thanks",
  "thank",
  "you",
]);

const EXCLUSION = /\b(?:but not|except for|except|excluding|exclude|without|minus|but no|not)\b/;

/** Splits a phrase into known industries (longest vocabulary match first) and words it does not know. */
export function matchIndustries(phrase: string): { keys: string[]; unknown: string[] } {
  const text = ` ${normalizeIndustryWord(phrase)
    .replace(/[^a-z0-9&\- ]+/g, " ")
    .replace(/\s+/g, " ")} `;
  const keys: string[] = [];
  const unknown: string[] = [];
  let pending: string[] = [];
  const flushUnknown = () => {
    const words = pending.filter((w) => !STOPWORDS.has(w));
    if (words.length) unknown.push(words.join(" "));
    pending = [];
  };
  let i = 1;
  while (i < text.length - 1) {
    if (text[i] === " ") {
      i++;
      continue;
    }
    const phrase = INDUSTRY_PHRASES.find((p) => text.startsWith(p, i) && text[i + p.length] === " " && !STOPWORDS.has(p));
    if (phrase) {
      flushUnknown();
      const key = findIndustry(phrase)!.key;
      if (!keys.includes(key)) keys.push(key);
      i += phrase.length;
      continue;
    }
    const end = text.indexOf(" ", i);
    const word = text.slice(i, end);
    const plural = findIndustry(word);
    if (plural && !STOPWORDS.has(word)) {
      flushUnknown();
      if (!keys.includes(plural.key)) keys.push(plural.key);
    } else if (STOPWORDS.has(word)) flushUnknown();
    else pending.push(word);
    i = end;
  }
  flushUnknown();
  return { keys, unknown };
}

function describe(command: Omit<IcpCommand, "summary" | "ok">): string {
  const parts: string[] = [];
  const label = (k: string) => industryByKey(k)?.label ?? k;
  if (command.change.industries) parts.push(`industries: ${command.change.industries.map(label).join(", ")}`);
  if (command.change.excludedIndustries) parts.push(`excluding ${command.change.excludedIndustries.map(label).join(", ")}`);
  const e = command.change.employees;
  if (e)
    parts.push(
      e.min !== undefined && e.max !== undefined
        ? `${e.min}–${e.max} employees`
        : e.min !== undefined
          ? `at least ${e.min} employees`
          : `at most ${e.max} employees`,
    );
  if (command.change.regions) parts.push(`region: ${command.change.regions.join(", ")}`);
  if (command.change.dailyCap !== undefined) parts.push(`daily cap ${command.change.dailyCap}`);
  if (command.schedule) {
    parts.push(
      command.schedule.enabled
        ? `nightly runs on${command.schedule.hourSgt !== undefined ? ` at ${String(command.schedule.hourSgt).padStart(2, "0")}:00 SGT` : ""}`
        : "nightly runs paused",
    );
  }
  if (!parts.length) return "refresh the candidate list with the current ICP";
  return parts.join("; ");
}

function failure(text: string, unknown: string[]): CommandFailure {
  const suggestions = [...new Set(unknown.flatMap((w) => closeIndustryMatches(w)))];
  const rangeWithoutUnit = unknown.find((w) => /^\d[\d,]*\s*-\s*\d[\d,]*$/.test(w) || /^\d[\d,]*$/.test(w));
  const words = unknown.map((w) => `“${w}”`).join(", ");
  let message = `I didn't understand ${words || `“${text.trim()}”`}.`;
  if (rangeWithoutUnit) message += ` For a company size, say for example “${rangeWithoutUnit} employees”.`;
  else if (suggestions.length) message += ` Did you mean ${suggestions.map((s) => `“${s}”`).join(" or ")}?`;
  else message += ` Try for example: “${EXAMPLE_COMMANDS[0]}”`;
  return { ok: false, message, suggestions: suggestions.length ? suggestions : rangeWithoutUnit ? [`${rangeWithoutUnit} employees`] : EXAMPLE_COMMANDS };
}

export function understandIcpCommand(input: string): IcpCommand | CommandFailure {
  const text = input
    .replace(/\bIT\b/g, "it services")
    .toLowerCase()
    .replace(/[\u2012-\u2015\u2212]/g, "-")
    .replace(/[’‘]/g, "'")
    .replace(/(\d)\s*-\s*(\d)/g, "$1-$2")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return failure(input, []);
  const change: IcpChange = {};
  const schedule = { value: null as ScheduleChange | null };
  try {
    let rest = takeSchedule(text, schedule);
    rest = takeEmployees(rest, change);
    rest = takeDailyCap(rest, change);
    rest = takeRegions(rest, change);

    const clauses = rest
      .split(/[;.!?]+/)
      .map((c) => c.trim())
      .filter(Boolean);
    let refresh = /\brefresh\b/.test(text);
    const unknown: string[] = [];
    const include: string[] = [];
    const exclude: string[] = [];
    for (const clause of clauses) {
      const lead = LEAD_IN.exec(clause);
      if (lead?.[1] === "refresh") refresh = true;
      const body = clause.slice(lead?.[0].length ?? 0).replace(/^refresh\b/, "");
      const cut = EXCLUSION.exec(body);
      const included = matchIndustries(cut ? body.slice(0, cut.index) : body);
      include.push(...included.keys);
      unknown.push(...included.unknown);
      if (cut) {
        const excluded = matchIndustries(body.slice(cut.index + cut[0].length));
        exclude.push(...excluded.keys);
        unknown.push(...excluded.unknown);
      }
    }
    const understoodSomething = include.length || exclude.length || Object.keys(change).length || schedule.value;
    if (unknown.length) return failure(input, understoodSomething ? unknown : []);
    if (include.length) change.industries = [...new Set(include)];
    if (exclude.length) change.excludedIndustries = [...new Set(exclude)];
    const nothing = !Object.keys(change).length && !schedule.value;
    if (nothing && !refresh) return failure(input, []);
    const command = { change, schedule: schedule.value, refresh };
    return { ok: true, ...command, summary: describe(command) };
  } catch (error) {
    if (error instanceof CommandError) return { ok: false, message: error.message, suggestions: error.suggestions };
    throw error;
  }
}

/** The rules after a command: named fields replaced, the rest kept. */
export function applyIcpCommand(rules: IcpRules, command: IcpCommand): IcpRules {
  const next: IcpRules = structuredClone(rules);
  const { change, schedule } = command;
  if (change.industries) next.industries = change.industries;
  if (change.excludedIndustries) next.excludedIndustries = change.excludedIndustries;
  if (change.employees) next.employees = change.employees;
  if (change.dailyCap !== undefined) next.dailyCap = change.dailyCap;
  if (change.regions) next.postal = { ...next.postal, regions: change.regions };
  if (schedule) next.nightly = { ...next.nightly, ...schedule };
  return next;
}
