/**
 * What the vendor simulators need to know about the (simulated) world. The
 * shared dev world implements this; each simulator turns the answers into its
 * vendor's wire format. Return plain facts, not vendor shapes.
 */
export type WorldPage = { url: string; title: string; text: string; links?: string[] };

export type WorldSearchHit = { url: string; title: string; content: string; score: number };

export type WorldLinkedinCompany = {
  name: string;
  /** https://www.linkedin.com/company/<slug>/ */
  linkedinUrl: string;
  website?: string;
  industry?: string;
  employeeCount?: number;
  description?: string;
  city?: string;
  country?: string;
  /** Richer facts a world may know; the simulator fills what is given. */
  id?: string;
  tagline?: string;
  specialities?: string[];
  followerCount?: number;
  foundedYear?: number;
  phone?: string;
  postalCode?: string;
  line1?: string;
};

export type WorldPerson = {
  /** https://www.linkedin.com/in/<slug>/ */
  profileUrl: string;
  firstName: string;
  lastName: string;
  title: string;
  companyName: string;
  location?: string;
  /** Public business email, when the profile shows one (rare). */
  email?: string;
  /** As the person writes it ("Teo Kok Wai"); defaults to "first last". */
  fullName?: string;
  /** LinkedIn member id (ACoAA…). */
  memberId?: string;
  /** "Founder & CEO at Codigo": what search results show as the position. */
  headline?: string;
  about?: string;
  connections?: number;
  followers?: number;
  companyIndustry?: string;
  companyWebsite?: string;
  companyLinkedin?: string;
  companySize?: string;
  /** dev_fusion's three address fields, when the world knows the parts. */
  address?: { withCountry: string; withoutCountry: string; countryOnly: string };
  startYear?: number;
};

export type WorldEmailStatus = {
  status: string;
  sub_status: string;
  freeEmail?: boolean;
  mxFound?: boolean;
  account?: string | null;
  domain?: string | null;
};

export type WorldLushaCompany = {
  name: string;
  domain: string;
  industry?: string;
  employees?: string;
  city?: string;
  country?: string;
  linkedinUrl?: string;
};

export type WorldLushaContact = {
  firstName: string;
  lastName: string;
  /** As the person writes it; defaults to "first last". */
  fullName?: string;
  title: string;
  companyName: string;
  companyDomain: string;
  email?: string;
  phone?: string;
  linkedinUrl?: string;
};

export type WorldLlmRequest = { schemaName?: string; schema?: unknown; system: string; user: string };

export interface VendorWorld {
  /** Web search (Tavily /search), best first. */
  searchWeb(query: string, opts: { maxResults: number; includeDomains?: string[]; excludeDomains?: string[] }): WorldSearchHit[];
  /** The page at a URL (Tavily /extract and /crawl); undefined when it cannot be fetched. */
  extractUrl(url: string): WorldPage | undefined;
  /** A LinkedIn company page by company name or LinkedIn URL. */
  linkedinCompany(nameOrUrl: string): WorldLinkedinCompany | undefined;
  /** People listed as working at a LinkedIn company. */
  employees(companyLinkedinUrl: string): WorldPerson[];
  /** One LinkedIn profile. */
  profile(profileUrl: string): WorldPerson | undefined;
  /** Profile URLs a keyword search finds ("<company> <title>"). */
  searchProfiles(query: string): string[];
  /** ZeroBounce's verdict for an address. */
  emailStatus(email: string): WorldEmailStatus;
  lushaCompany(q: { domain?: string; name?: string }): WorldLushaCompany | undefined;
  lushaContacts(q: { domain?: string; name?: string }): WorldLushaContact[];
  /** Optional override of the LLM's structured answer; undefined lets the simulator derive one. */
  llmAnswer?(req: WorldLlmRequest): unknown;
}
