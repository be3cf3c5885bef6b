import { z } from "zod";
import vocabulary from "./industries.data.json";

/**
 * The industry words people use ("software", "F&B", "logistics"…) and the
 * SSIC 2020 code prefixes they stand for. The words live in
 * industries.data.json so they can be reviewed without reading code.
 */
const IndustrySchema = z.object({
  key: z.string().regex(/^[a-z][a-z_]*$/),
  label: z.string().min(1),
  synonyms: z.array(z.string().min(1)).min(1),
  ssicPrefixes: z.array(z.string().regex(/^\d{2,5}$/)).min(1),
});

export type Industry = z.infer<typeof IndustrySchema>;

export const INDUSTRIES: readonly Industry[] = z.object({ industries: z.array(IndustrySchema) }).parse(vocabulary).industries;

/** Lower case, single spaces, "F & B" → "f&b". */
export function normalizeIndustryWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/\s*&\s*/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

const BY_WORD = new Map<string, Industry>();
for (const industry of INDUSTRIES) {
  BY_WORD.set(industry.key, industry);
  BY_WORD.set(normalizeIndustryWord(industry.key.replace(/_/g, " ")), industry);
  for (const synonym of industry.synonyms) BY_WORD.set(normalizeIndustryWord(synonym), industry);
}

/** Every phrase the vocabulary knows, longest first (the command parser matches greedily). */
export const INDUSTRY_PHRASES: readonly string[] = [...BY_WORD.keys()].sort((a, b) => b.length - a.length);

export function findIndustry(word: string): Industry | undefined {
  const w = normalizeIndustryWord(word);
  return (
    BY_WORD.get(w) ??
    (w.endsWith("s") ? BY_WORD.get(w.slice(0, -1)) : BY_WORD.get(`${w}s`)) ??
    BY_WORD.get(w.replace(/ (companies|firms|businesses|sector|industry|industries)$/, ""))
  );
}

export function industryByKey(key: string): Industry | undefined {
  return INDUSTRIES.find((i) => i.key === key);
}

/** Restricted Damerau–Levenshtein distance (adjacent swaps count as one edit). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Up to `limit` known words close to `word`, one per industry, best first. */
export function closeIndustryMatches(word: string, limit = 3): string[] {
  const w = normalizeIndustryWord(word);
  if (!w) return [];
  const scored: Array<{ phrase: string; key: string; score: number }> = [];
  for (const [phrase, industry] of BY_WORD) {
    if (phrase.includes("_")) continue;
    const distance = editDistance(w, phrase);
    const tolerance = Math.max(1, Math.floor(Math.max(w.length, phrase.length) / 3));
    const overlap = w.length >= 4 && (phrase.startsWith(w) || phrase.includes(` ${w}`) || (w.startsWith(phrase) && phrase.length >= 4));
    if (distance <= tolerance || overlap) scored.push({ phrase, key: industry.key, score: overlap ? distance - 1 : distance });
  }
  scored.sort((a, b) => a.score - b.score || a.phrase.length - b.phrase.length || a.phrase.localeCompare(b.phrase));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of scored) {
    if (seen.has(s.key)) continue;
    seen.add(s.key);
    out.push(s.phrase);
    if (out.length === limit) break;
  }
  return out;
}

export type UnknownIndustry = { word: string; suggestions: string[] };

export class UnknownIndustryError extends Error {
  constructor(public readonly unknown: UnknownIndustry[]) {
    super(unknownIndustryMessage(unknown));
    this.name = "UnknownIndustryError";
  }
}

export function unknownIndustryMessage(unknown: UnknownIndustry[]): string {
  return unknown
    .map(({ word, suggestions }) =>
      suggestions.length
        ? `Unknown industry "${word}". Did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?`
        : `Unknown industry "${word}". Try words like "software", "logistics", "F&B" or "manufacturing", or give SSIC codes.`,
    )
    .join(" ");
}

export type ResolvedIndustries = { ok: true; industries: Industry[] } | { ok: false; message: string; unknown: UnknownIndustry[] };

/** Words → industries (deduplicated, in order), or a message naming each unknown word with close matches. */
export function resolveIndustries(words: readonly string[]): ResolvedIndustries {
  const industries: Industry[] = [];
  const unknown: UnknownIndustry[] = [];
  for (const word of words) {
    const found = findIndustry(word);
    if (!found) unknown.push({ word, suggestions: closeIndustryMatches(word) });
    else if (!industries.includes(found)) industries.push(found);
  }
  return unknown.length ? { ok: false, message: unknownIndustryMessage(unknown), unknown } : { ok: true, industries };
}

/** The SSIC prefixes of some industries, without prefixes already covered by a shorter one. */
export function ssicPrefixesFor(keys: readonly string[]): string[] {
  const all = new Set<string>();
  for (const key of keys) for (const p of industryByKey(key)?.ssicPrefixes ?? []) all.add(p);
  const sorted = [...all].sort((a, b) => a.length - b.length || a.localeCompare(b));
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q))).sort();
}
