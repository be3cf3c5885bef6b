import { type Employee, type WorldCompany } from "./model";

/**
 * The world's people as the Apify LinkedIn actors return them: the short
 * employee items of a company listing and the full profile items.
 */

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

export function employeeStub(company: WorldCompany, e: Employee): EmployeeStub {
  return {
    id: e.id,
    publicIdentifier: e.publicIdentifier,
    name: e.fullName,
    position: `${e.title} at ${company.brand}`,
    location: { linkedinText: e.location },
    linkedinUrl: e.linkedinUrl,
  };
}

/** LinkedIn's company-size bands up to 10,000 employees (above: "10,001+"). */
export const LINKEDIN_SIZE_BANDS = [
  [1, 10],
  [11, 50],
  [51, 200],
  [201, 500],
  [501, 1000],
  [1001, 5000],
  [5001, 10000],
] as const;

/** LinkedIn's company-size band for a headcount ("11-50"); the world's companies stay under 10,000. */
export function companySizeBand(n: number): string {
  const [lo, hi] = LINKEDIN_SIZE_BANDS.find(([, high]) => n <= high) ?? LINKEDIN_SIZE_BANDS.at(-1)!;
  return `${lo}-${hi}`;
}

export function profileOf(company: WorldCompany, e: Employee): Profile {
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
    companySize: companySizeBand(company.headcount),
    addressWithCountry: e.location === "Singapore" ? "Singapore, Singapore" : e.location,
    addressWithoutCountry: e.location === "Singapore" ? "Singapore" : rest.length > 1 ? `${city}, ${rest.slice(0, -1).join(", ")}` : city!,
    addressCountryOnly: country,
    email: e.email ?? null,
    about: e.about,
    connections: e.connections,
    followers: e.followers,
    experiences: [{ title: e.title, companyName: company.brand, startDate: String(e.startYear), endDate: null }],
  };
}
