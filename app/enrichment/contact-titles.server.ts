/**
 * Decides whether a person's job title is one of the roles an ICP asks for.
 * Titles are free text ("Co-Founder & CEO", "VP, Sales – APAC"), so both
 * sides are reduced to canonical tokens and the wanted title must be covered
 * by the candidate's.
 */

/** Multi-word phrases first, so "chief executive officer" never reads as "executive" + "officer". */
const PHRASES: Array<[RegExp, string]> = [
  [/\bchief executive( officer)?\b/g, "ceo"],
  [/\bchief technology officer\b|\bchief technical officer\b/g, "cto"],
  [/\bchief financial officer\b/g, "cfo"],
  [/\bchief operating officer\b|\bchief operations officer\b/g, "coo"],
  [/\bchief marketing officer\b/g, "cmo"],
  [/\bchief information officer\b/g, "cio"],
  [/\bchief revenue officer\b/g, "cro"],
  [/\bchief commercial officer\b/g, "cco"],
  [/\bchief people officer\b|\bchief human resources? officer\b/g, "chro"],
  [/\bsenior vice president\b/g, "svp"],
  [/\bexecutive vice president\b/g, "evp"],
  [/\bvice president\b/g, "vp"],
  [/\bmanaging director\b/g, "md"],
  [/\bgeneral manager\b/g, "gm"],
  [/\bbusiness development\b|\bbiz dev\b/g, "bizdev"],
  [/\bhuman resources?\b/g, "hr"],
  [/\binformation technology\b/g, "it"],
  [/\bco founder\b/g, "founder"],
];

/** Single words that mean the same role or seniority. */
const SYNONYMS: Record<string, string> = {
  cofounder: "founder",
  founders: "founder",
  lead: "head",
  leader: "head",
  dir: "director",
  mgr: "manager",
  bizdev: "sales",
  bd: "sales",
  ops: "operations",
  operation: "operations",
  people: "hr",
  talent: "hr",
  purchasing: "procurement",
  proprietor: "owner",
  principal: "owner",
  tech: "technology",
  engineer: "engineering",
};

/** Words that carry no role meaning on either side. */
const STOP = new Set(["of", "the", "and", "for", "at", "in", "a", "an", "to", "our", "team", "global", "regional"]);

/** A candidate who holds one of these is not the decision maker the wanted title names. */
const DISQUALIFIERS = ["assistant", "intern", "trainee", "former", "ex", "retired", "secretary", "pa", "ea"];

export function titleTokens(title: string): string[] {
  let t = ` ${title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")} `;
  // "C.E.O." reads as "ceo", not three letters.
  t = t
    .replace(/(?<=\b[a-z])\.(?=[a-z]\b)/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ");
  for (const [pattern, token] of PHRASES) t = t.replace(pattern, ` ${token} `);
  return t
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => SYNONYMS[w] ?? w)
    .filter((w) => !STOP.has(w));
}

export function matchesContactTitle(candidateTitle: string | null | undefined, wantedTitle: string): boolean {
  if (!candidateTitle) return false;
  const wanted = titleTokens(wantedTitle);
  if (wanted.length === 0) return false;
  const have = new Set(titleTokens(candidateTitle));
  const disqualified = DISQUALIFIERS.some((d) => have.has(d) && !wanted.includes(d));
  if (disqualified) return false;
  return wanted.every((w) => have.has(w));
}

/** The first wanted title the candidate matches, or undefined. */
export function matchContactTitles(candidateTitle: string | null | undefined, wantedTitles: readonly string[]): string | undefined {
  return wantedTitles.find((w) => matchesContactTitle(candidateTitle, w));
}

/** "CEO, Head of Sales" → ["CEO", "Head of Sales"]; blanks and duplicates dropped. */
export function parseContactTitles(value: string | readonly string[]): string[] {
  const list = typeof value === "string" ? value.split(/[,;\n]/) : value;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const title = raw.trim();
    const key = titleTokens(title).join(" ");
    if (!title || !key || seen.has(key)) continue;
    seen.add(key);
    out.push(title);
  }
  return out;
}
