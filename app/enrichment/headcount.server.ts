import { byKind, type SourcePage } from "./source-pages.server";

const NUM = String.raw`(\d{1,3}(?:,\d{3})+|\d{1,6})`;
const STAFF = String.raw`(?:full[- ]time\s+)?(?:employees|staff(?:\s+members)?|team\s+members|professionals|engineers|specialists|consultants|workers|headcount)`;
const HEADCOUNT_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => number]> = [
  // "11-50 employees": a band, so its middle.
  [new RegExp(String.raw`\b${NUM}\s*(?:-|–|to)\s*${NUM}\s+${STAFF}`, "i"), (m) => Math.round((num(m[1]) + num(m[2])) / 2)],
  [
    new RegExp(String.raw`\b(?:team|staff|workforce|headcount)\s+of\s+(?:over\s+|more\s+than\s+|about\s+|around\s+|some\s+|nearly\s+)?${NUM}\b`, "i"),
    (m) => num(m[1]),
  ],
  [new RegExp(String.raw`\bemploys?\s+(?:over\s+|more\s+than\s+|about\s+|around\s+|some\s+|nearly\s+)?${NUM}\b`, "i"), (m) => num(m[1])],
  [new RegExp(String.raw`\b${NUM}\s*\+?\s+${STAFF}\b`, "i"), (m) => num(m[1])],
  [new RegExp(String.raw`\b${NUM}\s*\+?\s+people\s+(?:strong|work|working|employed|on\s+our\s+team)\b`, "i"), (m) => num(m[1])],
];

function num(s: string | undefined): number {
  return Number((s ?? "").replace(/,/g, ""));
}

/** The number of employees the pages state (the about page first), or null; a customer or visitor count is not one. */
export function estimateHeadcount(pages: readonly SourcePage[]): number | null {
  for (const page of byKind(pages)) {
    const text = `${page.description ?? ""}\n${page.text}`;
    for (const [pattern, read] of HEADCOUNT_PATTERNS) {
      const m = pattern.exec(text);
      if (!m) continue;
      const n = read(m);
      if (n >= 1 && n <= 500_000) return n;
    }
  }
  return null;
}
