import { classifyFailure, looksParked, type ReadHomepage } from "./crawl-site.server";
import { CrawlFetchError, DnsError, HttpError } from "./errors.server";
import { extractPageText, type PageText } from "./html-text.server";
import { type Politeness } from "./politeness.server";
import { type HostResolver } from "./resolver.server";
import { type RobotsCache } from "./robots.server";
import { type SafeFetcher } from "./safe-fetch.server";

/**
 * Domain discovery by guessing: registry name → candidate domains → the
 * first that resolves and whose homepage names the company. Web-search and
 * LinkedIn fallbacks live with their vendor clients, not here.
 */
const LEGAL_SUFFIX =
  /\s*\b(PTE\.?\s*LTD\.?|PTE\.?\s*LIMITED|PRIVATE\s+LIMITED|SDN\.?\s*BHD\.?|LIMITED|LTD\.?|LLP|LLC|INC\.?|INCORPORATED|CORPORATION|CORP\.?|CO\.)\s*$/i;
const LOCATION_MARKERS = /\(\s*S\s*\)|\(\s*SINGAPORE\s*\)|\(\s*PTE\.?\s*\)|\bS'PORE\b|\bSINGAPORE\b/gi;

/** Words companies often leave out of their domain ("ZENITH LOGISTICS" at zenith.com.sg). */
const GENERIC_WORDS = new Set([
  "group",
  "holdings",
  "holding",
  "international",
  "global",
  "asia",
  "pacific",
  "enterprise",
  "enterprises",
  "services",
  "service",
  "solutions",
  "trading",
  "technologies",
  "technology",
  "tech",
  "systems",
  "consulting",
  "consultancy",
  "consultants",
  "engineering",
  "construction",
  "logistics",
  "industries",
  "industrial",
  "management",
  "marketing",
  "media",
  "digital",
  "labs",
  "studio",
  "creative",
  "capital",
  "partners",
  "associates",
  "corporate",
  "development",
  "design",
  "software",
  "networks",
  "supplies",
  "distribution",
  "realty",
  "properties",
  "property",
  "education",
  "academy",
  "learning",
  "training",
  "medical",
  "healthcare",
  "clinic",
  "food",
  "catering",
  "retail",
  "freight",
  "shipping",
  "transport",
  "express",
  "manufacturing",
  "precision",
  "advisory",
  "import",
  "export",
  "contractors",
  "builders",
  "renovation",
  "building",
  "technical",
  "engineers",
  "infotech",
  "computer",
  "communications",
  "agency",
  "wealth",
  "financial",
  "asset",
  "recruitment",
  "manpower",
  "talent",
  "security",
  "cleaning",
  "facility",
  "maintenance",
  "accounting",
  "chambers",
  "kitchen",
  "restaurant",
  "estates",
  "plastics",
  "metal",
  "mart",
  "store",
  "boutique",
  "lifestyle",
  "strategy",
  "hr",
  "school",
  "health",
  "dental",
]);

const TLDS = ["com.sg", "sg", "com"] as const;

/** "ORCHID & PEARL CONSULTING (S) PTE. LTD." → "ORCHID & PEARL CONSULTING". */
export function coreCompanyName(registryName: string): string {
  let name = registryName.replace(/\s+/g, " ").trim();
  for (let i = 0; i < 3; i += 1) name = name.replace(LEGAL_SUFFIX, "").replace(LOCATION_MARKERS, " ").replace(/\s+/g, " ").trim();
  return name.replace(/^THE\s+/i, "");
}

/** Lower-case words of the core name; "&" kept as its own token. */
export function nameWords(registryName: string): string[] {
  return coreCompanyName(registryName)
    .toLowerCase()
    .normalize("NFKD")
    .replace(/['’`]/g, "")
    .replace(/&/g, " & ")
    .replace(/\+/g, " plus ")
    .replace(/[^a-z0-9&\s]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/** Candidate domains, most likely first: joined and hyphenated forms, with and without generic trade words, on .com.sg, .sg and .com. */
export function candidateDomains(registryName: string, maxCandidates = 24): string[] {
  return candidateLabels(registryName)
    .flatMap(({ label }) => TLDS.map((tld) => `${label}.${tld}`))
    .slice(0, maxCandidates);
}

/** Domain labels for a name; `fullName` marks those that spell out every word of it. */
export function candidateLabels(registryName: string): Array<{ label: string; fullName: boolean }> {
  const words = nameWords(registryName);
  if (words.length === 0) return [];
  const withAnd = words.map((w) => (w === "&" ? "and" : w));
  const withoutAmp = words.filter((w) => w !== "&");
  const strip = (ws: string[]) => {
    const kept = [...ws];
    while (kept.length > 1 && (GENERIC_WORDS.has(kept[kept.length - 1]!) || kept[kept.length - 1] === "and")) kept.pop();
    return kept;
  };
  const full = [withAnd, withoutAmp];
  const stripped = full.map(strip).filter((v, i) => v.length < full[i]!.length);
  const labels: Array<{ label: string; fullName: boolean }> = [];
  for (const v of full) labels.push({ label: v.join(""), fullName: true });
  for (const v of stripped) labels.push({ label: v.join(""), fullName: false });
  for (const v of full) if (v.length > 1) labels.push({ label: v.join("-"), fullName: true });
  for (const v of stripped) if (v.length > 1) labels.push({ label: v.join("-"), fullName: false });
  const seen = new Set<string>();
  return labels.filter(({ label }) => {
    if (seen.has(label) || label.length < 2 || label.length > 63 || !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label)) return false;
    seen.add(label);
    return true;
  });
}

/**
 * How strongly a homepage names the company, 0–1: the share of the name's
 * words found in its title, description, headings, JSON-LD name, main text
 * and copyright line, lowered when nothing on the page points to Singapore;
 * 1 when the full legal name appears. Parked pages are 0.
 */
export function nameMatchScore(registryName: string, page: PageText): number {
  if (looksParked(page)) return 0;
  const words = nameWords(registryName).filter((w) => w !== "&");
  if (words.length === 0) return 0;
  const haystack = [
    page.title,
    page.description,
    ...page.headings.map((h) => h.text),
    ...page.organizations.flatMap((o) => [o.name ?? "", o.alternateName ?? ""]),
    page.text.slice(0, 5000),
    page.boilerplate.slice(0, 3000),
  ]
    .join(" \n ")
    .toLowerCase()
    .replace(/&/g, " and ");
  const present = new Set(haystack.split(/[^a-z0-9]+/).filter(Boolean));
  const squashed = haystack.replace(/[^a-z0-9]/g, "");
  const legal = registryName
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]/g, "");
  if (legal.length >= 6 && squashed.includes(legal)) return 1;
  const found = words.filter((w) => present.has(w)).length;
  const bonus = words.length > 1 && squashed.includes(words.join("")) ? 0.15 : 0;
  const coverage = Math.min(1, found / words.length + bonus);
  // A namesake abroad matches the words but not the place.
  return /singapore|\+65|\.sg\b/.test(haystack) ? coverage : coverage * 0.8;
}

export type DiscoveryEvidence = {
  domain: string;
  step: "dns" | "robots" | "fetch" | "match";
  ok: boolean;
  detail: string;
  score?: number;
};

export type DiscoveryResult = {
  domain?: string;
  /** high: the homepage names the company; medium: most of its words; low: a name-shaped .sg domain that could not be read. */
  confidence?: "high" | "medium" | "low";
  homeUrl?: string;
  /** The found domain's homepage as discovery read it, so the crawl need not ask the site for it again. */
  home?: ReadHomepage;
  evidence: DiscoveryEvidence[];
};

export type DiscoveryDeps = {
  resolver: HostResolver;
  fetcher: SafeFetcher;
  robots: RobotsCache;
  politeness: Politeness;
  schemes?: Array<"https" | "http">;
  maxCandidates?: number;
  /** Below this score a homepage does not count as the company's (default 0.75). */
  minScore?: number;
};

export async function discoverDomain(registryName: string, deps: DiscoveryDeps): Promise<DiscoveryResult> {
  const evidence: DiscoveryEvidence[] = [];
  const minScore = deps.minScore ?? 0.75;
  const fullNameLabels = new Set(
    candidateLabels(registryName)
      .filter((l) => l.fullName)
      .map((l) => l.label),
  );
  const candidates = candidateDomains(registryName, deps.maxCandidates);
  let best: { domain: string; score: number; homeUrl: string; home: ReadHomepage } | undefined;
  let unreadable: string | undefined;

  for (const domain of candidates) {
    const host = await resolvingHost(domain, deps.resolver, evidence);
    if (!host) continue;
    const outcome = await readHomepage(host, deps, evidence, domain);
    if (outcome.kind === "unreadable") {
      // The whole name on a Singapore domain is strong evidence on its own (SGNIC requires a local registrant).
      if (!unreadable && domain.endsWith(".sg") && fullNameLabels.has(domain.split(".")[0]!)) unreadable = domain;
      continue;
    }
    if (outcome.kind !== "page") continue;
    const score = nameMatchScore(registryName, outcome.home.text);
    evidence.push({ domain, step: "match", ok: score >= minScore, detail: outcome.home.text.title.slice(0, 120), score: Math.round(score * 100) / 100 });
    if (score >= minScore && (!best || score > best.score)) best = { domain, score, homeUrl: outcome.home.fetched.finalUrl, home: outcome.home };
    if (score >= 0.999) break;
  }
  if (best) return { domain: best.domain, confidence: best.score >= 0.999 ? "high" : "medium", homeUrl: best.homeUrl, home: best.home, evidence };
  if (unreadable) return { domain: unreadable, confidence: "low", evidence };
  return { evidence };
}

async function resolvingHost(domain: string, resolver: HostResolver, evidence: DiscoveryEvidence[]): Promise<string | undefined> {
  for (const host of [domain, `www.${domain}`]) {
    try {
      await resolver.resolve(host);
      evidence.push({ domain, step: "dns", ok: true, detail: host });
      return host;
    } catch (error) {
      if (!(error instanceof DnsError)) throw error;
    }
  }
  evidence.push({ domain, step: "dns", ok: false, detail: "no address" });
  return undefined;
}

type HomepageOutcome = { kind: "page"; home: ReadHomepage } | { kind: "unreadable" } | { kind: "absent" };

async function readHomepage(host: string, deps: DiscoveryDeps, evidence: DiscoveryEvidence[], domain: string): Promise<HomepageOutcome> {
  for (const scheme of deps.schemes ?? ["https", "http"]) {
    const url = `${scheme}://${host}/`;
    const robots = await deps.robots.check(url);
    if (!robots.allowed) {
      const failure = robots.rules.failure;
      if (failure && !(failure instanceof HttpError)) {
        evidence.push({ domain, step: "fetch", ok: false, detail: `${url}: ${classifyFailure(failure).reason}` });
        continue;
      }
      evidence.push({ domain, step: "robots", ok: false, detail: `${url}: ${robots.rules.state === "unreachable" ? "robots.txt unreachable" : "disallowed"}` });
      return { kind: "unreadable" };
    }
    deps.politeness.setCrawlDelay(host, robots.crawlDelayS);
    try {
      let lastHost = host;
      const fetched = await deps.politeness
        .schedule(host, () =>
          deps.fetcher.fetch(url, {
            onRedirect: async (to, from) => {
              if (!(await deps.robots.check(to.href)).allowed) throw new Error("robots_disallow");
              await deps.politeness.follow(from.hostname, to.hostname);
              lastHost = to.hostname;
            },
          }),
        )
        .finally(() => {
          // The scheduled request's own host is counted when its turn ends; a redirect's last host is counted here.
          if (lastHost !== host) deps.politeness.touch(lastHost);
        });
      evidence.push({ domain, step: "fetch", ok: true, detail: fetched.finalUrl });
      return { kind: "page", home: { fetched, text: extractPageText(fetched.body, fetched.finalUrl) } };
    } catch (error) {
      if (!(error instanceof CrawlFetchError)) throw error;
      const { reason } = classifyFailure(error);
      evidence.push({ domain, step: "fetch", ok: false, detail: `${url}: ${reason}` });
      if (error.name === "NetworkError" || error.name === "TimeoutError") continue;
      // A server that answers (even 5xx, a PDF, or a robots-refused redirect) exists but cannot be read.
      return error instanceof HttpError && error.status === 404 ? { kind: "absent" } : { kind: "unreadable" };
    }
  }
  return { kind: "absent" };
}
