import { normalizeDomain } from "~/utils/domain";
import { type PageLink } from "./html-text.server";

export type PageKind = "home" | "about" | "contact" | "careers" | "team";
export type PagePick = { url: string; kind: PageKind };

type Rule = { segments: string[]; words: string[] };

/**
 * Which pages of a site to read, from the links on its homepage. A link is a
 * candidate for a kind when its path segments or its anchor text say so
 * ("/about-us", "Who We Are"); the best-scoring link per kind wins. Only
 * links on the same site (www. or not) count, and files (PDFs, images) never.
 */
const RULES: Record<Exclude<PageKind, "home">, Rule> = {
  about: {
    segments: [
      "about",
      "about-us",
      "aboutus",
      "about_us",
      "who-we-are",
      "our-story",
      "company",
      "our-company",
      "company-profile",
      "corporate-profile",
      "profile",
      "overview",
      "history",
      "story",
      "mission",
    ],
    words: [
      "about",
      "about us",
      "who we are",
      "our story",
      "company",
      "our company",
      "company profile",
      "corporate profile",
      "overview",
      "history",
      "our history",
    ],
  },
  contact: {
    segments: ["contact", "contact-us", "contactus", "contact_us", "get-in-touch", "enquiry", "enquiries", "inquiry", "reach-us", "locations", "find-us"],
    words: ["contact", "contact us", "get in touch", "enquire", "enquiry", "enquiries", "reach us", "talk to us", "find us", "locations"],
  },
  careers: {
    segments: [
      "careers",
      "career",
      "jobs",
      "job",
      "join-us",
      "joinus",
      "work-with-us",
      "vacancies",
      "hiring",
      "opportunities",
      "open-positions",
      "join-our-team",
    ],
    words: ["careers", "career", "jobs", "join us", "we're hiring", "we are hiring", "work with us", "vacancies", "join our team", "open positions"],
  },
  // The people page names who is who: enough of them spares the paid LinkedIn search.
  team: {
    segments: ["team", "our-team", "meet-the-team", "people", "our-people", "leadership", "management", "management-team"],
    words: ["team", "our team", "meet the team", "our people", "leadership", "management team", "our leadership"],
  },
};

const FILE_EXTENSION = /\.(pdf|jpe?g|png|gif|webp|svg|zip|docx?|xlsx?|pptx?|mp4|mp3|css|js|xml|json)$/i;

export function sameSite(a: URL, b: URL): boolean {
  return normalizeDomain(a.hostname) === normalizeDomain(b.hostname);
}

export function linkScore(kind: Exclude<PageKind, "home">, link: { url: URL; text: string }): number {
  const rule = RULES[kind];
  const segments = link.url.pathname
    .toLowerCase()
    .split("/")
    .filter((s) => s && !/^[a-z]{2}(-[a-z]{2})?$/.test(s));
  const text = link.text.toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, " ").trim();
  let score = 0;
  const last = segments.at(-1) ?? "";
  if (rule.segments.includes(last.replace(/\.(html?|php|aspx?)$/, ""))) score += 3;
  else if (segments.some((s) => rule.segments.includes(s))) score += 2;
  else if (segments.some((s) => rule.segments.some((k) => s.includes(k) && k.length >= 4))) score += 1;
  if (rule.words.includes(text)) score += 3;
  else if (rule.words.some((w) => w.length >= 4 && text.includes(w))) score += 1.5;
  if (segments.length > 2) score -= 0.5 * (segments.length - 2);
  if (link.url.search) score -= 0.5;
  return score;
}

export function choosePages(homeUrl: string, links: PageLink[], options: { includeCareers: boolean; maxPages: number }): PagePick[] {
  const home = new URL(homeUrl);
  home.hash = "";
  const picks: PagePick[] = [{ url: home.href, kind: "home" }];
  const candidates = new Map<string, { url: URL; text: string }>();
  for (const link of links) {
    let url: URL;
    try {
      url = new URL(link.url);
    } catch {
      continue;
    }
    url.hash = "";
    if (!sameSite(url, home) || FILE_EXTENSION.test(url.pathname)) continue;
    if (url.href === home.href || (url.pathname === home.pathname && url.search === home.search)) continue;
    const existing = candidates.get(url.href);
    // The same URL often appears twice (menu and body); keep the more telling anchor text.
    if (!existing || existing.text.length < link.text.length) candidates.set(url.href, { url, text: link.text });
  }
  // Careers before team, so "Join our team" is read as careers when both are wanted.
  const kinds: Array<Exclude<PageKind, "home">> = options.includeCareers ? ["about", "contact", "careers", "team"] : ["about", "contact", "team"];
  const taken = new Set<string>([home.href]);
  for (const kind of kinds) {
    if (picks.length >= options.maxPages) break;
    let best: { href: string; score: number } | undefined;
    for (const [href, candidate] of candidates) {
      if (taken.has(href)) continue;
      const score = Math.max(
        linkScore(kind, candidate),
        ...links.filter((l) => l.url === href).map((l) => linkScore(kind, { url: candidate.url, text: l.text })),
      );
      if (score >= 2 && (!best || score > best.score || (score === best.score && href.length < best.href.length))) best = { href, score };
    }
    if (best) {
      taken.add(best.href);
      picks.push({ url: best.href, kind });
    }
  }
  return picks;
}
