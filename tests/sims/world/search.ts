export type SearchDoc = { url: string; title: string; content: string; weight: number; text: string };
export type SearchResult = { url: string; title: string; content: string; score: number };
export type SearchOptions = { maxResults?: number; includeDomains?: string[]; excludeDomains?: string[] };

const STOPWORDS = new Set([
  "pte",
  "ltd",
  "private",
  "limited",
  "llp",
  "singapore",
  "sg",
  "s",
  "the",
  "and",
  "of",
  "company",
  "website",
  "official",
  "site",
  "homepage",
  "home",
  "page",
  "in",
  "a",
  "for",
  "co",
  "www",
  "com",
]);

export function searchTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/&/g, " and ")
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && !STOPWORDS.has(t));
}

function hostMatches(url: string, domains: string[]): boolean {
  const host = new URL(url).hostname;
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/**
 * A small search engine over the world's documents: rare query words weigh
 * more (idf), a document's own weight ranks homepages above directories, and
 * scores land in Tavily's 0–1 range.
 */
export function createSearchIndex(docs: SearchDoc[]) {
  const postings = new Map<string, number[]>();
  docs.forEach((doc, i) => {
    for (const token of new Set(searchTokens(doc.text))) {
      const list = postings.get(token);
      if (list) list.push(i);
      else postings.set(token, [i]);
    }
  });
  const idf = (token: string) => Math.log(1 + docs.length / (1 + (postings.get(token)?.length ?? 0)));

  return function search(query: string, options: SearchOptions = {}): SearchResult[] {
    const terms = [...new Set(searchTokens(query))];
    if (terms.length === 0) return [];
    const total = terms.reduce((sum, t) => sum + idf(t), 0);
    const scores = new Map<number, number>();
    for (const term of terms) {
      for (const i of postings.get(term) ?? []) scores.set(i, (scores.get(i) ?? 0) + idf(term));
    }
    const results: SearchResult[] = [];
    for (const [i, raw] of scores) {
      const doc = docs[i]!;
      const coverage = raw / total;
      if (coverage < 0.5) continue;
      if (options.includeDomains?.length && !hostMatches(doc.url, options.includeDomains)) continue;
      if (options.excludeDomains?.length && hostMatches(doc.url, options.excludeDomains)) continue;
      const score = Math.round((0.2 + 0.75 * coverage * doc.weight) * 10_000) / 10_000;
      results.push({ url: doc.url, title: doc.title, content: doc.content, score });
    }
    results.sort((a, b) => b.score - a.score || a.url.localeCompare(b.url));
    return results.slice(0, Math.max(0, Math.min(20, options.maxResults ?? 5)));
  };
}
