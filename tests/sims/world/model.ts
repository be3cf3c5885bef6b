import { type IndustryProfile } from "./industries";

/** One row of the company registry (ACRA), as the platform knows it. */
export type RegistryCompany = { uen: string; name: string; ssicCode?: string; ssicDescription?: string };

/** How a company's own website behaves towards a crawler. */
export type SiteKind = "rich" | "thin" | "robots_disallowed" | "slow" | "error" | "redirect" | "non_html";
/** Sites on a guessable domain that belong to nobody in the registry. */
export type DecoyKind = "parked" | "namesake";

export type RobotsSpec =
  | { kind: "allow_all"; crawlDelayS?: number }
  | { kind: "missing" }
  | { kind: "disallow_all"; scope: "all_agents" | "our_bot" | "all_but_google" }
  | { kind: "disallow_paths"; paths: string[]; crawlDelayS?: number }
  | { kind: "server_error" };

export type PageKind = "home" | "about" | "contact" | "careers" | "services" | "team" | "news" | "privacy" | "brochure" | "parked";

export type Section = { heading?: string; paragraphs: string[]; items?: string[] };

export type Page = {
  path: string;
  kind: PageKind;
  title: string;
  description?: string;
  sections: Section[];
  jsonLd?: Record<string, unknown>;
  emails: string[];
  phones: string[];
  contentType: "text/html" | "application/pdf" | "application/json";
};

export type NavLink = { path: string; text: string };

export type Site = {
  /** The registered domain, e.g. codigo.com.sg. */
  domain: string;
  /** Every host that answers (the bare domain and www.). */
  hosts: string[];
  /** The host that serves pages without redirecting. */
  contentHost: string;
  kind: SiteKind | DecoyKind;
  company?: WorldCompany;
  /** search_only: the domain cannot be derived from the registry name. */
  discoverability: "guessable" | "search_only";
  robots: RobotsSpec;
  /** Per-response delay the fixture server adds. */
  latencyMs: number;
  /** "www": the bare host 301s to www.; "path": / 302s to /en/. */
  redirect?: "www" | "path";
  careers: boolean;
  /** Mail server accepts any local part (ZeroBounce "catch-all"). */
  catchAllMail: boolean;
  errorStatus: number;
  /** Has a huge news page (tests byte caps). */
  bigPage: boolean;
  homePath: string;
  /** Demo companies: every optional signal (JSON-LD, mailboxes, headcount) present. */
  showcase: boolean;
  pages(): Map<string, Page>;
};

export type Seniority = "owner" | "executive" | "director" | "manager" | "senior" | "staff" | "entry";

export type Employee = {
  id: string;
  publicIdentifier: string;
  linkedinUrl: string;
  fullName: string;
  firstName: string;
  lastName: string;
  title: string;
  seniority: Seniority;
  location: string;
  email?: string;
  about: string;
  connections: number;
  followers: number;
  startYear: number;
};

/** The fields of a harvestapi~linkedin-company item the world can vouch for. */
export type LinkedinCompany = {
  linkedinUrl: string;
  universalName: string;
  id: string;
  name: string;
  website?: string;
  employeeCount: number;
  employeeCountRange: { start: number; end: number };
  followerCount: number;
  tagline: string;
  description: string;
  industries: string[];
  specialities: string[];
  foundedOn: { year: number };
  phone: string;
  locations: Array<{ headquarter: boolean; city: string; country: string; postalCode: string; line1: string; description: string }>;
};

export type WorldCompany = RegistryCompany & {
  /** Display name without legal suffix, as the company writes it ("Codigo"). */
  brand: string;
  industry: IndustryProfile;
  headcount: number;
  founded: number;
  address: string;
  phone: string;
  site?: Site;
  linkedin?: LinkedinCompany;
};
