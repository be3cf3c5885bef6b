import { matchesContactTitle } from "./contact-titles.server";
import { type SourcePage } from "./source-pages.server";

/** A person a company's own website names, with the role it gives them. */
export type WebsitePerson = { fullName: string; title: string; url: string };

/** Words that start a heading but never a person's name ("Our Team", "Contact Us"). */
const NOT_NAME_WORDS = new Set(["our", "the", "meet", "contact", "about", "team", "us", "who", "we", "office", "hours", "email", "tel", "address", "join"]);

/** Words of a role, which a role line may be capitalised like a name ("Accounts Executive"). */
const ROLE_WORDS =
  /\b(executive|manager|director|officer|head|founder|ceo|cto|cfo|coo|president|partner|lead|engineer|consultant|associate|assistant|admin|sales|marketing|accounts?|finance|operations|intern|principal|owner|chairman|secretary|specialist|analyst|designer|supervisor|coordinator|hours|enquiries)\b/i;

/**
 * The lower-case links inside a name: Malay patronymics ("Ahmad bin Ismail",
 * "Siti binte Osman"), Tamil ones ("Kumar s/o Rajan") and European particles.
 */
const NAME_PARTICLES = new Set(["bin", "binte", "binti", "bte", "s/o", "d/o", "a/l", "a/p", "van", "von", "de", "da", "del", "der", "la", "le", "al"]);

/**
 * Two to four capitalised words of letters (with hyphens, apostrophes and
 * initials), none a role's, with name particles between them: how a team
 * page heads a person.
 */
export function looksLikePersonName(line: string): boolean {
  const words = line.trim().split(/\s+/);
  const inner = words.slice(1, -1);
  const named = [words[0]!, ...inner.filter((w) => !NAME_PARTICLES.has(w)), ...(words.length > 1 ? [words.at(-1)!] : [])];
  if (named.length < 2 || named.length > 4 || ROLE_WORDS.test(line)) return false;
  return named.every((w) => /^[A-Z][a-zA-Z'’-]*\.?$/.test(w) && !NOT_NAME_WORDS.has(w.toLowerCase()));
}

/** A role line under a name: short, without a sentence's full stop or an address's digits. */
function looksLikeTitle(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words.length >= 1 && words.length <= 8 && !/[.!?]$/.test(line.trim()) && !/\d/.test(line) && !line.includes("@");
}

/**
 * The people the team (or about) pages name: a name line followed by a role
 * line, as team pages lay them out. Each person once, by name.
 */
export function websitePeople(pages: readonly SourcePage[]): WebsitePerson[] {
  const people = new Map<string, WebsitePerson>();
  for (const page of pages) {
    if (page.kind !== "team" && page.kind !== "about") continue;
    const lines = page.text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    for (let i = 0; i + 1 < lines.length; i++) {
      const [name, title] = [lines[i]!, lines[i + 1]!];
      if (!looksLikePersonName(name) || !looksLikeTitle(title)) continue;
      if (!people.has(name.toLowerCase())) people.set(name.toLowerCase(), { fullName: name, title, url: page.url });
      i++;
    }
  }
  return [...people.values()];
}

/** The website's people whose role is one the ICP asks for. */
export function roleQualifiedPeople(people: readonly WebsitePerson[], wantedTitles: readonly string[]): WebsitePerson[] {
  return people.filter((p) => wantedTitles.some((t) => matchesContactTitle(p.title, t)));
}

/**
 * Whether the paid LinkedIn search (three Apify actor runs) is still needed:
 * only when the website named fewer role-qualified people than the tenant's
 * minimum.
 */
export function linkedinSearchNeeded(roleQualifiedOnWebsite: number, minimum: number): boolean {
  return roleQualifiedOnWebsite < minimum;
}
