import { type Employee, type NavLink, type Page, type Site, type WorldCompany } from "./model";
import { singaporePhone } from "./names";
import { rng, type Rng } from "./random";

/** Where each page lives and what the menu calls it; sites differ, as real ones do. */
export type SiteLayout = {
  about: NavLink;
  contact: NavLink;
  careers: NavLink;
  services: NavLink;
  team?: NavLink;
};

export function siteLayout(r: Rng, prefix: string): SiteLayout {
  const cms = r.chance(0.1);
  const about = cms
    ? { path: `${prefix}/page/${r.int(2, 40)}`, text: r.pick(["About Us", "Who We Are"]) }
    : r.pick([
        { path: `${prefix}/about`, text: "About" },
        { path: `${prefix}/about-us`, text: "About Us" },
        { path: `${prefix}/company/about-us`, text: "Our Company" },
        { path: `${prefix}/who-we-are`, text: "Who We Are" },
        { path: `${prefix}/our-story`, text: "Our Story" },
      ]);
  const contact = r.pick([
    { path: `${prefix}/contact`, text: "Contact" },
    { path: `${prefix}/contact-us`, text: "Contact Us" },
    { path: `${prefix}/get-in-touch`, text: "Get in Touch" },
    { path: `${prefix}/enquiry`, text: "Enquire" },
  ]);
  const careers = r.pick([
    { path: `${prefix}/careers`, text: "Careers" },
    { path: `${prefix}/jobs`, text: "Jobs" },
    { path: `${prefix}/join-us`, text: "Join Us" },
    { path: `${prefix}/careers/open-positions`, text: "We're Hiring" },
  ]);
  const services = r.pick([
    { path: `${prefix}/services`, text: "Services" },
    { path: `${prefix}/solutions`, text: "Solutions" },
    { path: `${prefix}/what-we-do`, text: "What We Do" },
  ]);
  const team = r.chance(0.3) ? { path: `${prefix}/our-team`, text: "Our Team" } : undefined;
  return { about, contact, careers, services, team };
}

function headcountHint(r: Rng, n: number): string {
  const range = n <= 10 ? "2–10" : n <= 50 ? "11–50" : n <= 200 ? "51–200" : "201–500";
  const round = n >= 20 ? Math.floor(n / 10) * 10 : n;
  return r.pick([
    `Today we are a team of ${n} people.`,
    `We have grown to ${round}+ employees.`,
    `Company size: ${range} employees.`,
    `Our ${n}-strong team serves clients across the region.`,
    `We now employ over ${round} staff in Singapore.`,
  ]);
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export type ContentInputs = {
  site: Site;
  company: WorldCompany;
  staff: Employee[];
  layout: SiteLayout;
  seed: string;
};

/** The pages of a company site with real content (every kind except thin and non-HTML). */
export function richPages({ site, company, staff, layout, seed }: ContentInputs): Page[] {
  const r = rng(seed, "content", site.domain);
  const p = company.industry;
  const brand = company.brand;
  const domain = site.domain;
  const offerings = r.pickSome(p.offerings, 4);
  const clients = r.pickSome(p.clients, 3);
  const strengths = r.pickSome(p.strengths, 2);
  const leader = staff[0];
  const leaders = staff.slice(0, Math.min(4, staff.length));
  const genericMailboxes = site.showcase || r.chance(0.55) ? r.pickSome(["info", "sales", "hello", "enquiry", "contact", "admin"], r.int(1, 2)) : [];
  const named = leader && r.chance(0.3) ? `${leader.email?.split("@")[0] ?? leader.firstName.toLowerCase().replace(/[^a-z]/g, "")}@${domain}` : undefined;
  const personal = r.chance(0.05) ? `${brand.toLowerCase().replace(/[^a-z]/g, "")}.sg@gmail.com` : undefined;
  const emails = [...genericMailboxes.map((m) => `${m}@${domain}`), ...(named ? [named] : []), ...(personal ? [personal] : [])];
  const phones = [company.phone, ...(r.chance(0.3) ? [singaporePhone(r, "mobile")] : [])];
  const tagline = r.pick([
    `${offerings[0]!.charAt(0).toUpperCase()}${offerings[0]!.slice(1)} for ${clients[0]}`,
    `Your partner in ${p.label}`,
    `Trusted ${p.label} since ${company.founded}`,
    `Building better ${p.label} for Singapore`,
  ]);
  const description = `${brand} is a Singapore ${p.label} company offering ${list(offerings.slice(0, 3))}.`;
  const hintOnHome = site.showcase || r.chance(0.3);

  const home: Page = {
    path: site.homePath,
    kind: "home",
    title: `${brand} | ${tagline}`,
    description,
    emails: r.chance(0.5) ? emails.slice(0, 1) : [],
    phones: phones.slice(0, 1),
    contentType: "text/html",
    sections: [
      {
        heading: tagline,
        paragraphs: [
          `${brand} helps ${list(clients)} with ${list(offerings.slice(0, 2))}. Founded in ${company.founded}, we combine local know-how with ${strengths[0]}.`,
          ...(hintOnHome ? [headcountHint(r, company.headcount)] : []),
        ],
      },
      {
        heading: "What we do",
        paragraphs: [`From ${offerings[0]} to ${offerings[offerings.length - 1]}, our work covers the full lifecycle.`],
        items: offerings.map((o) => o.charAt(0).toUpperCase() + o.slice(1)),
      },
      { heading: `Why ${brand}`, paragraphs: strengths.map((s) => `We offer ${s}.`) },
      { heading: "Talk to us", paragraphs: [`Call ${phones[0]} or visit our office at ${company.address}.`] },
    ],
  };
  if (site.showcase || r.chance(0.45)) {
    home.jsonLd = {
      "@context": "https://schema.org",
      "@type": r.pick(["Organization", "Corporation", "LocalBusiness"]),
      name: company.name,
      alternateName: brand,
      url: `http://${site.contentHost}/`,
      description,
      telephone: company.phone,
      ...(emails[0] ? { email: emails[0] } : {}),
      address: { "@type": "PostalAddress", streetAddress: company.address.split(", Singapore")[0], addressLocality: "Singapore", addressCountry: "SG" },
      numberOfEmployees: { "@type": "QuantitativeValue", value: company.headcount },
      ...(company.linkedin ? { sameAs: [company.linkedin.linkedinUrl] } : {}),
    };
  }

  const about: Page = {
    path: layout.about.path,
    kind: "about",
    title: `${layout.about.text} | ${brand}`,
    description: `Learn about ${brand}, our story and our people.`,
    emails: [],
    phones: [],
    contentType: "text/html",
    sections: [
      {
        heading: r.pick(["Our Story", "Who we are", "About " + brand]),
        paragraphs: [
          `${brand} was founded in ${company.founded}${leader ? ` by ${leader.fullName}` : ""} with a simple idea: ${p.label} in Singapore deserved a more dependable partner. What began as a small office has grown into a firm that ${clients[0]} and ${clients[1] ?? clients[0]} rely on every day.`,
          `We specialise in ${list(offerings)}. Our clients choose us for ${list(strengths)}, and many have worked with us for more than a decade.`,
          `${headcountHint(r, company.headcount)} Our people bring experience from across ${p.label}, and we invest in training so that every project is delivered by people who know the work first-hand.`,
        ],
      },
      {
        heading: "Mission and values",
        paragraphs: [
          `Our mission is to make ${offerings[0]} simple, transparent and reliable for ${clients[0]}. We hold ourselves to three values: integrity in every quotation, craftsmanship in every delivery, and care for the communities we work in.`,
        ],
      },
      ...(leaders.length > 1 ? [{ heading: "Leadership", paragraphs: [] as string[], items: leaders.map((e) => `${e.fullName} — ${e.title}`) }] : []),
    ],
  };

  const contact: Page = {
    path: layout.contact.path,
    kind: "contact",
    title: `${layout.contact.text} | ${brand}`,
    description: `Contact ${brand} in Singapore.`,
    emails,
    phones,
    contentType: "text/html",
    sections: [
      {
        heading: layout.contact.text,
        paragraphs: [
          `We would love to hear from you. Send us an enquiry and our team will respond within one working day.`,
          `Address: ${company.address}`,
          `Tel: ${phones.join(" / ")}`,
          ...(emails.length ? [`Email: ${emails.join(", ")}`] : [`Use the form below to reach us.`]),
          `Office hours: Monday to Friday, 9am to 6pm.`,
        ],
      },
    ],
  };

  const services: Page = {
    path: layout.services.path,
    kind: "services",
    title: `${layout.services.text} | ${brand}`,
    description: `${brand} services: ${list(offerings)}.`,
    emails: [],
    phones: [],
    contentType: "text/html",
    sections: offerings.map((o) => ({
      heading: o.charAt(0).toUpperCase() + o.slice(1),
      paragraphs: [`Our ${o} work is delivered for ${r.pick(clients)}, backed by ${r.pick(strengths)}.`],
    })),
  };

  const pages = [home, about, contact, services];
  if (site.careers) {
    const jobs = r.pickSome(p.jobs, r.int(1, p.jobs.length));
    pages.push({
      path: layout.careers.path,
      kind: "careers",
      title: `Careers | ${brand}`,
      description: `Join ${brand}. See our open positions in Singapore.`,
      emails: [`careers@${domain}`],
      phones: [],
      contentType: "text/html",
      sections: [
        { heading: "Join our team", paragraphs: [`We are always looking for people who care about ${p.label}. ${headcountHint(r, company.headcount)}`] },
        { heading: "Open positions", paragraphs: [], items: jobs.map((j) => `${j} — Singapore, Full-time`) },
        { heading: "How to apply", paragraphs: [`Send your CV to careers@${domain}. Only shortlisted candidates will be notified.`] },
      ],
    });
  }
  if (layout.team) {
    pages.push({
      path: layout.team.path,
      kind: "team",
      title: `Our Team | ${brand}`,
      emails: [],
      phones: [],
      contentType: "text/html",
      sections: staff.slice(0, 8).map((e) => ({ heading: e.fullName, paragraphs: [e.title] })),
    });
  }
  pages.push({
    path: `${site.homePath === "/" ? "" : site.homePath.replace(/\/$/, "")}/privacy-policy`,
    kind: "privacy",
    title: `Privacy Policy | ${brand}`,
    emails: r.chance(0.4) ? [`dpo@${domain}`] : [],
    phones: [],
    contentType: "text/html",
    sections: [{ heading: "Personal Data Protection", paragraphs: [`${company.name} complies with the Personal Data Protection Act 2012 (PDPA).`] }],
  });
  if (site.bigPage) {
    const article = `${brand} news: another milestone in ${p.label}. `.repeat(40);
    pages.push({
      path: "/news",
      kind: "news",
      title: `News | ${brand}`,
      emails: [],
      phones: [],
      contentType: "text/html",
      sections: Array.from({ length: 1400 }, (_, i) => ({ heading: `Update ${i + 1}`, paragraphs: [article] })),
    });
  }
  return pages;
}

export function thinPages({ site, company, seed }: ContentInputs): Page[] {
  const r = rng(seed, "thin", site.domain);
  const email = r.chance(0.5) ? `info@${site.domain}` : undefined;
  const variant = r.pick(["construction", "soon", "logo"] as const);
  const lines =
    variant === "construction"
      ? [`Our website is under construction.`, email ? `Email ${email}` : `Call ${company.phone}`]
      : variant === "soon"
        ? [`Coming soon.`]
        : [`Welcome to ${company.brand}.`, `Tel: ${company.phone}`];
  return [
    {
      path: "/",
      kind: "home",
      title: company.brand,
      emails: email ? [email] : [],
      phones: variant === "logo" ? [company.phone] : [],
      contentType: "text/html",
      sections: [{ heading: company.brand, paragraphs: lines }],
    },
  ];
}

/** A company profile PDF served as the homepage (the non-HTML kind). */
export function brochurePage({ company }: ContentInputs): Page {
  return {
    path: "/",
    kind: "brochure",
    title: `${company.brand} Company Profile`,
    emails: [],
    phones: [company.phone],
    contentType: "application/pdf",
    sections: [
      {
        heading: `${company.brand} Company Profile`,
        paragraphs: [`${company.brand} provides ${list(company.industry.offerings.slice(0, 3))} in Singapore.`, `Tel: ${company.phone}`],
      },
    ],
  };
}

export function parkedPage(domain: string, seed: string): Page {
  const r = rng(seed, "parked", domain);
  return {
    path: "/",
    kind: "parked",
    title: r.pick([`${domain} is for sale`, `${domain} - domain parked`, domain]),
    emails: [],
    phones: [],
    contentType: "text/html",
    sections: [
      {
        heading: domain,
        paragraphs: [
          r.pick([
            `This domain may be for sale. Buy ${domain} today.`,
            `${domain} is parked free, courtesy of the registrar.`,
            `The domain ${domain} is available for purchase.`,
          ]),
          "Related searches: business services, web hosting, domains.",
        ],
      },
    ],
  };
}

/** An unrelated foreign business that owns the .com of a Singapore brand. */
export function namesakePages(domain: string, brandWord: string, seed: string): Page[] {
  const r = rng(seed, "namesake", domain);
  const city = r.pick(["Madrid", "Lisbon", "Austin", "Melbourne", "Toronto", "Cape Town"]);
  const trade = r.pick(["bakery", "yoga studio", "architecture practice", "bicycle shop", "wedding photographer", "dental clinic"]);
  return [
    {
      path: "/",
      kind: "home",
      title: `${brandWord} — ${trade} in ${city}`,
      description: `${brandWord} is a family-run ${trade} in ${city}.`,
      emails: [`hola@${domain}`],
      phones: ["+1 512 555 0134"],
      contentType: "text/html",
      sections: [
        {
          heading: `Welcome to ${brandWord}`,
          paragraphs: [`${brandWord} has been a neighbourhood ${trade} in ${city} since ${r.int(1990, 2015)}. Drop by our studio or book online.`],
        },
      ],
    },
  ];
}
