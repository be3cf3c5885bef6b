/** One crawled page, as the crawler or Tavily returned it. */
export type SourcePage = {
  url: string;
  /** home | about | contact | products | services | careers | other (free text is tolerated). */
  kind: string;
  title: string;
  text: string;
  /** Raw HTML when available: mailto links live there. */
  html?: string;
  /** The page's meta description. */
  description?: string;
};

/** Cookie banners, footers and sign-up prompts: text on every page that says nothing about the company. */
export const BOILERPLATE =
  /cookie|privacy policy|all rights reserved|©|\(c\)\s*\d{4}|copyright|terms of (use|service)|subscribe|newsletter|javascript|sign up for/i;

/** The order in which pages say the most about a company; other kinds come last. */
const KIND_ORDER = ["about", "home", "products", "services", "contact", "careers"];

function kindRank(kind: string): number {
  const k = kind.toLowerCase();
  const i = KIND_ORDER.findIndex((o) => k.includes(o));
  return i === -1 ? KIND_ORDER.length : i;
}

/** The pages, the most telling kind first (a stable sort: same-kind pages keep their order). */
export function byKind(pages: readonly SourcePage[]): SourcePage[] {
  return [...pages].sort((a, b) => kindRank(a.kind) - kindRank(b.kind));
}

/** A page's text in blocks: the runs of lines between blank lines, trimmed. */
export function blocks(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
}

/** The values in order, without repeats that differ only in case (the first spelling is kept). */
export function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
