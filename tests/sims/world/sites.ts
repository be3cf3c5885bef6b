import { brochurePage, namesakePages, parkedPage, richPages, siteLayout, thinPages } from "./content";
import { type DecoyKind, type Employee, type Page, type RobotsSpec, type Site, type SiteKind, type WorldCompany } from "./model";
import { domainLabel, slugify, type LabelStyle } from "./naming";
import { rng, type Rng } from "./random";

/**
 * The world's websites: a company's own site (its domain, kind, robots.txt
 * and pages), and decoys on guessable domains that belong to nobody in the
 * registry. One factory per world keeps every domain unique.
 */

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

export type SiteFactoryOptions = {
  seed: string;
  /** Added to every slow site's delay. */
  slowMs: number;
  /** The company's staff, for the pages that name people and the mailboxes they list. */
  staffFor: (company: WorldCompany) => Employee[];
};

export function createSiteFactory({ seed, slowMs, staffFor }: SiteFactoryOptions) {
  const takenDomains = new Set<string>(Object.values(DEMO_SITES).map((d) => d.domain));

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

  /** The company's own website, or none (~7 % of companies outside the demo set). */
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

  /**
   * A guessable domain of the company's name owned by somebody else: a parked
   * page, or a foreign namesake on .com. Ask once every company has its site,
   * so that no decoy takes a company's domain.
   */
  function decoyFor(company: WorldCompany): Site | undefined {
    const r = rng(seed, "decoy", company.uen);
    const label = domainLabel(company.name, "joined", "drop");
    if (!label) return undefined;
    const siteTld = company.site?.domain.endsWith(".sg") ? "sg-ish" : "other";
    if (!r.chance(company.site ? 0.18 : 0.3)) return undefined;
    const candidates = TLDS.map((t) => `${label}.${t}`).filter((d) => !takenDomains.has(d));
    const domain = siteTld === "sg-ish" ? candidates.find((d) => d.endsWith(".com")) : candidates[0];
    if (!domain) return undefined;
    takenDomains.add(domain);
    const namesake = siteTld === "sg-ish" && r.chance(0.3);
    return decoySite(domain, namesake ? "namesake" : "parked", company.brand.split(" ")[0]!);
  }

  return { companySite, decoyFor };
}
