import { type Employee, type LinkedinCompany, type Seniority, type WorldCompany } from "./model";
import { personName } from "./names";
import { slugify } from "./naming";
import { hash32, rng } from "./random";

const GENERIC_ROLES: Array<[string, Seniority]> = [
  ["Finance Manager", "manager"],
  ["HR Manager", "manager"],
  ["Marketing Manager", "manager"],
  ["Sales Manager", "manager"],
  ["Business Development Executive", "staff"],
  ["Admin Executive", "staff"],
  ["Accounts Executive", "staff"],
  ["Marketing Executive", "staff"],
  ["Sales Executive", "staff"],
  ["Intern", "entry"],
];

const LOCATIONS = [
  ["Singapore", 88],
  ["Kuala Lumpur, Malaysia", 4],
  ["Johor Bahru, Johor, Malaysia", 3],
  ["Jakarta, Indonesia", 3],
  ["Manila, Philippines", 2],
] as const;

function seniorityOf(title: string): Seniority {
  if (/founder|chief|ceo|cto|coo|managing (director|partner)|principal$/i.test(title)) return "executive";
  if (/director|head of|partner/i.test(title)) return "director";
  if (/manager|lead|supervisor/i.test(title)) return "manager";
  if (/senior|principal/i.test(title)) return "senior";
  if (/intern|trainee|assistant|crew|operator/i.test(title)) return "entry";
  return "staff";
}

/**
 * The people of a company who have public LinkedIn profiles: an owner or
 * top executive first, a few directors and managers, then staff. Some list a
 * mailbox on the company domain; a few list a personal one.
 */
export function staffOf(company: WorldCompany, seed: string): Employee[] {
  const r = rng(seed, "staff", company.uen);
  const count = Math.max(2, Math.min(40, Math.round(company.headcount * (0.35 + r.next() * 0.35))));
  const roles = company.industry.roles;
  const out: Employee[] = [];
  const usedIds = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const pr = rng(seed, "person", company.uen, i);
    const person = personName(pr);
    let title: string;
    if (i === 0) title = pr.pick(["Founder & CEO", "Managing Director", "Chief Executive Officer", "Founder & Director"]);
    else if (i < 3) title = roles[i - 1]!;
    else if (pr.chance(0.3)) title = pr.pick(GENERIC_ROLES)[0];
    else title = roles[pr.int(Math.min(3, roles.length - 1), roles.length - 1)]!;
    const seniority = i === 0 ? (/founder/i.test(title) ? "owner" : "executive") : seniorityOf(title);
    let publicIdentifier = `${slugify(`${person.firstName} ${person.lastName}`)}-${(hash32(seed, company.uen, i) % 0xfffffff).toString(16)}`;
    while (usedIds.has(publicIdentifier)) publicIdentifier += "1";
    usedIds.add(publicIdentifier);
    const location = pr.weighted(Object.fromEntries(LOCATIONS) as Record<(typeof LOCATIONS)[number][0], number>);
    const domain = company.site?.domain;
    let email: string | undefined;
    if (domain && pr.chance(i === 0 ? 0.35 : 0.2)) email = `${person.emailLocal}@${domain}`;
    else if (pr.chance(0.03)) email = `${person.emailLocal.replace(".", "")}${pr.int(1, 99)}@gmail.com`;
    const startYear = i === 0 ? company.founded : Math.max(company.founded, 2024 - pr.int(0, 12));
    out.push({
      id: `ACoAA${(hash32("member", seed, company.uen, i) % 1e9).toString(36).toUpperCase()}`,
      publicIdentifier,
      linkedinUrl: `https://www.linkedin.com/in/${publicIdentifier}`,
      fullName: person.fullName,
      firstName: person.firstName,
      lastName: person.lastName,
      title,
      seniority,
      location,
      email,
      about: `${title} at ${company.brand}. ${pr.pick([
        `Passionate about ${pr.pick(company.industry.offerings)}.`,
        `Helping ${pr.pick(company.industry.clients)} across Singapore and the region.`,
        `${pr.int(3, 25)} years of experience in ${company.industry.label}.`,
      ])}`,
      connections: pr.int(40, 500),
      followers: pr.int(40, 3000),
      startYear,
    });
  }
  return out;
}

export function linkedinCompanyFor(company: WorldCompany, seed: string, taken: Set<string>): LinkedinCompany | undefined {
  const r = rng(seed, "linkedin", company.uen);
  // The demo companies (showcase sites) are always on LinkedIn: the product docs use them.
  const present = company.site?.showcase || (company.site ? r.chance(0.6) : r.chance(0.25));
  if (!present) return undefined;
  let universalName = slugify(company.brand);
  if (taken.has(universalName)) universalName = `${universalName}-sg`;
  if (taken.has(universalName)) universalName = `${slugify(company.brand)}-pte-ltd`;
  if (taken.has(universalName)) universalName = `${slugify(company.brand)}-${company.uen.toLowerCase()}`;
  taken.add(universalName);
  const employeeCount = Math.max(1, Math.round(company.headcount * (0.5 + r.next() * 0.4)));
  const [lo, hi] = (
    [
      [2, 10],
      [11, 50],
      [51, 200],
      [201, 500],
      [501, 1000],
    ] as const
  ).find(([, max]) => company.headcount <= max) ?? [1001, 5000];
  const offerings = r.pickSome(company.industry.offerings, 3);
  const postalCode = company.address.match(/Singapore (\d{6})$/)?.[1] ?? "";
  return {
    linkedinUrl: `https://www.linkedin.com/company/${universalName}/`,
    universalName,
    id: String(10_000 + (hash32(seed, "company-id", company.uen) % 90_000_000)),
    name: company.brand,
    website: company.site ? `https://www.${company.site.domain}` : undefined,
    employeeCount,
    employeeCountRange: { start: lo, end: hi },
    followerCount: employeeCount * r.int(8, 60),
    tagline: `${company.industry.label.charAt(0).toUpperCase()}${company.industry.label.slice(1)} in Singapore`,
    description: `${company.brand} is a Singapore ${company.industry.label} company. We focus on ${offerings.join(", ")} for ${r.pick(company.industry.clients)}.`,
    industries: [company.industry.linkedinIndustry],
    specialities: offerings,
    foundedOn: { year: company.founded },
    phone: company.phone,
    locations: [
      {
        headquarter: true,
        city: "Singapore",
        country: "SG",
        postalCode,
        line1: company.address.split(", Singapore")[0] ?? company.address,
        description: "Headquarters",
      },
    ],
  };
}
