import { brochurePage, namesakePages, parkedPage, richPages, siteLayout, thinPages } from "./content";
import { emailVerdict, type EmailStatus, type EmailVerdict, type MailDomainFacts } from "./email";
import { industryFor } from "./industries";
import {
  type DecoyKind,
  type Employee,
  type LinkedinCompany,
  type Page,
  type RegistryCompany,
  type RobotsSpec,
  type Site,
  type SiteKind,
  type WorldCompany,
} from "./model";
import { singaporeAddress, singaporePhone } from "./names";
import { brandName, domainLabel, nameKey, slugify, type LabelStyle } from "./naming";
import { linkedinCompanyFor, staffOf } from "./people";
import { rng, type Rng } from "./random";
import { renderText } from "./render";
import { createSearchIndex, type SearchDoc, type SearchOptions, type SearchResult } from "./search";

export type { EmailStatus, EmailVerdict } from "./email";
export type * from "./model";
export type { SearchResult, SearchOptions } from "./search";
export { DEMO_COMPANIES, syntheticCompanies } from "./names";
export { renderHtml, renderPdf, renderRobots, renderText } from "./render";

export type WorldOptions = {
  seed: string | number;
  /** Added to every slow site's delay; tests set it low. */
  slowMs?: number;
};

/** harvestapi~linkedin-company-employees "Short" item. */
export type EmployeeStub = {
  id: string;
  publicIdentifier: string;
  name: string;
  position: string;
  location: { linkedinText: string };
  linkedinUrl: string;
};

/** dev_fusion~linkedin-profile-scraper item (the fields the platform reads). */
export type Profile = {
  linkedinUrl: string;
  publicIdentifier: string;
  fullName: string;
  firstName: string;
  lastName: string;
  headline: string;
  jobTitle: string;
  companyName: string;
  companyIndustry: string;
  companyWebsite: string | null;
  companyLinkedin: string | null;
  companySize: string;
  addressWithCountry: string;
  addressWithoutCountry: string;
  addressCountryOnly: string;
  email: string | null;
  about: string;
  connections: number;
  followers: number;
  experiences: Array<{ title: string; companyName: string; startDate: string; endDate: string | null }>;
};

/** Ground truth for measuring the pipeline against the world. */
export type CompanyTruth = {
  uen: string;
  domain?: string;
  siteKind?: SiteKind;
  discoverability?: "guessable" | "search_only";
  hasAboutText: boolean;
  emails: string[];
  headcount: number;
};

export type World = {
  seed: string;
  companies(): WorldCompany[];
  companyByName(name: string): WorldCompany | undefined;
  companyByUen(uen: string): WorldCompany | undefined;
  sites(): Site[];
  siteForHost(host: string): Site | undefined;
  hosts(): string[];
  pageAt(host: string, path: string): Page | undefined;
  searchWeb(query: string, options?: SearchOptions): SearchResult[];
  extractUrl(url: string): string | null;
  linkedinCompany(name: string): LinkedinCompany | null;
  employees(linkedinCompanyUrl: string): EmployeeStub[];
  staff(uen: string): Employee[];
  profile(url: string): Profile | null;
  emailStatus(email: string): EmailStatus;
  emailVerdict(email: string): EmailVerdict;
  truth(uen: string): CompanyTruth | undefined;
};

const TLDS = ["com.sg", "sg", "com"] as const;

/** Fixed choices for the companies the product docs use in examples. */
const DEMO_SITES: Record<string, { domain: string; kind: SiteKind; careers: boolean; redirect?: "www" | "path" }> = {
  "CODIGO PTE. LTD.": { domain: "codigo.com.sg", kind: "rich", careers: true },
  "NEXIUS LABS PTE. LTD.": { domain: "nexiuslabs.com", kind: "rich", careers: true },
  "MERLION FREIGHT (S) PTE. LTD.": { domain: "merlionfreight.com.sg", kind: "redirect", careers: false, redirect: "www" },
  "ORCHID & PEARL CONSULTING PTE. LTD.": { domain: "orchidandpearl.sg", kind: "rich", careers: false },
  "SENG HUAT ENGINEERING PTE LTD": { domain: "senghuat.com.sg", kind: "thin", careers: false },
};

const KIND_WEIGHTS: Record<SiteKind, number> = {
  rich: 56,
  redirect: 10,
  slow: 5,
  thin: 8,
  robots_disallowed: 5,
  error: 5,
  non_html: 4,
};

function robotsFor(r: Rng, kind: SiteKind, careersPath: string): RobotsSpec {
  if (kind === "robots_disallowed") return { kind: "disallow_all", scope: r.weighted({ all_agents: 60, our_bot: 20, all_but_google: 20 }) };
  if (kind === "error") return r.chance(0.4) ? { kind: "server_error" } : { kind: "missing" };
  const roll = r.weighted({ allow: 62, missing: 18, paths: 12, delay: 8 });
  if (roll === "missing") return { kind: "missing" };
  if (roll === "delay") return { kind: "allow_all", crawlDelayS: r.pick([2, 3, 5, 30]) };
  if (roll === "paths") {
    const paths = ["/wp-admin/", "/cart", "/search"];
    if (r.chance(0.35)) paths.push(careersPath);
    return { kind: "disallow_paths", paths };
  }
  return { kind: "allow_all" };
}

function headcountFor(r: Rng, [min, max]: [number, number]): number {
  return Math.round(Math.exp(Math.log(min) + r.next() * (Math.log(max) - Math.log(min))));
}

export function buildWorld(registry: RegistryCompany[], options: WorldOptions): World {
  const seed = String(options.seed);
  const slowMs = options.slowMs ?? 1_200;
  const companies: WorldCompany[] = [];
  const byKey = new Map<string, WorldCompany>();
  const byUen = new Map<string, WorldCompany>();
  const hostIndex = new Map<string, Site>();
  const sites: Site[] = [];
  const takenDomains = new Set<string>(Object.values(DEMO_SITES).map((d) => d.domain));
  const staffCache = new Map<string, Employee[]>();

  const staffFor = (company: WorldCompany) => {
    let staff = staffCache.get(company.uen);
    if (!staff) staffCache.set(company.uen, (staff = staffOf(company, seed)));
    return staff;
  };

  const register = (site: Site) => {
    sites.push(site);
    for (const host of site.hosts) hostIndex.set(host, site);
  };

  function pickDomain(r: Rng, name: string): { domain: string; discoverability: "guessable" | "search_only" } | undefined {
    const style = r.weighted({ joined: 48, short: 24, hyphen: 10, unguessable: 10 });
    const amp = r.chance(0.5) ? "and" : "drop";
    if (style !== "unguessable") {
      const label = domainLabel(name, style as LabelStyle, amp) ?? domainLabel(name, "joined", amp);
      if (label) {
        const first = r.weighted({ "com.sg": 50, sg: 20, com: 30 });
        for (const tld of [first, ...TLDS.filter((t) => t !== first)]) {
          const domain = `${label}.${tld}`;
          if (!takenDomains.has(domain)) {
            takenDomains.add(domain);
            return { domain, discoverability: "guessable" };
          }
        }
      }
    }
    // Names nobody would guess: initials plus a marker, or the brand with a suffix.
    const words = (domainLabel(name, "hyphen", "drop") ?? slugify(name)).split("-");
    const initials = words.map((w) => w[0]).join("");
    for (let i = 0; i < 5; i += 1) {
      const label = r.pick([
        `${initials}-${r.pick(["sg", "asia", "group"])}`,
        `${words[0]}${r.pick(["hq", "global", "works", "official"])}`,
        `${initials}${r.int(2, 99)}`,
      ]);
      const domain = `${label}.${r.pick(TLDS)}`;
      if (!takenDomains.has(domain)) {
        takenDomains.add(domain);
        return { domain, discoverability: "search_only" };
      }
    }
    return undefined;
  }

  function companySite(company: WorldCompany, r: Rng): Site | undefined {
    const demo = DEMO_SITES[company.name];
    if (!demo && r.chance(0.07)) return undefined;
    const picked = demo ? { domain: demo.domain, discoverability: "guessable" as const } : pickDomain(r, company.name);
    if (!picked) return undefined;
    const kind = demo?.kind ?? r.weighted(KIND_WEIGHTS);
    const redirect = demo?.redirect ?? (kind === "redirect" ? (r.chance(0.6) ? "www" : "path") : undefined);
    const prefix = redirect === "path" ? "/en" : "";
    const layoutRng = rng(seed, "layout", picked.domain);
    const layout = siteLayout(layoutRng, prefix);
    const careers = demo?.careers ?? r.chance(company.industry.key === "software" ? 0.7 : 0.4);
    const www = `www.${picked.domain}`;
    let cached: Map<string, Page> | undefined;
    const site: Site = {
      domain: picked.domain,
      hosts: [picked.domain, www],
      contentHost: redirect === "www" ? www : picked.domain,
      kind,
      company,
      discoverability: picked.discoverability,
      robots: robotsFor(r, kind, layout.careers.path),
      latencyMs: kind === "slow" ? slowMs + r.int(0, 600) : r.int(5, 40),
      redirect,
      careers: kind === "thin" || kind === "non_html" ? false : careers,
      catchAllMail: r.chance(0.08),
      errorStatus: r.pick([500, 502, 503]),
      bigPage: kind === "rich" && r.chance(0.05),
      homePath: prefix ? `${prefix}/` : "/",
      showcase: Boolean(demo),
      pages() {
        if (!cached) {
          const inputs = { site, company, staff: staffFor(company), layout, seed };
          const pages = kind === "thin" ? thinPages(inputs) : kind === "non_html" ? [brochurePage(inputs)] : richPages(inputs);
          cached = new Map(pages.map((p) => [p.path, p]));
        }
        return cached;
      },
    };
    return site;
  }

  function decoySite(domain: string, kind: DecoyKind, brandWord: string): Site {
    let cached: Map<string, Page> | undefined;
    return {
      domain,
      hosts: [domain, `www.${domain}`],
      contentHost: domain,
      kind,
      discoverability: "guessable",
      robots: { kind: "allow_all" },
      latencyMs: 10,
      careers: false,
      catchAllMail: false,
      errorStatus: 500,
      bigPage: false,
      homePath: "/",
      showcase: false,
      pages() {
        cached ??= new Map((kind === "parked" ? [parkedPage(domain, seed)] : namesakePages(domain, brandWord, seed)).map((p) => [p.path, p]));
        return cached;
      },
    };
  }

  const linkedinTaken = new Set<string>();
  for (const entry of registry) {
    if (byUen.has(entry.uen)) continue;
    const r = rng(seed, "company", entry.uen);
    const industry = industryFor(entry);
    const uenYear = Number(entry.uen.slice(0, 4));
    const company: WorldCompany = {
      ...entry,
      brand: brandName(entry.name),
      industry,
      headcount: headcountFor(r, industry.headcount),
      founded: uenYear >= 1950 && uenYear <= 2025 ? uenYear : r.int(1985, 2021),
      address: singaporeAddress(r),
      phone: singaporePhone(r),
    };
    company.site = companySite(company, r);
    company.linkedin = linkedinCompanyFor(company, seed, linkedinTaken);
    companies.push(company);
    byUen.set(company.uen, company);
    const key = nameKey(company.name);
    if (!byKey.has(key)) byKey.set(key, company);
    if (company.site) register(company.site);
  }

  // Guessable domains owned by somebody else: parked pages, and foreign namesakes on .com.
  for (const company of companies) {
    const r = rng(seed, "decoy", company.uen);
    const label = domainLabel(company.name, "joined", "drop");
    if (!label) continue;
    const siteTld = company.site?.domain.endsWith(".sg") ? "sg-ish" : "other";
    if (!r.chance(company.site ? 0.18 : 0.3)) continue;
    const candidates = TLDS.map((t) => `${label}.${t}`).filter((d) => !takenDomains.has(d));
    const domain = siteTld === "sg-ish" ? candidates.find((d) => d.endsWith(".com")) : candidates[0];
    if (!domain) continue;
    takenDomains.add(domain);
    const namesake = siteTld === "sg-ish" && r.chance(0.3);
    register(decoySite(domain, namesake ? "namesake" : "parked", company.brand.split(" ")[0]!));
  }

  const linkedinBySlug = new Map<string, WorldCompany>();
  for (const c of companies) if (c.linkedin) linkedinBySlug.set(c.linkedin.universalName, c);

  function findSite(host: string) {
    return hostIndex.get(host.toLowerCase().replace(/\.$/, "").replace(/:\d+$/, ""));
  }

  function pageAt(host: string, path: string): Page | undefined {
    const site = findSite(host);
    if (!site) return undefined;
    const pages = site.pages();
    const clean = path.split(/[?#]/)[0] || "/";
    const resolved = clean === "/" && site.homePath !== "/" ? site.homePath : clean;
    return pages.get(resolved) ?? pages.get(resolved.replace(/\/$/, "")) ?? pages.get(`${resolved}/`);
  }

  function companyByName(name: string): WorldCompany | undefined {
    const key = nameKey(name);
    if (!key) return undefined;
    const exact = byKey.get(key);
    if (exact) return exact;
    const squashed = key.replace(/\s/g, "");
    return companies.find((c) => {
      const k = nameKey(c.name);
      return k.replace(/\s/g, "") === squashed || nameKey(c.brand) === key;
    });
  }

  let searchIndex: ((q: string, o?: SearchOptions) => SearchResult[]) | undefined;
  function buildSearch() {
    const docs: SearchDoc[] = [];
    for (const site of sites) {
      if (site.kind === "parked") continue;
      const company = site.company;
      for (const page of site.pages().values()) {
        if (!["home", "about", "contact", "careers", "brochure"].includes(page.kind)) continue;
        const url = `http://${site.contentHost}${page.path}`;
        const hidden = site.kind === "robots_disallowed";
        const text = hidden ? "" : renderText(site, page);
        const content = hidden
          ? "No information is available for this page."
          : (page.description ? `${page.description} ` : "") +
            page.sections
              .flatMap((s) => s.paragraphs)
              .join(" ")
              .slice(0, 320);
        docs.push({
          url,
          title: page.title,
          content,
          weight: page.kind === "home" || page.kind === "brochure" ? 1 : page.kind === "about" ? 0.92 : 0.85,
          text: `${page.title} ${company ? `${company.name} ${company.brand}` : ""} ${text.slice(0, 1500)}`,
        });
      }
    }
    for (const c of companies) {
      docs.push({
        url: `https://www.sgpbusiness.com/company/${slugify(c.name)}`,
        title: `${c.name} (${c.uen}) - Singapore Company`,
        content: `${c.name} (UEN ${c.uen}) is a Live company incorporated in Singapore. Principal activity: ${c.ssicDescription ?? c.industry.label}.`,
        weight: 0.8,
        text: `${c.name} ${c.uen} ${c.ssicDescription ?? ""}`,
      });
      if (c.linkedin) {
        docs.push({
          url: c.linkedin.linkedinUrl,
          title: `${c.brand} | LinkedIn`,
          content: `${c.brand} | ${c.linkedin.employeeCount} employees on LinkedIn. ${c.industry.linkedinIndustry}. Singapore.`,
          weight: 0.86,
          text: `${c.brand} ${c.name} linkedin ${c.industry.linkedinIndustry}`,
        });
      }
    }
    return createSearchIndex(docs);
  }

  function mailFacts(domain: string): MailDomainFacts {
    const site = hostIndex.get(domain);
    if (!site) return { known: false, acceptsMail: false, catchAll: false, mailboxes: new Set() };
    if (site.kind === "parked") return { known: true, acceptsMail: false, catchAll: false, mailboxes: new Set() };
    const mailboxes = new Set<string>();
    for (const page of site.pages().values()) for (const e of page.emails) mailboxes.add(e.toLowerCase());
    if (site.company) for (const e of staffFor(site.company)) if (e.email) mailboxes.add(e.email.toLowerCase());
    return { known: true, acceptsMail: true, catchAll: site.catchAllMail, mailboxes };
  }

  function companySize(n: number): string {
    for (const [lo, hi] of [
      [1, 10],
      [11, 50],
      [51, 200],
      [201, 500],
      [501, 1000],
    ] as const)
      if (n <= hi) return `${lo}-${hi}`;
    return "1001-5000";
  }

  let profileIndex: Map<string, { company: WorldCompany; employee: Employee }> | undefined;

  return {
    seed,
    companies: () => companies,
    companyByName,
    companyByUen: (uen) => byUen.get(uen),
    sites: () => sites,
    siteForHost: findSite,
    hosts: () => [...hostIndex.keys()],
    pageAt,
    searchWeb(query, options) {
      searchIndex ??= buildSearch();
      return searchIndex(query, options);
    },
    extractUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return null;
      }
      if (parsed.hostname === "www.sgpbusiness.com") {
        const c = companies.find((x) => parsed.pathname === `/company/${slugify(x.name)}`);
        return c ? `${c.name}\n\nUEN: ${c.uen}\nStatus: Live\nPrincipal activity: ${c.ssicDescription ?? c.industry.label}\nAddress: ${c.address}` : null;
      }
      const site = findSite(parsed.hostname);
      if (!site || site.kind === "error") return null;
      const page = pageAt(parsed.hostname, parsed.pathname);
      return page ? renderText(site, page) : null;
    },
    linkedinCompany(name) {
      const slug = name.match(/linkedin\.com\/company\/([^/?#]+)/i)?.[1];
      const company = slug ? linkedinBySlug.get(slug.toLowerCase()) : companyByName(name);
      return company?.linkedin ?? null;
    },
    employees(url) {
      const slug = url.match(/linkedin\.com\/company\/([^/?#]+)/i)?.[1]?.toLowerCase();
      const company = slug ? linkedinBySlug.get(slug) : undefined;
      if (!company) return [];
      return staffFor(company).map((e) => ({
        id: e.id,
        publicIdentifier: e.publicIdentifier,
        name: e.fullName,
        position: `${e.title} at ${company.brand}`,
        location: { linkedinText: e.location },
        linkedinUrl: e.linkedinUrl,
      }));
    },
    staff: (uen) => {
      const company = byUen.get(uen);
      return company ? staffFor(company) : [];
    },
    profile(url) {
      if (!profileIndex) {
        profileIndex = new Map();
        for (const company of companies) {
          if (!company.linkedin) continue;
          for (const employee of staffFor(company)) profileIndex.set(employee.publicIdentifier, { company, employee });
        }
      }
      const id = url.match(/linkedin\.com\/in\/([^/?#]+)/i)?.[1]?.toLowerCase();
      const hit = id ? profileIndex.get(id) : undefined;
      if (!hit) return null;
      const { company, employee: e } = hit;
      const [city, ...rest] = e.location.split(", ");
      const country = rest.at(-1) ?? city!;
      return {
        linkedinUrl: e.linkedinUrl,
        publicIdentifier: e.publicIdentifier,
        fullName: e.fullName,
        firstName: e.firstName,
        lastName: e.lastName,
        headline: `${e.title} at ${company.brand}`,
        jobTitle: e.title,
        companyName: company.brand,
        companyIndustry: company.industry.linkedinIndustry,
        companyWebsite: company.linkedin?.website ?? null,
        companyLinkedin: company.linkedin?.linkedinUrl ?? null,
        companySize: companySize(company.headcount),
        addressWithCountry: e.location === "Singapore" ? "Singapore, Singapore" : e.location,
        addressWithoutCountry: e.location === "Singapore" ? "Singapore" : rest.length > 1 ? `${city}, ${rest.slice(0, -1).join(", ")}` : city!,
        addressCountryOnly: country,
        email: e.email ?? null,
        about: e.about,
        connections: e.connections,
        followers: e.followers,
        experiences: [{ title: e.title, companyName: company.brand, startDate: String(e.startYear), endDate: null }],
      };
    },
    emailVerdict: (email) => emailVerdict(email, mailFacts, seed),
    emailStatus: (email) => emailVerdict(email, mailFacts, seed).status,
    truth(uen) {
      const company = byUen.get(uen);
      if (!company) return undefined;
      const site = company.site;
      const pages = site ? [...site.pages().values()] : [];
      return {
        uen,
        domain: site?.domain,
        siteKind: site?.kind as SiteKind | undefined,
        discoverability: site?.discoverability,
        hasAboutText: pages.some((p) => p.kind === "about"),
        emails: [...new Set(pages.flatMap((p) => p.emails))],
        headcount: company.headcount,
      };
    },
  };
}
