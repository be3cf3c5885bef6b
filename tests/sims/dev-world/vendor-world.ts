import { EMAIL, mentionedHeadcount, PHONE } from "../vendors/llm-sim";
import {
  type VendorWorld,
  type WorldEmailStatus,
  type WorldLinkedinCompany,
  type WorldLushaCompany,
  type WorldLushaContact,
  type WorldPage,
  type WorldPerson,
} from "../vendors/world";
import { type World } from "../world/index";
import { companySizeBand, type Profile } from "../world/linkedin-items";
import { type Employee, type LinkedinCompany, type WorldCompany } from "../world/model";
import { hash32 } from "../world/random";
import { searchTokens } from "../world/search";

export type VendorWorldOptions = {
  /** Share (0..1) of companies with a website that Lusha knows. */
  lushaCompanyCoverage?: number;
  /** Share of a known company's senior people (owner/executive/director) Lusha has; others get half. */
  lushaPeopleCoverage?: number;
};

/** LinkedIn's people search matches abbreviations and spelled-out titles alike. */
const TITLE_PHRASES: Array<[RegExp, string]> = [
  [/\bchief executive officer\b/g, "ceo"],
  [/\bchief technology officer\b/g, "cto"],
  [/\bchief financial officer\b/g, "cfo"],
  [/\bchief operating officer\b/g, "coo"],
  [/\bmanaging director\b/g, "md"],
  [/\bgeneral manager\b/g, "gm"],
  [/\bco[- ]?founder\b/g, "founder"],
];
const TITLE_STOP = new Set(["of", "the", "and", "at", "for", "to", "a", "an"]);

function words(text: string): string[] {
  return text.split(/[^a-z0-9]+/).filter((w) => w && !TITLE_STOP.has(w));
}

/** A title's words with phrases shortened ("managing director" → "md"). */
function titleWords(text: string): string[] {
  let t = text.toLowerCase().replace(/&/g, " and ");
  for (const [re, short] of TITLE_PHRASES) t = t.replace(re, short);
  return words(t);
}

/** Both the spelled-out and the shortened words, so either kind of keyword finds the title. */
function titleIndexWords(title: string): Set<string> {
  return new Set([...words(title.toLowerCase().replace(/&/g, " and ")), ...titleWords(title)]);
}

/**
 * The shared dev world seen through the vendor simulators' `VendorWorld`:
 * plain facts in, each simulator renders its vendor's wire format. The world
 * speaks LinkedIn and ZeroBounce terms already, so most methods are
 * re-labelling; Lusha and people search are derived from the staff model,
 * deterministically per seed.
 */
export function vendorWorldFrom(world: World, options: VendorWorldOptions = {}): VendorWorld {
  const companyCoverage = options.lushaCompanyCoverage ?? 0.7;
  const peopleCoverage = options.lushaPeopleCoverage ?? 0.8;
  const draw = (...parts: string[]) => (hash32(world.seed, ...parts) % 10_000) / 10_000;

  const person = (p: Profile): WorldPerson => ({
    profileUrl: p.linkedinUrl,
    fullName: p.fullName,
    firstName: p.firstName,
    lastName: p.lastName,
    title: p.jobTitle,
    companyName: p.companyName,
    location: p.addressWithCountry === "Singapore, Singapore" ? "Singapore" : p.addressWithCountry,
    ...(p.email ? { email: p.email } : {}),
    memberId: memberIds().get(p.publicIdentifier),
    headline: p.headline,
    about: p.about,
    connections: p.connections,
    followers: p.followers,
    companyIndustry: p.companyIndustry,
    ...(p.companyWebsite ? { companyWebsite: p.companyWebsite } : {}),
    ...(p.companyLinkedin ? { companyLinkedin: p.companyLinkedin } : {}),
    companySize: p.companySize,
    address: { withCountry: p.addressWithCountry, withoutCountry: p.addressWithoutCountry, countryOnly: p.addressCountryOnly },
    startYear: Number(p.experiences[0]?.startDate) || undefined,
  });

  // Member ids live on the staff records; profiles only carry the public identifier.
  let memberIdIndex: Map<string, string> | undefined;
  function memberIds() {
    if (!memberIdIndex) {
      memberIdIndex = new Map();
      for (const c of world.companies()) if (c.linkedin) for (const e of world.staff(c.uen)) memberIdIndex.set(e.publicIdentifier, e.id);
    }
    return memberIdIndex;
  }

  const linkedinFacts = (li: LinkedinCompany): WorldLinkedinCompany => {
    const hq = li.locations.find((l) => l.headquarter) ?? li.locations[0];
    return {
      name: li.name,
      linkedinUrl: li.linkedinUrl,
      ...(li.website ? { website: li.website } : {}),
      industry: li.industries[0],
      employeeCount: li.employeeCount,
      description: li.description,
      city: hq?.city,
      country: hq?.country,
      id: li.id,
      tagline: li.tagline,
      specialities: li.specialities,
      followerCount: li.followerCount,
      foundedYear: li.foundedOn.year,
      phone: li.phone,
      postalCode: hq?.postalCode,
      line1: hq?.line1,
    };
  };

  /** Search index over people: each LinkedIn company's name words and its staff's title words. */
  type Searchable = { company: WorldCompany; nameWords: string[]; staff: Array<{ employee: Employee; words: Set<string> }> };
  let people: Searchable[] | undefined;
  function peopleIndex(): Searchable[] {
    people ??= world
      .companies()
      .filter((c) => c.linkedin)
      .map((company) => ({
        company,
        nameWords: [...new Set(searchTokens(company.brand))],
        staff: world.staff(company.uen).map((employee) => ({ employee, words: titleIndexWords(employee.title) })),
      }))
      .filter((s) => s.nameWords.length > 0);
    return people;
  }

  /** The company a Lusha query is about, if Lusha knows it at all. */
  function lushaKnown(q: { domain?: string; name?: string }): WorldCompany | undefined {
    const byDomain = q.domain ? world.siteForHost(q.domain.replace(/^https?:\/\//, "").split("/")[0]!)?.company : undefined;
    const company = byDomain ?? (q.name ? world.companyByName(q.name) : undefined);
    if (!company?.site) return undefined;
    return draw("lusha-company", company.uen) < companyCoverage ? company : undefined;
  }

  const lushaName = (c: WorldCompany) => c.linkedin?.name ?? c.brand;

  return {
    searchWeb(query, opts) {
      return world.searchWeb(query, opts).map((h) => ({ url: h.url, title: h.title, content: h.content, score: h.score }));
    },

    extractUrl(url): WorldPage | undefined {
      const text = world.extractUrl(url);
      if (text === null) return undefined;
      const parsed = new URL(url);
      const site = world.siteForHost(parsed.hostname);
      const page = world.pageAt(parsed.hostname, parsed.pathname);
      const links = site
        ? [...site.pages().keys()].map((path) => `http://${site.contentHost}${path}`).filter((link) => link !== `http://${site.contentHost}${page?.path}`)
        : [];
      return {
        url,
        title:
          page?.title ??
          text
            .split("\n")
            .find((line) => line.trim())
            ?.trim() ??
          "",
        text,
        links,
      };
    },

    linkedinCompany(nameOrUrl) {
      const li = world.linkedinCompany(nameOrUrl);
      return li ? linkedinFacts(li) : undefined;
    },

    employees(companyLinkedinUrl) {
      return world
        .employees(companyLinkedinUrl)
        .map((stub) => world.profile(stub.linkedinUrl))
        .filter((p): p is Profile => p !== null)
        .map(person);
    },

    profile(profileUrl) {
      const p = world.profile(profileUrl);
      return p ? person(p) : undefined;
    },

    searchProfiles(query) {
      const queryWords = new Set(searchTokens(query));
      const exact: string[] = [];
      const similar: string[] = [];
      for (const { nameWords, staff } of peopleIndex()) {
        // A company shows up when its name's first word is searched; people from
        // similarly named companies come along, as on LinkedIn.
        if (!queryWords.has(nameWords[0]!)) continue;
        const keywords = titleWords([...queryWords].filter((w) => !nameWords.includes(w)).join(" "));
        const hits = staff.filter((s) => keywords.every((k) => s.words.has(k))).map((s) => s.employee.linkedinUrl);
        (nameWords.every((w) => queryWords.has(w)) ? exact : similar).push(...hits);
      }
      return [...exact, ...similar];
    },

    emailStatus(email): WorldEmailStatus {
      const v = world.emailVerdict(email);
      return { status: v.status, sub_status: v.subStatus, freeEmail: v.freeEmail, mxFound: v.mxFound, account: v.account, domain: v.domain };
    },

    lushaCompany(q): WorldLushaCompany | undefined {
      const company = lushaKnown(q);
      if (!company?.site) return undefined;
      return {
        name: lushaName(company),
        domain: company.site.domain,
        industry: company.industry.linkedinIndustry,
        employees: companySizeBand(company.headcount),
        city: "Singapore",
        country: "Singapore",
        ...(company.linkedin ? { linkedinUrl: company.linkedin.linkedinUrl } : {}),
      };
    },

    lushaContacts(q): WorldLushaContact[] {
      const company = lushaKnown(q);
      if (!company?.site) return [];
      const domain = company.site.domain;
      return world
        .staff(company.uen)
        .filter((e) => {
          const senior = e.seniority === "owner" || e.seniority === "executive" || e.seniority === "director";
          return draw("lusha-person", e.publicIdentifier) < (senior ? peopleCoverage : peopleCoverage / 2);
        })
        .map((e) => {
          const mobile = draw("lusha-phone", e.publicIdentifier) < 0.5;
          const digits = String(hash32(world.seed, "lusha-mobile", e.publicIdentifier) % 10_000_000).padStart(7, "0");
          return {
            firstName: e.firstName,
            lastName: e.lastName,
            fullName: e.fullName,
            title: e.title,
            companyName: lushaName(company),
            companyDomain: domain,
            // Lusha reveals work addresses; personal ones are not its business here.
            ...(e.email?.endsWith(`@${domain}`) ? { email: e.email } : {}),
            ...(mobile ? { phone: `+65 9${digits.slice(0, 3)} ${digits.slice(3)}` } : {}),
            ...(company.linkedin ? { linkedinUrl: e.linkedinUrl } : {}),
          };
        });
    },

    // The company profile a capable model writes from the pages in the prompt:
    // facts of the world's company, kept only where those pages state them.
    llmAnswer({ schemaName, user }) {
      if (schemaName !== "company_profile") return undefined;
      const host = /^### \S+ page: https?:\/\/([^/\s]+)/m.exec(user)?.[1];
      const company = host ? world.siteForHost(host)?.company : undefined;
      if (!company?.site) return undefined;
      const text = user.toLowerCase();
      const pages = [...company.site.pages().values()];
      const described = (kind: string) => pages.find((p) => p.kind === kind && p.description && user.includes(p.description))?.description;
      const offerings = pages.flatMap((p) => p.sections.filter((s) => s.heading === "What we do").flatMap((s) => s.items ?? []));
      return {
        about_text: described("about") ?? described("home") ?? null,
        industry: company.industry.label,
        headcount_estimate: mentionedHeadcount(user) ?? null,
        products: [...new Set(offerings.filter((o) => text.includes(o.toLowerCase())))],
        locations: text.includes(company.address.toLowerCase()) ? [company.address] : [],
        emails: [...new Set(user.match(EMAIL) ?? [])],
        phones: [...new Set(user.match(PHONE) ?? [])],
      };
    },
  };
}
