import { type VendorWorld, type WorldLinkedinCompany, type WorldLushaContact, type WorldPage, type WorldPerson } from "./world";

/**
 * A small, fixed world for the vendor simulators' own tests: three Singapore
 * companies, their sites, LinkedIn pages, staff and email verdicts.
 */
const li = (slug: string) => `https://www.linkedin.com/in/${slug}/`;

const companies: WorldLinkedinCompany[] = [
  {
    name: "Lion City Robotics Pte Ltd",
    linkedinUrl: "https://www.linkedin.com/company/lion-city-robotics/",
    website: "https://www.lioncityrobotics.sg",
    industry: "Automation Machinery Manufacturing",
    employeeCount: 45,
    description: "Warehouse robots and fleet software for Southeast Asian logistics operators.",
    city: "Singapore",
    country: "SG",
  },
  {
    name: "Marina Bay Logistics Pte Ltd",
    linkedinUrl: "https://www.linkedin.com/company/marina-bay-logistics/",
    website: "https://www.marinabaylogistics.com.sg",
    industry: "Transportation, Logistics, Supply Chain and Storage",
    employeeCount: 120,
    description: "Third-party logistics, bonded warehousing and cross-border trucking.",
    city: "Singapore",
    country: "SG",
  },
];

const people: WorldPerson[] = [
  {
    profileUrl: li("tan-wei-ming"),
    firstName: "Wei Ming",
    lastName: "Tan",
    title: "Co-Founder & CEO",
    companyName: "Lion City Robotics Pte Ltd",
    location: "Singapore, Singapore",
    email: "weiming.tan@lioncityrobotics.sg",
  },
  {
    profileUrl: li("priya-nair-sg"),
    firstName: "Priya",
    lastName: "Nair",
    title: "Head of Sales, APAC",
    companyName: "Lion City Robotics Pte Ltd",
    location: "Singapore",
  },
  {
    profileUrl: li("ahmad-rahman-dev"),
    firstName: "Ahmad",
    lastName: "Rahman",
    title: "Senior Software Engineer",
    companyName: "Lion City Robotics Pte Ltd",
    location: "Singapore",
  },
  {
    profileUrl: li("lim-hui-min"),
    firstName: "Hui Min",
    lastName: "Lim",
    title: "Executive Assistant to the CEO",
    companyName: "Lion City Robotics Pte Ltd",
    location: "Singapore",
  },
  {
    profileUrl: li("goh-kok-leong"),
    firstName: "Kok Leong",
    lastName: "Goh",
    title: "Managing Director",
    companyName: "Marina Bay Logistics Pte Ltd",
    location: "Singapore",
  },
  {
    profileUrl: li("sarah-ong-logistics"),
    firstName: "Sarah",
    lastName: "Ong",
    title: "Director of Business Development",
    companyName: "Marina Bay Logistics Pte Ltd",
    location: "Singapore",
  },
  {
    profileUrl: li("ravi-kumar-wh"),
    firstName: "Ravi",
    lastName: "Kumar",
    title: "Warehouse Supervisor",
    companyName: "Marina Bay Logistics Pte Ltd",
    location: "Jurong, Singapore",
  },
  // Orchard Analytics has no LinkedIn company page; its people are only found by keyword search.
  {
    profileUrl: li("daniel-chua-data"),
    firstName: "Daniel",
    lastName: "Chua",
    title: "Founder & Managing Director",
    companyName: "Orchard Analytics Pte Ltd",
    location: "Singapore",
  },
  {
    profileUrl: li("mei-ling-orchard"),
    firstName: "Mei Ling",
    lastName: "Koh",
    title: "Data Analyst",
    companyName: "Orchard Analytics Pte Ltd",
    location: "Singapore",
  },
  { profileUrl: li("jason-orchard-bakery"), firstName: "Jason", lastName: "Teo", title: "CEO", companyName: "Orchard Bakery House", location: "Singapore" },
];

const pages: WorldPage[] = [
  {
    url: "https://www.lioncityrobotics.sg/",
    title: "Lion City Robotics | Warehouse automation made in Singapore",
    text: [
      "Home\nAbout Us\nProducts\nContact",
      "Warehouse automation for Southeast Asia",
      "Lion City Robotics designs autonomous mobile robots and fleet management software that help logistics operators pick, pack and move goods faster with fewer errors.",
      "Our Products\n- AMR-200 Autonomous Mobile Robot\n- FleetOS Fleet Management Software\n- PickAssist Vision System",
      "© 2025 Lion City Robotics Pte Ltd. All rights reserved.",
    ].join("\n\n"),
    links: ["https://www.lioncityrobotics.sg/about", "https://www.lioncityrobotics.sg/contact", "https://www.lioncityrobotics.sg/products"],
  },
  {
    url: "https://www.lioncityrobotics.sg/about",
    title: "About Lion City Robotics",
    text: [
      "About Us",
      "Founded in 2016, Lion City Robotics is a Singapore robotics company building warehouse automation for third-party logistics providers, e-commerce fulfilment centres and manufacturers across Southeast Asia.",
      "Today we are a team of 45 engineers, roboticists and customer success specialists, with offices in Singapore and Kuala Lumpur.",
    ].join("\n\n"),
    links: ["https://www.lioncityrobotics.sg/"],
  },
  {
    url: "https://www.lioncityrobotics.sg/contact",
    title: "Contact Lion City Robotics",
    text: [
      "Contact Us",
      "Sales enquiries: sales@lioncityrobotics.sg\nGeneral: hello@lioncityrobotics.sg\nTel: +65 6123 4567",
      "Lion City Robotics Pte Ltd\n10 Science Park Road, #03-14 The Alpha, Singapore 117684",
    ].join("\n\n"),
    links: ["https://www.lioncityrobotics.sg/"],
  },
  {
    url: "https://www.lioncityrobotics.sg/products",
    title: "Products | Lion City Robotics",
    text: "Products\n\nAMR-200 Autonomous Mobile Robot\nCarries up to 200 kg through busy aisles.\n\nFleetOS Fleet Management Software\nOne dashboard for every robot on the floor.",
    links: ["https://www.lioncityrobotics.sg/"],
  },
  {
    url: "https://www.marinabaylogistics.com.sg/",
    title: "Marina Bay Logistics – 3PL, warehousing and trucking",
    text: [
      "Marina Bay Logistics is a third-party logistics provider offering bonded warehousing, freight forwarding and cross-border trucking between Singapore and Malaysia.",
      "Over 120 employees serve more than 300 customers from our Jurong warehouse.",
      "Email us at enquiry@marinabaylogistics.com.sg or call +65 6789 0123.",
    ].join("\n\n"),
    links: [],
  },
];

const lushaContacts: WorldLushaContact[] = [
  {
    firstName: "Daniel",
    lastName: "Chua",
    title: "Founder & Managing Director",
    companyName: "Orchard Analytics Pte Ltd",
    companyDomain: "orchardanalytics.sg",
    email: "daniel@orchardanalytics.sg",
    phone: "+65 9123 4567",
    linkedinUrl: li("daniel-chua-data"),
  },
  { firstName: "Mei Ling", lastName: "Koh", title: "Data Analyst", companyName: "Orchard Analytics Pte Ltd", companyDomain: "orchardanalytics.sg" },
];

const normalize = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\b(pte|ltd|private|limited)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
};
const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

export function createDefaultWorld(): VendorWorld {
  return {
    searchWeb(query, opts) {
      const words = normalize(query)
        .split(" ")
        .filter((w) => w.length > 2);
      return pages
        .filter((p) => !opts.includeDomains?.length || opts.includeDomains.includes(hostOf(p.url)))
        .filter((p) => !opts.excludeDomains?.includes(hostOf(p.url)))
        .map((p) => {
          const hay = normalize(`${p.title} ${p.text}`);
          const hits = words.filter((w) => hay.includes(w)).length;
          return { url: p.url, title: p.title, content: p.text.slice(0, 300), score: words.length ? hits / words.length : 0 };
        })
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, opts.maxResults);
    },
    extractUrl: (url) => pages.find((p) => sameUrl(p.url, url)),
    linkedinCompany(nameOrUrl) {
      return companies.find((c) => sameUrl(c.linkedinUrl, nameOrUrl) || normalize(c.name) === normalize(nameOrUrl));
    },
    employees(companyUrl) {
      const company = companies.find((c) => sameUrl(c.linkedinUrl, companyUrl));
      return company ? people.filter((p) => p.companyName === company.name) : [];
    },
    profile: (url) => people.find((p) => sameUrl(p.profileUrl, url)),
    searchProfiles(query) {
      const q = normalize(query);
      return people
        .filter((p) => {
          const company = normalize(p.companyName);
          const firstWord = company.split(" ")[0] ?? "";
          return q.includes(firstWord);
        })
        .map((p) => p.profileUrl);
    },
    emailStatus(email) {
      const [local = "", domain = ""] = email.toLowerCase().split("@");
      if (/^(bounce|nobody)/.test(local)) return { status: "invalid", sub_status: "mailbox_not_found" };
      if (local.startsWith("greylist")) return { status: "unknown", sub_status: "greylisted" };
      if (local.startsWith("trap")) return { status: "spamtrap", sub_status: "" };
      if (["info", "admin", "enquiry", "hello"].includes(local)) return { status: "do_not_mail", sub_status: "role_based" };
      if (domain === "marinabaylogistics.com.sg") return { status: "catch-all", sub_status: "" };
      return { status: "valid", sub_status: "" };
    },
    lushaCompany(q) {
      if (q.domain === "orchardanalytics.sg" || (q.name && normalize(q.name) === "orchard analytics")) {
        return {
          name: "Orchard Analytics Pte Ltd",
          domain: "orchardanalytics.sg",
          industry: "Data & Analytics",
          employees: "11-50",
          city: "Singapore",
          country: "Singapore",
        };
      }
      return undefined;
    },
    lushaContacts(q) {
      return lushaContacts.filter((c) => (q.domain && c.companyDomain === q.domain) || (q.name && normalize(c.companyName) === normalize(q.name)));
    },
  };
}
