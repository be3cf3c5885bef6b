/**
 * Industry profiles: the vocabulary a company's site, LinkedIn page and
 * staff titles are written in. A company gets the profile of its SSIC code
 * (2-digit division, 5-digit where a division mixes trades), else of
 * keywords in its SSIC description or name.
 *
 * Longer than our ~400-line guide because it is data: one vocabulary per
 * industry, one word a line as Prettier lays them out.
 */
export type IndustryKey =
  | "software"
  | "it_services"
  | "consulting"
  | "marketing"
  | "logistics"
  | "construction"
  | "engineering"
  | "manufacturing"
  | "wholesale"
  | "retail"
  | "fnb"
  | "finance"
  | "real_estate"
  | "education"
  | "healthcare"
  | "professional"
  | "recruitment"
  | "facilities";

export type IndustryProfile = {
  key: IndustryKey;
  label: string;
  linkedinIndustry: string;
  ssic: Array<[code: string, description: string]>;
  /** Words registry names in this trade often end with. */
  nameWords: string[];
  offerings: string[];
  clients: string[];
  strengths: string[];
  /** Trade-specific roles, from senior to junior. */
  roles: string[];
  jobs: string[];
  headcount: [min: number, max: number];
};

export const INDUSTRIES: Record<IndustryKey, IndustryProfile> = {
  software: {
    key: "software",
    label: "software development",
    linkedinIndustry: "Software Development",
    ssic: [
      ["62011", "Development of software and applications (except games and cybersecurity)"],
      ["62019", "Development of software for interactive digital media (except games)"],
      ["63111", "Data analytics, processing and related activities"],
    ],
    nameWords: ["TECHNOLOGIES", "LABS", "SOFTWARE", "DIGITAL", "SYSTEMS", "TECH"],
    offerings: [
      "mobile app development",
      "web platforms",
      "cloud-native software",
      "UX and product design",
      "API integrations",
      "data dashboards",
      "e-commerce platforms",
      "AI-powered automation",
    ],
    clients: ["banks", "government agencies", "retail brands", "start-ups", "healthcare providers", "logistics firms"],
    strengths: [
      "agile delivery in two-week sprints",
      "an in-house design studio",
      "ISO 27001-aligned security practices",
      "long-term product partnerships",
      "senior engineers on every project",
    ],
    roles: [
      "Chief Technology Officer",
      "Head of Engineering",
      "Engineering Manager",
      "Product Manager",
      "Senior Software Engineer",
      "Software Engineer",
      "UX Designer",
      "QA Engineer",
      "DevOps Engineer",
      "Business Development Manager",
    ],
    jobs: ["Senior Full-Stack Engineer", "iOS Developer", "Product Designer", "QA Automation Engineer", "Engineering Intern"],
    headcount: [8, 180],
  },
  it_services: {
    key: "it_services",
    label: "IT services",
    linkedinIndustry: "IT Services and IT Consulting",
    ssic: [
      ["62021", "IT consultancy (except cybersecurity)"],
      ["62090", "Other information technology and computer service activities"],
      ["95110", "Repair of computers and peripheral equipment"],
    ],
    nameWords: ["IT SOLUTIONS", "INFOTECH", "NETWORKS", "COMPUTER SERVICES", "SYSTEMS"],
    offerings: [
      "managed IT services",
      "network infrastructure",
      "cybersecurity assessments",
      "Microsoft 365 migration",
      "IT support contracts",
      "cloud hosting",
    ],
    clients: ["SMEs", "schools", "clinics", "law firms", "manufacturers"],
    strengths: ["24/7 helpdesk", "certified Microsoft and Cisco engineers", "fixed monthly pricing", "on-site support across Singapore"],
    roles: [
      "Managing Director",
      "IT Director",
      "Service Delivery Manager",
      "Network Engineer",
      "System Engineer",
      "IT Support Engineer",
      "Account Manager",
      "Sales Executive",
    ],
    jobs: ["Network Engineer", "IT Support Technician", "Cloud Engineer"],
    headcount: [5, 120],
  },
  consulting: {
    key: "consulting",
    label: "management consulting",
    linkedinIndustry: "Business Consulting and Services",
    ssic: [
      ["70201", "Management consultancy services"],
      ["70209", "Other management consultancy activities n.e.c."],
    ],
    nameWords: ["CONSULTING", "ADVISORY", "PARTNERS", "CONSULTANCY", "STRATEGY"],
    offerings: [
      "business strategy",
      "digital transformation",
      "process improvement",
      "grant advisory (EDG, PSG)",
      "market entry into Southeast Asia",
      "change management",
    ],
    clients: ["family businesses", "multinationals", "public agencies", "SMEs"],
    strengths: ["consultants with Big Four backgrounds", "a regional network across ASEAN", "hands-on implementation support"],
    roles: ["Managing Partner", "Partner", "Director", "Principal Consultant", "Senior Consultant", "Consultant", "Business Analyst", "Associate"],
    jobs: ["Senior Consultant", "Business Analyst", "Research Associate"],
    headcount: [3, 80],
  },
  marketing: {
    key: "marketing",
    label: "marketing and advertising",
    linkedinIndustry: "Advertising Services",
    ssic: [
      ["73100", "Advertising activities"],
      ["73200", "Market research and public opinion polling"],
      ["70202", "Public relations"],
    ],
    nameWords: ["MEDIA", "CREATIVE", "COMMUNICATIONS", "MARKETING", "STUDIO", "AGENCY"],
    offerings: ["brand strategy", "social media marketing", "performance advertising", "content production", "event activations", "SEO and SEM"],
    clients: ["consumer brands", "property developers", "F&B chains", "tourism boards"],
    strengths: ["award-winning creative teams", "in-house video production", "data-driven media buying"],
    roles: [
      "Founder & Creative Director",
      "Account Director",
      "Head of Strategy",
      "Art Director",
      "Senior Account Manager",
      "Social Media Executive",
      "Copywriter",
      "Graphic Designer",
    ],
    jobs: ["Account Manager", "Content Creator", "Performance Marketing Executive"],
    headcount: [4, 90],
  },
  logistics: {
    key: "logistics",
    label: "logistics",
    linkedinIndustry: "Transportation, Logistics, Supply Chain and Storage",
    ssic: [
      ["52291", "Freight forwarding"],
      ["52101", "Warehousing"],
      ["49333", "Lorry transport services"],
    ],
    nameWords: ["LOGISTICS", "FREIGHT", "SHIPPING", "TRANSPORT", "EXPRESS"],
    offerings: ["sea and air freight forwarding", "bonded warehousing", "last-mile delivery", "customs clearance", "cold-chain storage", "project cargo"],
    clients: ["manufacturers", "e-commerce sellers", "oil and gas firms", "pharmaceutical distributors"],
    strengths: ["our own fleet of 40 trucks", "a 120,000 sq ft warehouse in Tuas", "real-time shipment tracking", "AEO-certified operations"],
    roles: [
      "Managing Director",
      "General Manager",
      "Operations Director",
      "Operations Manager",
      "Warehouse Supervisor",
      "Customer Service Executive",
      "Sales Manager",
      "Logistics Coordinator",
    ],
    jobs: ["Freight Operations Executive", "Warehouse Assistant", "Class 4 Driver"],
    headcount: [10, 400],
  },
  construction: {
    key: "construction",
    label: "building construction",
    linkedinIndustry: "Construction",
    ssic: [
      ["41001", "General contractors (building construction including major upgrading works)"],
      ["43301", "Renovation contractors"],
      ["43210", "Electrical works"],
    ],
    nameWords: ["CONSTRUCTION", "BUILDERS", "CONTRACTORS", "RENOVATION", "BUILDING"],
    offerings: ["design-and-build projects", "addition and alteration works", "interior fit-outs", "M&E installation", "HDB upgrading works", "waterproofing"],
    clients: ["property developers", "government agencies", "commercial landlords", "homeowners"],
    strengths: ["BCA-registered contractor status", "bizSAFE Level 3 certification", "a safety record of over one million accident-free man-hours"],
    roles: [
      "Managing Director",
      "Project Director",
      "Project Manager",
      "Quantity Surveyor",
      "Site Engineer",
      "Safety Coordinator",
      "Site Supervisor",
      "Project Coordinator",
    ],
    jobs: ["Site Engineer", "Quantity Surveyor", "Safety Supervisor"],
    headcount: [8, 300],
  },
  engineering: {
    key: "engineering",
    label: "engineering services",
    linkedinIndustry: "Engineering Services",
    ssic: [
      ["71122", "Engineering design and consultancy services in energy management and clean energy systems"],
      ["71129", "Engineering design and consultancy activities n.e.c."],
      ["33120", "Repair and maintenance of industrial machinery and equipment"],
    ],
    nameWords: ["ENGINEERING", "TECHNICAL SERVICES", "ENGINEERS", "M&E"],
    offerings: [
      "mechanical and electrical engineering",
      "energy audits",
      "HVAC design",
      "industrial automation",
      "solar PV installation",
      "preventive maintenance",
    ],
    clients: ["factories", "data centres", "building owners", "marine and offshore yards"],
    strengths: ["professional engineers (PE) in-house", "a 24-hour service hotline", "ISO 9001 and ISO 45001 certification"],
    roles: [
      "Managing Director",
      "Engineering Director",
      "Senior Project Engineer",
      "Project Engineer",
      "Design Engineer",
      "Service Engineer",
      "Technician",
      "Sales Engineer",
    ],
    jobs: ["Project Engineer", "M&E Technician", "Sales Engineer"],
    headcount: [6, 250],
  },
  manufacturing: {
    key: "manufacturing",
    label: "manufacturing",
    linkedinIndustry: "Manufacturing",
    ssic: [
      ["10711", "Manufacture of bread, cakes and confectionery"],
      ["25929", "Manufacture of other fabricated metal products n.e.c."],
      ["22200", "Manufacture of plastic products"],
    ],
    nameWords: ["INDUSTRIES", "MANUFACTURING", "PRECISION", "METAL", "PLASTICS"],
    offerings: ["precision machining", "sheet-metal fabrication", "contract manufacturing", "injection moulding", "OEM production", "product assembly"],
    clients: ["semiconductor firms", "medical-device makers", "food brands", "aerospace suppliers"],
    strengths: ["a 50,000 sq ft plant in Woodlands", "ISO 13485 certification", "CNC machines running three shifts"],
    roles: [
      "Managing Director",
      "Plant Manager",
      "Production Manager",
      "Quality Assurance Manager",
      "Process Engineer",
      "Production Supervisor",
      "Purchasing Executive",
      "Machine Operator",
    ],
    jobs: ["CNC Machinist", "QA Inspector", "Production Planner"],
    headcount: [15, 450],
  },
  wholesale: {
    key: "wholesale",
    label: "wholesale trading",
    linkedinIndustry: "Wholesale",
    ssic: [
      ["46900", "Wholesale trade of a variety of goods without a dominant product"],
      ["46411", "Wholesale of textiles and leather"],
      ["46302", "Wholesale of fruits and vegetables"],
    ],
    nameWords: ["TRADING", "ENTERPRISE", "IMPORT & EXPORT", "SUPPLIES", "DISTRIBUTION"],
    offerings: ["import and distribution", "industrial supplies", "food ingredients", "hardware and tools", "packaging materials", "regional re-export"],
    clients: ["restaurants", "contractors", "retailers", "hotels", "ship chandlers"],
    strengths: ["over 3,000 SKUs in stock", "next-day delivery island-wide", "exclusive distributorships for European brands"],
    roles: [
      "Director",
      "General Manager",
      "Sales Manager",
      "Procurement Manager",
      "Account Executive",
      "Sales Executive",
      "Logistics Executive",
      "Admin Executive",
    ],
    jobs: ["Sales Executive", "Storekeeper", "Accounts Assistant"],
    headcount: [3, 120],
  },
  retail: {
    key: "retail",
    label: "retail",
    linkedinIndustry: "Retail",
    ssic: [
      ["47711", "Retail sale of clothing for adults"],
      ["47910", "Retail sale via internet"],
      ["47420", "Retail sale of computer hardware and telecommunication equipment"],
    ],
    nameWords: ["RETAIL", "STORE", "BOUTIQUE", "MART", "LIFESTYLE"],
    offerings: ["curated fashion collections", "online shopping", "homeware", "consumer electronics", "corporate gifts"],
    clients: ["shoppers", "corporate buyers", "online customers"],
    strengths: ["five outlets across Singapore", "a loyalty programme with 40,000 members", "same-day delivery"],
    roles: ["Founder", "Retail Director", "E-commerce Manager", "Store Manager", "Merchandiser", "Marketing Executive", "Retail Associate"],
    jobs: ["Store Manager", "E-commerce Executive", "Retail Associate"],
    headcount: [4, 200],
  },
  fnb: {
    key: "fnb",
    label: "food and beverage",
    linkedinIndustry: "Food and Beverage Services",
    ssic: [
      ["56111", "Restaurants"],
      ["56121", "Caterers"],
      ["56123", "Food kiosks mainly for takeaway"],
    ],
    nameWords: ["F&B", "FOOD", "CATERING", "KITCHEN", "RESTAURANT"],
    offerings: ["corporate catering", "halal-certified buffets", "cafés and restaurants", "central kitchen production", "bento delivery"],
    clients: ["offices", "schools", "wedding couples", "event organisers"],
    strengths: ["a halal-certified central kitchen", "menus designed by award-winning chefs", "SFA Grade A hygiene"],
    roles: ["Founder & CEO", "Operations Director", "Executive Chef", "Outlet Manager", "Catering Sales Manager", "Sous Chef", "Service Crew"],
    jobs: ["Sous Chef", "Outlet Manager", "Catering Coordinator"],
    headcount: [6, 300],
  },
  finance: {
    key: "finance",
    label: "financial services",
    linkedinIndustry: "Financial Services",
    ssic: [
      ["66190", "Other activities auxiliary to financial service activities"],
      ["64999", "Other financial service activities, except insurance and pension funding activities n.e.c."],
      ["66221", "Insurance agencies and brokers"],
    ],
    nameWords: ["CAPITAL", "FINANCIAL", "ASSET MANAGEMENT", "HOLDINGS", "WEALTH"],
    offerings: ["wealth advisory", "fund management", "insurance broking", "trade financing", "payment solutions"],
    clients: ["high-net-worth families", "corporates", "family offices", "SMEs"],
    strengths: ["an MAS capital markets services licence", "advisers with CFA charters", "independent, fee-based advice"],
    roles: [
      "Chief Executive Officer",
      "Chief Investment Officer",
      "Managing Director",
      "Portfolio Manager",
      "Relationship Manager",
      "Compliance Manager",
      "Financial Analyst",
      "Operations Executive",
    ],
    jobs: ["Relationship Manager", "Compliance Executive", "Investment Analyst"],
    headcount: [4, 150],
  },
  real_estate: {
    key: "real_estate",
    label: "real estate",
    linkedinIndustry: "Real Estate",
    ssic: [
      ["68101", "Real estate developers"],
      ["68201", "Real estate agencies and valuation services"],
      ["68202", "Real estate management services"],
    ],
    nameWords: ["REALTY", "PROPERTIES", "DEVELOPMENT", "ESTATES", "PROPERTY"],
    offerings: ["residential sales and leasing", "commercial property management", "valuation", "property development", "facility leasing"],
    clients: ["home buyers", "landlords", "investors", "corporate tenants"],
    strengths: ["CEA-licensed agents", "a portfolio of over 200 managed properties", "two decades in the Singapore market"],
    roles: ["Managing Director", "Head of Leasing", "Property Manager", "Senior Marketing Manager", "Valuer", "Leasing Executive", "Property Officer"],
    jobs: ["Leasing Executive", "Property Officer", "Marketing Executive"],
    headcount: [4, 150],
  },
  education: {
    key: "education",
    label: "education and training",
    linkedinIndustry: "Education",
    ssic: [
      ["85501", "Tuition centres"],
      ["85409", "Training courses n.e.c."],
      ["85402", "Professional and management development training"],
    ],
    nameWords: ["EDUCATION", "ACADEMY", "LEARNING", "TRAINING", "SCHOOL"],
    offerings: [
      "SkillsFuture-eligible courses",
      "corporate training",
      "enrichment classes",
      "tuition for primary and secondary levels",
      "professional certifications",
    ],
    clients: ["parents", "working adults", "corporate HR teams", "schools"],
    strengths: ["MOE-trained teachers", "small class sizes", "WSQ-accredited programmes"],
    roles: ["Principal", "Academic Director", "Programme Manager", "Senior Trainer", "Curriculum Developer", "Teacher", "Student Services Executive"],
    jobs: ["Mathematics Teacher", "Programme Executive", "Corporate Trainer"],
    headcount: [4, 120],
  },
  healthcare: {
    key: "healthcare",
    label: "healthcare",
    linkedinIndustry: "Hospitals and Health Care",
    ssic: [
      ["86201", "Clinics and other general medical services (Western)"],
      ["86204", "Specialised medical services (Western)"],
      ["86901", "Diagnostic and laboratory services"],
    ],
    nameWords: ["MEDICAL", "HEALTHCARE", "CLINIC", "HEALTH", "DENTAL"],
    offerings: ["family medicine", "health screening", "specialist consultations", "corporate health programmes", "diagnostic imaging", "telemedicine"],
    clients: ["patients", "employers", "insurers"],
    strengths: ["MOH-licensed clinics", "CHAS and Medisave acceptance", "same-day appointments"],
    roles: [
      "Medical Director",
      "Clinic Manager",
      "General Practitioner",
      "Staff Nurse",
      "Clinic Assistant",
      "Business Development Manager",
      "Operations Executive",
    ],
    jobs: ["Staff Nurse", "Clinic Assistant", "Radiographer"],
    headcount: [5, 200],
  },
  professional: {
    key: "professional",
    label: "accounting and legal services",
    linkedinIndustry: "Accounting",
    ssic: [
      ["69201", "Accounting and auditing services"],
      ["69202", "Book-keeping services"],
      ["69100", "Legal activities"],
    ],
    nameWords: ["ASSOCIATES", "CORPORATE SERVICES", "ACCOUNTING", "CHAMBERS", "PARTNERS"],
    offerings: ["audit and assurance", "corporate secretarial services", "tax filing", "bookkeeping", "company incorporation", "payroll outsourcing"],
    clients: ["start-ups", "SMEs", "foreign companies entering Singapore", "non-profits"],
    strengths: ["ISCA-registered chartered accountants", "a fixed-fee package for start-ups", "cloud accounting on Xero"],
    roles: ["Managing Partner", "Audit Partner", "Audit Manager", "Tax Manager", "Senior Associate", "Corporate Secretarial Executive", "Accounts Executive"],
    jobs: ["Audit Associate", "Tax Executive", "Corporate Secretarial Executive"],
    headcount: [3, 90],
  },
  recruitment: {
    key: "recruitment",
    label: "recruitment and HR services",
    linkedinIndustry: "Staffing and Recruiting",
    ssic: [
      ["78104", "Employment agencies (local placement)"],
      ["78300", "Human resource provision and management functions"],
    ],
    nameWords: ["CONSULTANTS", "MANPOWER", "HR SERVICES", "TALENT", "RECRUITMENT"],
    offerings: ["executive search", "contract staffing", "payroll and HR outsourcing", "foreign worker management", "graduate hiring programmes"],
    clients: ["banks", "technology firms", "hospitals", "manufacturers"],
    strengths: ["an MOM employment agency licence", "a database of 80,000 candidates", "specialist desks for technology and finance"],
    roles: [
      "Managing Director",
      "Director of Recruitment",
      "Principal Consultant",
      "Senior Recruitment Consultant",
      "Recruitment Consultant",
      "Talent Sourcer",
      "HR Executive",
    ],
    jobs: ["Recruitment Consultant", "Talent Sourcer", "Payroll Executive"],
    headcount: [3, 100],
  },
  facilities: {
    key: "facilities",
    label: "facilities services",
    linkedinIndustry: "Facilities Services",
    ssic: [
      ["81211", "General cleaning services"],
      ["80100", "Private security activities"],
      ["81300", "Landscape care and maintenance service activities"],
    ],
    nameWords: ["SERVICES", "FACILITY MANAGEMENT", "CLEANING", "SECURITY", "MAINTENANCE"],
    offerings: ["office cleaning", "security guarding", "pest control", "landscaping", "integrated facility management"],
    clients: ["condominiums", "shopping malls", "industrial estates", "schools"],
    strengths: ["NEA-accredited cleaning business status", "bizSAFE Star certification", "a progressive wage model for all staff"],
    roles: ["Managing Director", "Operations Manager", "Contracts Manager", "Site Supervisor", "HR Manager", "Operations Executive", "Team Leader"],
    jobs: ["Site Supervisor", "Operations Executive", "Security Officer"],
    headcount: [10, 500],
  },
};

const BY_DIVISION: Record<string, IndustryKey> = {
  "10": "manufacturing",
  "11": "manufacturing",
  "20": "manufacturing",
  "22": "manufacturing",
  "25": "manufacturing",
  "26": "manufacturing",
  "28": "manufacturing",
  "32": "manufacturing",
  "33": "engineering",
  "41": "construction",
  "42": "construction",
  "43": "construction",
  "46": "wholesale",
  "45": "wholesale",
  "47": "retail",
  "49": "logistics",
  "50": "logistics",
  "51": "logistics",
  "52": "logistics",
  "53": "logistics",
  "55": "fnb",
  "56": "fnb",
  "58": "software",
  "62": "software",
  "63": "software",
  "64": "finance",
  "65": "finance",
  "66": "finance",
  "68": "real_estate",
  "69": "professional",
  "70": "consulting",
  "71": "engineering",
  "72": "engineering",
  "73": "marketing",
  "74": "marketing",
  "77": "facilities",
  "78": "recruitment",
  "80": "facilities",
  "81": "facilities",
  "82": "consulting",
  "85": "education",
  "86": "healthcare",
  "87": "healthcare",
  "95": "it_services",
};

const KEYWORDS: Array<[RegExp, IndustryKey]> = [
  [/software|app|digital|tech|labs?\b|data|ai\b/i, "software"],
  [/\bit\b|computer|network|infotech/i, "it_services"],
  [/consult|advisory|strategy/i, "consulting"],
  [/media|creative|advertis|marketing|studio/i, "marketing"],
  [/logistic|freight|shipping|transport|express|warehous/i, "logistics"],
  [/construct|builder|contractor|renovat/i, "construction"],
  [/engineer|m&e|technical/i, "engineering"],
  [/manufactur|industr|precision|metal|plastic/i, "manufacturing"],
  [/trading|import|export|supplies|wholesale|distribut/i, "wholesale"],
  [/retail|boutique|mart|store/i, "retail"],
  [/food|catering|restaurant|kitchen|café|cafe|f&b|bakery/i, "fnb"],
  [/capital|financ|wealth|asset|insurance|holdings/i, "finance"],
  [/realty|propert|estate/i, "real_estate"],
  [/education|academy|learning|training|school|tuition/i, "education"],
  [/medical|clinic|health|dental/i, "healthcare"],
  [/account|audit|legal|law|chambers|corporate services/i, "professional"],
  [/recruit|manpower|talent|staffing|hr\b/i, "recruitment"],
  [/clean|security|facilit|landscap|pest/i, "facilities"],
];

export function industryFor(company: { ssicCode?: string; ssicDescription?: string; name: string }): IndustryProfile {
  const code = company.ssicCode?.replace(/\D/g, "") ?? "";
  if (code.startsWith("62021") || code.startsWith("62090")) return INDUSTRIES.it_services;
  const byCode = BY_DIVISION[code.slice(0, 2)];
  if (byCode) return INDUSTRIES[byCode];
  for (const text of [company.ssicDescription ?? "", company.name]) {
    for (const [pattern, key] of KEYWORDS) if (pattern.test(text)) return INDUSTRIES[key];
  }
  return INDUSTRIES.consulting;
}
