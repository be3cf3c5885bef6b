import { Readable } from "node:stream";
import { ACRA_COLUMN_NAMES, LEGACY_ONLY_COLUMNS } from "./acra-columns";
import { ssicTitle } from "./ssic-2020";

/**
 * Realistic, deterministic rows in the format of ACRA's "Information on
 * Corporate Entities" CSVs: plausible Singapore names, UENs of the right
 * shapes, SSIC 2020 codes with their titles, statuses, dates, addresses with
 * postal codes that match their streets, `na` for missing values, and (unless
 * turned off) a few malformed rows and duplicate UENs like real files have.
 */
export type SampleOptions = {
  rows: number;
  seed?: number;
  /** Share of rows deliberately broken (bad date, missing UEN, wrong field count…). Default 0.002. */
  malformedRate?: number;
  /** Share of rows repeating an earlier UEN with changed details. Default 0.001. */
  duplicateRate?: number;
  /** "legacy" is the 94-column layout; "current" drops no_of_charges and paid_up_capital* (53 columns). */
  layout?: "legacy" | "current";
  /** Start with the hand-picked demo companies (CODIGO PTE. LTD. and others). Default true. */
  includeDemoCompanies?: boolean;
  /** The "today" of the data set; dates are drawn before it. Default 2026-09-30. */
  asOf?: string;
};

type Row = Record<string, string>;

/** Small, fast, seedable PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
  };
}
type Rng = ReturnType<typeof prng>;

type Theme = { weight: number; codes: string[]; words: string[]; activities: string[] };

const THEMES: Theme[] = [
  { weight: 10, codes: ["62011", "62011", "62011", "62021", "62023", "62090", "62013", "62022", "63111", "58202", "62012", "63120"],
    words: ["TECHNOLOGIES", "LABS", "DIGITAL", "SOFTWARE", "SYSTEMS", "INNOVATIONS", "AI", "CLOUD", "DATA", "TECH", "APPS", "INFOTECH"],
    activities: ["SAAS PLATFORM FOR SMES", "MOBILE APP DEVELOPMENT", "CLOUD SOFTWARE SOLUTIONS", "IT CONSULTANCY AND SYSTEMS INTEGRATION", "DATA ANALYTICS PLATFORM", "CYBERSECURITY SOLUTIONS"] },
  { weight: 4, codes: ["64999", "64920", "66199", "66192", "66121", "66301", "66220", "65121"],
    words: ["CAPITAL", "PAY", "FINANCE", "FINTECH", "WEALTH", "INVESTMENTS", "CREDIT", "ASSET MANAGEMENT"],
    activities: ["DIGITAL PAYMENT SERVICES", "PEER-TO-PEER LENDING PLATFORM", "FUND MANAGEMENT", "REMITTANCE SERVICES"] },
  { weight: 2, codes: ["64200", "70100"], words: ["HOLDINGS", "GROUP", "INVESTMENT HOLDINGS", "VENTURES"], activities: ["INVESTMENT HOLDING"] },
  { weight: 6, codes: ["52291", "52101", "52102", "49300", "53200", "50012", "52299", "51010"],
    words: ["LOGISTICS", "FREIGHT", "EXPRESS", "SUPPLY CHAIN", "SHIPPING", "TRANSPORT", "CARGO", "MOVERS"],
    activities: ["FREIGHT FORWARDING", "LAST-MILE DELIVERY", "COLD CHAIN LOGISTICS", "WAREHOUSING AND DISTRIBUTION"] },
  { weight: 7, codes: ["56111", "56111", "56112", "56121", "56201", "56301"],
    words: ["KITCHEN", "FOOD", "CAFE", "EATERY", "F&B", "DINING", "CATERING", "BISTRO", "NOODLE HOUSE", "COFFEE"],
    activities: ["RESTAURANT", "CAFE AND BAKERY", "CATERING SERVICES", "HAWKER STALL OPERATOR"] },
  { weight: 2, codes: ["10712", "10750", "10799", "11041"], words: ["FOOD INDUSTRIES", "BAKEHOUSE", "FOODS", "BEVERAGES"], activities: ["CENTRAL KITCHEN", "MANUFACTURE OF SNACKS"] },
  { weight: 5, codes: ["25920", "28199", "26112", "22209", "33110", "30110", "32501", "18113", "20111", "21012", "26201"],
    words: ["MANUFACTURING", "INDUSTRIES", "PRECISION", "ENGINEERING", "PLASTICS", "METAL WORKS", "ELECTRONICS", "MARINE"],
    activities: ["PRECISION MACHINING", "CONTRACT MANUFACTURING", "SEMICONDUCTOR TESTING", "SHIP REPAIR"] },
  { weight: 9, codes: ["41001", "41002", "42101", "43210", "43220", "43301", "43301", "43909"],
    words: ["CONSTRUCTION", "BUILDERS", "CONTRACTORS", "RENOVATION", "M&E ENGINEERING", "INTERIOR", "BUILDING SERVICES"],
    activities: ["RENOVATION WORKS", "ELECTRICAL INSTALLATION", "GENERAL BUILDING CONTRACTOR", "PLUMBING AND SANITARY WORKS"] },
  { weight: 13, codes: ["46900", "46900", "46100", "46302", "46441", "46511", "46530"],
    words: ["TRADING", "ENTERPRISE", "IMPORT & EXPORT", "SUPPLIES", "DISTRIBUTION", "INTERNATIONAL", "RESOURCES", "COMMODITIES"],
    activities: ["GENERAL TRADING", "IMPORT AND EXPORT OF FOOD PRODUCTS", "DISTRIBUTION OF ELECTRONIC COMPONENTS", "SUPPLY OF INDUSTRIAL EQUIPMENT"] },
  { weight: 6, codes: ["47910", "47711", "47741", "47110"], words: ["RETAIL", "STORE", "BOUTIQUE", "MART", "LIFESTYLE", "COLLECTIVE"],
    activities: ["ONLINE RETAIL OF APPAREL", "RETAIL OF COSMETICS", "E-COMMERCE"] },
  { weight: 5, codes: ["68101", "68104", "68201"], words: ["PROPERTIES", "REALTY", "DEVELOPMENT", "LAND", "ESTATES"], activities: ["PROPERTY DEVELOPMENT", "REAL ESTATE AGENCY"] },
  { weight: 8, codes: ["70201", "70201", "70204", "74909", "71121", "71129", "71111", "71200", "73100", "73200", "74101", "82110", "82300"],
    words: ["CONSULTING", "ADVISORY", "PARTNERS", "ASSOCIATES", "MANAGEMENT", "MEDIA", "CREATIVE", "COMMUNICATIONS", "DESIGN", "STUDIO"],
    activities: ["BUSINESS CONSULTANCY", "DIGITAL MARKETING AGENCY", "EVENT MANAGEMENT", "INTERIOR DESIGN", "ENGINEERING CONSULTANCY"] },
  { weight: 2, codes: ["69101"], words: ["LAW CORPORATION", "LEGAL", "LAW PRACTICE"], activities: ["LEGAL SERVICES"] },
  { weight: 3, codes: ["69201", "69202", "69203"], words: ["ACCOUNTING SERVICES", "CORPORATE SERVICES", "ASSURANCE", "TAX ADVISORY"], activities: ["BOOKKEEPING AND CORPORATE SECRETARIAL"] },
  { weight: 3, codes: ["86201", "86202", "86203", "86909", "87101"], words: ["MEDICAL", "CLINIC", "HEALTH", "DENTAL", "AESTHETICS", "WELLNESS"], activities: ["GENERAL PRACTICE CLINIC", "DENTAL CLINIC", "PHYSIOTHERAPY"] },
  { weight: 3, codes: ["85501", "85509", "85491", "85101"], words: ["EDUCATION", "LEARNING", "ACADEMY", "TUITION CENTRE", "ENRICHMENT"], activities: ["TUITION CENTRE", "CORPORATE TRAINING", "PRESCHOOL"] },
  { weight: 2, codes: ["81211", "81291", "81300", "81100"], words: ["CLEANING SERVICES", "FACILITY SERVICES", "ENVIRONMENTAL SERVICES", "MAINTENANCE"], activities: ["OFFICE CLEANING", "PEST CONTROL", "FACILITIES MANAGEMENT"] },
  { weight: 1, codes: ["80100", "80200"], words: ["SECURITY SERVICES", "SECURITY AGENCY", "PROTECTION"], activities: ["SECURITY GUARD SERVICES", "CCTV INSTALLATION"] },
  { weight: 2, codes: ["78101", "78104"], words: ["EMPLOYMENT AGENCY", "MANPOWER", "RECRUITMENT", "TALENT"], activities: ["EMPLOYMENT AGENCY", "EXECUTIVE SEARCH"] },
  { weight: 3, codes: ["96021", "96022", "96092", "93121", "79102", "55101", "90001", "95110", "77101", "38301", "35101", "61201", "59111", "01120", "03201", "75000", "72101", "88101", "94991"],
    words: ["SERVICES", "STUDIO", "HUB", "WORKS", "CONCEPTS", "SOLUTIONS"], activities: ["HAIR SALON", "FITNESS STUDIO", "TRAVEL AGENCY", "HYDROPONIC FARM", "VIDEO PRODUCTION"] },
];

const NAME_STEMS = [
  "LION CITY", "MERLION", "ORCHID", "SUNRISE", "EVERBRIGHT", "KAMPONG", "STRAITS", "PENINSULA", "HARBOUR", "MARINA", "CHANGI", "JURONG",
  "BEDOK", "TIONG BAHRU", "KATONG", "NOVENA", "GOLDEN", "JADE", "PEARL", "DRAGON", "PHOENIX", "TIGER", "BLUE OCEAN", "GREENFIELD",
  "SILVERLINE", "NORTHSTAR", "ZENITH", "APEX", "PINNACLE", "SUMMIT", "HORIZON", "NEXUS", "VERTEX", "QUANTUM", "NOVA", "AURORA", "ATLAS",
  "ORION", "KINETIC", "BRIGHTWAY", "TRUEVIEW", "PRIME", "UNITED", "GLOBAL", "ASIA PACIFIC", "EASTERN", "OCEANIC", "TRINITY", "RED DOT",
  "BUKIT", "TANJONG", "SENTOSA", "SERANGOON", "PAYA LEBAR", "KALLANG", "BISHAN", "TAMPINES", "WOODLANDS", "PUNGGOL", "SELETAR", "CLEMENTI",
  "TAN", "LIM", "LEE", "NG", "ONG", "WONG", "GOH", "CHUA", "CHAN", "KOH", "TEO", "ANG", "YEO", "TAY", "HO", "LOW", "TOH", "SIM", "CHONG",
  "CHIA", "KUMAR", "RAJ", "SINGH", "RAHMAN", "ISMAIL", "HASSAN", "PILLAY", "NAIR", "MENON", "LAU", "QUEK", "FOO", "SEAH", "PHUA",
  "ALPHA", "OMEGA", "SIGMA", "INFINITY", "EVERGREEN", "ACE", "ELITE", "FIRST", "ROYAL", "GRAND", "SMART", "SWIFT", "VISTA", "ZEN", "KAIZEN",
];

const STREETS: ReadonlyArray<readonly [string, string]> = [
  ["ROBINSON ROAD", "06"], ["CECIL STREET", "06"], ["RAFFLES PLACE", "04"], ["SHENTON WAY", "06"], ["ORCHARD ROAD", "23"], ["BEACH ROAD", "18"],
  ["NORTH BRIDGE ROAD", "18"], ["TELOK AYER STREET", "06"], ["AMOY STREET", "06"], ["MARINA BOULEVARD", "01"], ["TANJONG PAGAR ROAD", "08"],
  ["ALEXANDRA ROAD", "15"], ["JALAN BUKIT MERAH", "16"], ["SCIENCE PARK ROAD", "11"], ["ANG MO KIO STREET 62", "56"], ["SIN MING LANE", "57"],
  ["LORONG 6 TOA PAYOH", "31"], ["KALLANG AVENUE", "33"], ["BENDEMEER ROAD", "33"], ["SERANGOON ROAD", "21"], ["MACPHERSON ROAD", "34"],
  ["PAYA LEBAR ROAD", "40"], ["TAI SENG STREET", "53"], ["UBI AVENUE 1", "40"], ["KAKI BUKIT ROAD 4", "41"], ["CHANGI BUSINESS PARK CRESCENT", "48"],
  ["LOYANG WAY", "50"], ["TAMPINES STREET 92", "52"], ["HOUGANG AVENUE 7", "53"], ["YISHUN INDUSTRIAL STREET 1", "76"],
  ["WOODLANDS INDUSTRIAL PARK E1", "75"], ["JURONG WEST STREET 42", "64"], ["BOON LAY WAY", "60"], ["PIONEER ROAD", "62"], ["TUAS AVENUE 2", "63"],
  ["BUKIT BATOK CRESCENT", "65"], ["EAST COAST ROAD", "42"], ["UPPER THOMSON ROAD", "57"], ["HOLLAND ROAD", "27"], ["JOO CHIAT ROAD", "42"],
];

const BUILDINGS = [
  "OCBC CENTRE", "SUNTEC TOWER ONE", "THE CENTRAL", "INTERNATIONAL PLAZA", "OUE DOWNTOWN", "ONE RAFFLES PLACE", "TECHPLACE II", "UBI TECHPARK",
  "PAYA LEBAR SQUARE", "CHANGI CITY POINT", "NORTHSTAR @ AMK", "WCEGA TOWER", "THE ENTERPRISE HUB", "KALLANG BASIN INDUSTRIAL ESTATE", "BIZHUB",
  "JTC SPACE @ TUAS", "THE SIRIUS", "CAPITAL TOWER", "CHINATOWN POINT", "HUDSON TECHNOPARK", "MAPLETREE BUSINESS CITY", "LOYANG OFFSHORE SUPPLY BASE",
];

const AUDIT_FIRMS: ReadonlyArray<readonly [string, string]> = [
  ["T08LL0001B", "ERNST & YOUNG LLP"], ["T08LL0002C", "KPMG LLP"], ["T09LL0003D", "PRICEWATERHOUSECOOPERS LLP"], ["T08LL0004E", "DELOITTE & TOUCHE LLP"],
  ["T10LL0005F", "BAKER TILLY TFW LLP"], ["T09LL0006G", "RSM SG ASSURANCE LLP"], ["T12LL0007H", "BDO LLP"], ["T15LL0008J", "FORVIS MAZARS LLP"],
];

const FOREIGN_CITIES = ["HONG KONG", "SHANGHAI", "LONDON", "NEW YORK", "KUALA LUMPUR", "JAKARTA", "TOKYO", "SYDNEY", "MUMBAI", "SEOUL"];

type Kind = "local" | "public" | "foreign" | "business" | "llp" | "lp" | "paf";

const KINDS: ReadonlyArray<readonly [Kind, number]> = [
  ["local", 56], ["public", 1], ["foreign", 3], ["business", 30], ["llp", 8], ["lp", 1], ["paf", 1],
];

const ENTITY_TYPE: Record<Kind, string> = {
  local: "Local Company", public: "Local Company", foreign: "Foreign Company", business: "Sole Proprietorship/ Partnership",
  llp: "Limited Liability Partnership", lp: "Limited Partnership", paf: "Public Accounting Firm",
};

const COMPANY_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["Live Company", 62], ["Struck Off", 24], ["Gazetted to be Struck Off", 3], ["Dissolved - Members' Voluntary Winding Up", 3],
  ["In Liquidation - Creditors' Voluntary Winding Up", 2], ["Dissolved - Compulsory Winding Up", 2], ["Amalgamated", 1], ["Converted to LLP", 1],
  ["Live", 2],
];
const OTHER_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["Live", 58], ["Cancelled", 22], ["Ceased Registration", 12], ["Expired", 5], ["Struck Off", 3],
];

const LETTERS = "ABCDEFGHJKLMNRWXZ";

function pad(n: number, width: number) {
  return String(n).padStart(width, "0");
}

function isoDate(d: Date) {
  return d.toISOString().slice(0, 10);
}

/** CSV quoting as RFC 4180: only fields that need it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

type DemoCompany = { uen: string; name: string; code: string; status: string; incorporated: string; street: number; activity?: string };

/** Companies every demo world has, so a newcomer sees familiar names. */
export const DEMO_COMPANIES: readonly DemoCompany[] = [
  { uen: "201190001C", name: "CODIGO PTE. LTD.", code: "62011", status: "Live Company", incorporated: "2011-08-15", street: 6, activity: "MOBILE AND WEB APPLICATION DEVELOPMENT" },
  { uen: "201990002K", name: "NEXIUS LABS PTE. LTD.", code: "62011", status: "Live Company", incorporated: "2019-03-04", street: 12, activity: "SAAS PLATFORM FOR SALES TEAMS" },
  { uen: "202090003M", name: "JURONG DATA SYSTEMS PTE. LTD.", code: "62021", status: "Live Company", incorporated: "2020-06-22", street: 31 },
  { uen: "201590004R", name: "STRAITS PAY PTE. LTD.", code: "64999", status: "Live Company", incorporated: "2015-11-02", street: 3, activity: "DIGITAL PAYMENT SERVICES" },
  { uen: "201290005W", name: "MARINA FREIGHT LOGISTICS PTE. LTD.", code: "52291", status: "Live Company", incorporated: "2012-01-16", street: 25 },
  { uen: "201690006X", name: "LION CITY KITCHENS PTE. LTD.", code: "56111", status: "Live Company", incorporated: "2016-09-09", street: 36 },
  { uen: "200990007Z", name: "ORCHID PRECISION ENGINEERING PTE. LTD.", code: "25920", status: "Live Company", incorporated: "2009-05-28", street: 32 },
  { uen: "201790008A", name: "PAYA LEBAR BUILDERS PTE. LTD.", code: "41001", status: "Live Company", incorporated: "2017-02-13", street: 21 },
  { uen: "201090009B", name: "BLUE OCEAN TRADING PTE. LTD.", code: "46900", status: "Live Company", incorporated: "2010-10-01", street: 19 },
  { uen: "201890010C", name: "TAMPINES CLEANING SERVICES PTE. LTD.", code: "81211", status: "Live Company", incorporated: "2018-07-19", street: 27 },
  { uen: "T14LL9011D", name: "HARBOURFRONT LEGAL LLP", code: "69101", status: "Live", incorporated: "2014-04-07", street: 10 },
  { uen: "201390012E", name: "OLD CODE STUDIO PTE. LTD.", code: "62011", status: "Struck Off", incorporated: "2013-12-05", street: 8 },
];

export const SAMPLE_DEFAULT_SEED = 20_261_122;

class SampleWriter {
  private rng: Rng;
  private serials = new Map<string, number>();
  private issued: string[] = [];
  private asOf: Date;
  private themeTable: ReadonlyArray<readonly [Theme, number]>;

  constructor(private readonly options: Required<SampleOptions>, private readonly columns: readonly string[]) {
    this.rng = prng(options.seed);
    this.asOf = new Date(`${options.asOf}T00:00:00Z`);
    this.themeTable = THEMES.map((t) => [t, t.weight] as const);
    for (const d of DEMO_COMPANIES) this.issued.push(d.uen);
  }

  header(): string {
    return this.columns.join(",") + "\n";
  }

  line(row: Row): string {
    return this.columns.map((c) => csvField(row[c] ?? "na")).join(",") + "\n";
  }

  private serial(key: string, start: number, limit: number): number | undefined {
    const next = this.serials.get(key) ?? start + this.rng.int(0, 300);
    if (next >= limit) return undefined;
    this.serials.set(key, next + 1 + (this.rng.chance(0.3) ? this.rng.int(1, 3) : 0));
    return next;
  }

  private uenFor(kind: Kind, year: number): string {
    const check = this.rng.pick([...LETTERS]);
    if (kind === "local" || kind === "public") {
      for (let y = year; ; y = y >= this.asOf.getUTCFullYear() ? 1970 : y + 1) {
        const n = this.serial(`c${y}`, 1, 90_000);
        if (n !== undefined) return `${y}${pad(n, 5)}${check}`;
      }
    }
    if (kind === "business") return `${pad(this.serial("b", 53_000_000, 99_999_999)!, 8)}${check}`;
    const code = { foreign: "FC", llp: "LL", lp: "LP", paf: "PF" }[kind];
    for (let y = Math.max(year, 1990); ; y = y >= this.asOf.getUTCFullYear() ? 1990 : y + 1) {
      const n = this.serial(`${code}${y}`, 1, 9_000);
      if (n !== undefined) return `${y >= 2000 ? "T" : "S"}${pad(y % 100, 2)}${code}${pad(n, 4)}${check}`;
    }
  }

  private dateBetween(from: Date, to: Date): Date {
    const span = Math.max(0, to.getTime() - from.getTime());
    return new Date(from.getTime() + Math.floor(this.rng.next() * (span / 86_400_000)) * 86_400_000);
  }

  private incorporationDate(kind: Kind): Date {
    const r = this.rng.next();
    const yearsBack = r < 0.5 ? this.rng.next() * 10 : r < 0.8 ? 10 + this.rng.next() * 15 : 25 + this.rng.next() * (kind === "llp" ? 0 : 35);
    const d = new Date(this.asOf.getTime() - Math.floor(yearsBack * 365.25) * 86_400_000 - this.rng.int(1, 30) * 86_400_000);
    return kind === "llp" && d.getUTCFullYear() < 2005 ? new Date(Date.UTC(2005 + this.rng.int(0, 5), this.rng.int(0, 11), this.rng.int(1, 28))) : d;
  }

  private companyName(kind: Kind, theme: Theme): string {
    const stem = this.rng.pick(NAME_STEMS);
    const second = this.rng.chance(0.25) ? ` ${this.rng.pick(NAME_STEMS)}` : "";
    const word = this.rng.pick(theme.words);
    const base = `${stem}${second === ` ${stem}` ? "" : second} ${word}`;
    switch (kind) {
      case "local":
        return `${base} ${this.rng.weighted([["PTE. LTD.", 90], ["PRIVATE LIMITED", 5], ["PTE LTD", 5]] as const)}`;
      case "public":
        return `${base} ${this.rng.pick(["LIMITED", "LTD."])}`;
      case "foreign":
        return `${base} ${this.rng.pick(["LIMITED", "CORPORATION", "INC.", "CO., LTD."])}${this.rng.chance(0.5) ? " (SINGAPORE BRANCH)" : ""}`;
      case "llp":
        return `${base} LLP`;
      case "lp":
        return `${base} LP`;
      case "paf":
        return `${stem} ${this.rng.pick(["& CO.", "ASSURANCE", "PAC", "CHARTERED ACCOUNTANTS"])}`;
      case "business":
        return this.rng.chance(0.3) ? `${stem} ${this.rng.pick(["ENTERPRISE", "TRADING", "& CO.", "SERVICES", "STUDIO"])}` : base;
    }
  }

  private address(row: Row, streetIndex?: number) {
    const [street, sector] = streetIndex === undefined ? this.rng.pick(STREETS) : STREETS[streetIndex % STREETS.length]!;
    row.address_type = "LOCAL";
    row.block = `${this.rng.int(1, 999)}${this.rng.chance(0.1) ? this.rng.pick(["A", "B", "C"]) : ""}`;
    row.street_name = street;
    if (this.rng.chance(0.7)) {
      row.level_no = pad(this.rng.int(1, 40), 2);
      row.unit_no = `${pad(this.rng.int(1, 99), 2)}${this.rng.chance(0.05) ? "A" : ""}`;
    }
    if (this.rng.chance(0.45)) row.building_name = this.rng.pick(BUILDINGS);
    row.postal_code = `${sector}${pad(this.rng.int(0, 9999), 4)}`;
  }

  private ssic(row: Row, prefix: "primary" | "secondary", code: string) {
    row[`${prefix}_ssic_code`] = code;
    row[`${prefix}_ssic_description`] = ssicTitle(code) ?? "na";
  }

  company(): Row {
    const rng = this.rng;
    const kind = rng.weighted(KINDS);
    const theme = kind === "paf" ? THEMES.find((t) => t.codes.includes("69201"))! : rng.weighted(this.themeTable);
    const incorporated = this.incorporationDate(kind);
    const isCompany = kind === "local" || kind === "public" || kind === "foreign";
    const row: Row = {
      issuance_agency_id: "ACRA",
      uen: this.uenFor(kind, incorporated.getUTCFullYear()),
      entity_name: this.companyName(kind, theme),
      entity_type_description: ENTITY_TYPE[kind],
      entity_status_description: rng.weighted(isCompany ? COMPANY_STATUSES.filter(([s]) => s !== "Live") : OTHER_STATUSES),
      registration_incorporation_date: isoDate(incorporated),
      uen_issue_date: isoDate(incorporated),
    };
    if (kind === "local") row.company_type_description = rng.weighted([["Private Company Limited by Shares", 88], ["Exempt Private Company Limited by Shares", 11], ["Public Company Limited by Guarantee", 1]] as const);
    if (kind === "public") row.company_type_description = "Public Company Limited by Shares";
    if (kind === "business") row.business_constitution_description = rng.weighted([["Sole-Proprietor", 80], ["Partnership", 20]] as const);
    if (kind === "paf") row.paf_constitution_description = rng.pick(["Sole-Proprietor", "Partnership", "Limited Liability Partnership"]);
    if (kind === "foreign" && rng.chance(0.15)) {
      row.address_type = "FOREIGN";
      row.other_address_line1 = `${rng.int(1, 300)} ${rng.pick(["QUEEN'S ROAD", "NANJING ROAD", "KING STREET", "JALAN SULTAN", "MAIN STREET"])}`;
      row.other_address_line2 = rng.pick(FOREIGN_CITIES);
    } else {
      this.address(row);
    }
    if (isCompany) {
      const due = new Date(Date.UTC(this.asOf.getUTCFullYear() + (rng.chance(0.5) ? 0 : 1), incorporated.getUTCMonth(), Math.min(incorporated.getUTCDate(), 28)));
      if (rng.chance(0.8)) row.account_due_date = isoDate(due);
      if (rng.chance(0.85)) row.annual_return_date = isoDate(this.dateBetween(new Date(this.asOf.getTime() - 540 * 86_400_000), this.asOf));
      row.no_of_charges = String(rng.weighted([[0, 80], [1, 12], [2, 5], [3, 3]] as const));
      row.paid_up_capital1_currency = kind === "foreign" ? rng.pick(["UNITED STATES OF AMERICA, DOLLARS", "HONG KONG, DOLLARS", "SINGAPORE, DOLLARS"]) : "SINGAPORE, DOLLARS";
      row.paid_up_capital1_ordinary = String(rng.weighted([[1, 10], [100, 15], [1000, 10], [10000, 15], [50000, 10], [100000, 20], [500000, 8], [1000000, 8], [5000000, 4]] as const));
      if (rng.chance(0.03)) row.paid_up_capital1_preference = String(rng.int(1, 50) * 10000);
      if (rng.chance(0.22)) {
        const [firmUen, firmName] = rng.pick(AUDIT_FIRMS);
        row.uen_of_audit_firm1 = firmUen;
        row.name_of_audit_firm1 = firmName;
      }
    }
    const code = rng.pick(theme.codes);
    this.ssic(row, "primary", code);
    if (rng.chance(0.18)) row.primary_user_described_activity = rng.pick(theme.activities);
    if (rng.chance(0.35)) {
      const other = rng.chance(0.6) ? rng.pick(theme.codes) : rng.pick(rng.weighted(this.themeTable).codes);
      if (other !== code) this.ssic(row, "secondary", other);
      if (other !== code && rng.chance(0.2)) row.secondary_user_described_activity = rng.pick(theme.activities);
    }
    row.no_of_officers = String(isCompany ? rng.weighted([[1, 25], [2, 35], [3, 18], [4, 9], [5, 5], [6, 3], [8, 3], [12, 2]] as const) : rng.int(1, 3));
    if (rng.chance(0.05)) row.former_entity_name1 = this.companyName(kind, rng.weighted(this.themeTable));
    if (rng.chance(0.005)) row.former_entity_name2 = this.companyName(kind, rng.weighted(this.themeTable));
    if (rng.chance(0.01)) row.primary_user_described_activity = "";
    this.issued.push(row.uen!);
    return row;
  }

  demo(d: DemoCompany): Row {
    const row: Row = {
      issuance_agency_id: "ACRA",
      uen: d.uen,
      entity_name: d.name,
      entity_type_description: d.name.endsWith("LLP") ? "Limited Liability Partnership" : "Local Company",
      company_type_description: d.name.endsWith("LLP") ? "na" : "Private Company Limited by Shares",
      entity_status_description: d.status,
      registration_incorporation_date: d.incorporated,
      uen_issue_date: d.incorporated,
      no_of_officers: "4",
      ...(d.activity ? { primary_user_described_activity: d.activity } : {}),
    };
    this.address(row, d.street);
    this.ssic(row, "primary", d.code);
    if (!d.name.endsWith("LLP")) {
      row.paid_up_capital1_currency = "SINGAPORE, DOLLARS";
      row.paid_up_capital1_ordinary = "100000";
      row.no_of_charges = "0";
    }
    return row;
  }

  /** A row a loader must reject, with what is wrong with it. */
  malformed(): string {
    const row = this.company();
    this.issued.pop();
    const kind = this.rng.int(0, 5);
    if (kind === 0) row.registration_incorporation_date = this.rng.pick(["31/02/2019", "2019-13-01", "2019-02-30", "15-07-2026", "20190704"]);
    if (kind === 1) row.uen = "na";
    if (kind === 2) row.no_of_officers = this.rng.pick(["three", "-1", "2.5"]);
    if (kind === 3) row.entity_name = "";
    if (kind === 4) row.account_due_date = "2024-04-31";
    if (kind === 5) return this.line(row).replace(/,[^,]*\n$/, "\n");
    return this.line(row);
  }

  duplicate(): Row | undefined {
    if (this.issued.length < 10) return undefined;
    const uen = this.issued[this.rng.int(0, this.issued.length - 1)]!;
    const row = this.company();
    this.issued.pop();
    row.uen = uen;
    return row;
  }
}

function resolveOptions(options: SampleOptions): Required<SampleOptions> {
  return {
    rows: options.rows,
    seed: options.seed ?? SAMPLE_DEFAULT_SEED,
    malformedRate: options.malformedRate ?? 0.002,
    duplicateRate: options.duplicateRate ?? 0.001,
    layout: options.layout ?? "legacy",
    includeDemoCompanies: options.includeDemoCompanies ?? true,
    asOf: options.asOf ?? "2026-09-30",
  };
}

/** The CSV, header first, one line per yielded string. Same options, same bytes. */
export function* generateAcraSampleLines(options: SampleOptions): Generator<string> {
  const resolved = resolveOptions(options);
  const columns = resolved.layout === "legacy" ? ACRA_COLUMN_NAMES : ACRA_COLUMN_NAMES.filter((c) => !LEGACY_ONLY_COLUMNS.includes(c));
  const writer = new SampleWriter(resolved, columns);
  yield writer.header();
  let written = 0;
  if (resolved.includeDemoCompanies) {
    for (const demo of DEMO_COMPANIES) {
      if (written >= resolved.rows) return;
      yield writer.line(writer.demo(demo));
      written++;
    }
  }
  const rng = prng(resolved.seed ^ 0x5bd1e995);
  for (; written < resolved.rows; written++) {
    const r = rng.next();
    if (r < resolved.malformedRate) {
      yield writer.malformed();
      continue;
    }
    const duplicate = r < resolved.malformedRate + resolved.duplicateRate ? writer.duplicate() : undefined;
    yield writer.line(duplicate ?? writer.company());
  }
}

/** The sample as a byte stream, in chunks of many lines. */
export function acraSampleStream(options: SampleOptions): Readable {
  const lines = generateAcraSampleLines(options);
  return Readable.from(
    (function* () {
      let chunk = "";
      for (const line of lines) {
        chunk += line;
        if (chunk.length > 256 * 1024) {
          yield Buffer.from(chunk, "utf8");
          chunk = "";
        }
      }
      if (chunk) yield Buffer.from(chunk, "utf8");
    })(),
    { objectMode: false },
  );
}
