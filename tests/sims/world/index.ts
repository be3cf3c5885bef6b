import { emailVerdict, mailDomainFacts, type EmailStatus, type EmailVerdict } from "./email";
import { industryFor } from "./industries";
import { employeeStub, profileOf, type EmployeeStub, type Profile } from "./linkedin-items";
import { type Employee, type LinkedinCompany, type Page, type RegistryCompany, type Site, type WorldCompany } from "./model";
import { singaporeAddress, singaporePhone } from "./names";
import { brandName, nameKey } from "./naming";
import { linkedinCompanyFor, staffOf } from "./people";
import { rng, type Rng } from "./random";
import { renderText } from "./render";
import { createSearchIndex, type SearchOptions, type SearchResult } from "./search";
import { DIRECTORY_HOST, directoryListingText, webSearchDocuments } from "./search-documents";
import { createSiteFactory } from "./sites";
import { truthOf, type CompanyTruth } from "./truth";

/**
 * Builds the world from registry rows and a seed, and answers the lookups the
 * vendor simulators and the fixture web server make of it.
 */

export type WorldOptions = {
  seed: string | number;
  /** Added to every slow site's delay; tests set it low. */
  slowMs?: number;
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

function headcountFor(r: Rng, [min, max]: [number, number]): number {
  return Math.round(Math.exp(Math.log(min) + r.next() * (Math.log(max) - Math.log(min))));
}

export function buildWorld(registry: RegistryCompany[], options: WorldOptions): World {
  const seed = String(options.seed);
  const companies: WorldCompany[] = [];
  const byKey = new Map<string, WorldCompany>();
  const byUen = new Map<string, WorldCompany>();
  const hostIndex = new Map<string, Site>();
  const sites: Site[] = [];
  const staffCache = new Map<string, Employee[]>();

  const staffFor = (company: WorldCompany) => {
    let staff = staffCache.get(company.uen);
    if (!staff) staffCache.set(company.uen, (staff = staffOf(company, seed)));
    return staff;
  };
  const siteFactory = createSiteFactory({ seed, slowMs: options.slowMs ?? 1_200, staffFor });

  const register = (site: Site) => {
    sites.push(site);
    for (const host of site.hosts) hostIndex.set(host, site);
  };

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
    company.site = siteFactory.companySite(company, r);
    company.linkedin = linkedinCompanyFor(company, seed, linkedinTaken);
    companies.push(company);
    byUen.set(company.uen, company);
    const key = nameKey(company.name);
    if (!byKey.has(key)) byKey.set(key, company);
    if (company.site) register(company.site);
  }
  for (const company of companies) {
    const decoy = siteFactory.decoyFor(company);
    if (decoy) register(decoy);
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

  const mailFacts = (domain: string) => mailDomainFacts(hostIndex.get(domain), staffFor);

  let searchIndex: ((q: string, o?: SearchOptions) => SearchResult[]) | undefined;
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
      searchIndex ??= createSearchIndex(webSearchDocuments(sites, companies));
      return searchIndex(query, options);
    },
    extractUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return null;
      }
      if (parsed.hostname === DIRECTORY_HOST) return directoryListingText(companies, parsed.pathname);
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
      return staffFor(company).map((e) => employeeStub(company, e));
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
      return hit ? profileOf(hit.company, hit.employee) : null;
    },
    emailVerdict: (email) => emailVerdict(email, mailFacts, seed),
    emailStatus: (email) => emailVerdict(email, mailFacts, seed).status,
    truth(uen) {
      const company = byUen.get(uen);
      return company ? truthOf(company) : undefined;
    },
  };
}
