/**
 * What the demo registry rows are made of: industry themes (SSIC codes with
 * the words and activities that go with them), name stems, streets with their
 * postal sectors, buildings, audit firms, entity kinds and statuses with their
 * shares in real ACRA files, and the hand-picked demo companies.
 */
export type Theme = { weight: number; codes: string[]; words: string[]; activities: string[] };

export const THEMES: Theme[] = [
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

export const NAME_STEMS = [
  "LION CITY", "MERLION", "ORCHID", "SUNRISE", "EVERBRIGHT", "KAMPONG", "STRAITS", "PENINSULA", "HARBOUR", "MARINA", "CHANGI", "JURONG",
  "BEDOK", "TIONG BAHRU", "KATONG", "NOVENA", "GOLDEN", "JADE", "PEARL", "DRAGON", "PHOENIX", "TIGER", "BLUE OCEAN", "GREENFIELD",
  "SILVERLINE", "NORTHSTAR", "ZENITH", "APEX", "PINNACLE", "SUMMIT", "HORIZON", "NEXUS", "VERTEX", "QUANTUM", "NOVA", "AURORA", "ATLAS",
  "ORION", "KINETIC", "BRIGHTWAY", "TRUEVIEW", "PRIME", "UNITED", "GLOBAL", "ASIA PACIFIC", "EASTERN", "OCEANIC", "TRINITY", "RED DOT",
  "BUKIT", "TANJONG", "SENTOSA", "SERANGOON", "PAYA LEBAR", "KALLANG", "BISHAN", "TAMPINES", "WOODLANDS", "PUNGGOL", "SELETAR", "CLEMENTI",
  "TAN", "LIM", "LEE", "NG", "ONG", "WONG", "GOH", "CHUA", "CHAN", "KOH", "TEO", "ANG", "YEO", "TAY", "HO", "LOW", "TOH", "SIM", "CHONG",
  "CHIA", "KUMAR", "RAJ", "SINGH", "RAHMAN", "ISMAIL", "HASSAN", "PILLAY", "NAIR", "MENON", "LAU", "QUEK", "FOO", "SEAH", "PHUA",
  "ALPHA", "OMEGA", "SIGMA", "INFINITY", "EVERGREEN", "ACE", "ELITE", "FIRST", "ROYAL", "GRAND", "SMART", "SWIFT", "VISTA", "ZEN", "KAIZEN",
];

export const STREETS: ReadonlyArray<readonly [string, string]> = [
  ["ROBINSON ROAD", "06"], ["CECIL STREET", "06"], ["RAFFLES PLACE", "04"], ["SHENTON WAY", "06"], ["ORCHARD ROAD", "23"], ["BEACH ROAD", "18"],
  ["NORTH BRIDGE ROAD", "18"], ["TELOK AYER STREET", "06"], ["AMOY STREET", "06"], ["MARINA BOULEVARD", "01"], ["TANJONG PAGAR ROAD", "08"],
  ["ALEXANDRA ROAD", "15"], ["JALAN BUKIT MERAH", "16"], ["SCIENCE PARK ROAD", "11"], ["ANG MO KIO STREET 62", "56"], ["SIN MING LANE", "57"],
  ["LORONG 6 TOA PAYOH", "31"], ["KALLANG AVENUE", "33"], ["BENDEMEER ROAD", "33"], ["SERANGOON ROAD", "21"], ["MACPHERSON ROAD", "34"],
  ["PAYA LEBAR ROAD", "40"], ["TAI SENG STREET", "53"], ["UBI AVENUE 1", "40"], ["KAKI BUKIT ROAD 4", "41"], ["CHANGI BUSINESS PARK CRESCENT", "48"],
  ["LOYANG WAY", "50"], ["TAMPINES STREET 92", "52"], ["HOUGANG AVENUE 7", "53"], ["YISHUN INDUSTRIAL STREET 1", "76"],
  ["WOODLANDS INDUSTRIAL PARK E1", "75"], ["JURONG WEST STREET 42", "64"], ["BOON LAY WAY", "60"], ["PIONEER ROAD", "62"], ["TUAS AVENUE 2", "63"],
  ["BUKIT BATOK CRESCENT", "65"], ["EAST COAST ROAD", "42"], ["UPPER THOMSON ROAD", "57"], ["HOLLAND ROAD", "27"], ["JOO CHIAT ROAD", "42"],
];

export const BUILDINGS = [
  "OCBC CENTRE", "SUNTEC TOWER ONE", "THE CENTRAL", "INTERNATIONAL PLAZA", "OUE DOWNTOWN", "ONE RAFFLES PLACE", "TECHPLACE II", "UBI TECHPARK",
  "PAYA LEBAR SQUARE", "CHANGI CITY POINT", "NORTHSTAR @ AMK", "WCEGA TOWER", "THE ENTERPRISE HUB", "KALLANG BASIN INDUSTRIAL ESTATE", "BIZHUB",
  "JTC SPACE @ TUAS", "THE SIRIUS", "CAPITAL TOWER", "CHINATOWN POINT", "HUDSON TECHNOPARK", "MAPLETREE BUSINESS CITY", "LOYANG OFFSHORE SUPPLY BASE",
];

export const AUDIT_FIRMS: ReadonlyArray<readonly [string, string]> = [
  ["T08LL0001B", "ERNST & YOUNG LLP"], ["T08LL0002C", "KPMG LLP"], ["T09LL0003D", "PRICEWATERHOUSECOOPERS LLP"], ["T08LL0004E", "DELOITTE & TOUCHE LLP"],
  ["T10LL0005F", "BAKER TILLY TFW LLP"], ["T09LL0006G", "RSM SG ASSURANCE LLP"], ["T12LL0007H", "BDO LLP"], ["T15LL0008J", "FORVIS MAZARS LLP"],
];

export const FOREIGN_CITIES = ["HONG KONG", "SHANGHAI", "LONDON", "NEW YORK", "KUALA LUMPUR", "JAKARTA", "TOKYO", "SYDNEY", "MUMBAI", "SEOUL"];

export type Kind = "local" | "public" | "foreign" | "business" | "llp" | "lp" | "paf";

export const KINDS: ReadonlyArray<readonly [Kind, number]> = [
  ["local", 56], ["public", 1], ["foreign", 3], ["business", 30], ["llp", 8], ["lp", 1], ["paf", 1],
];

export const ENTITY_TYPE: Record<Kind, string> = {
  local: "Local Company", public: "Local Company", foreign: "Foreign Company", business: "Sole Proprietorship/ Partnership",
  llp: "Limited Liability Partnership", lp: "Limited Partnership", paf: "Public Accounting Firm",
};

export const COMPANY_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["Live Company", 62], ["Struck Off", 24], ["Gazetted to be Struck Off", 3], ["Dissolved - Members' Voluntary Winding Up", 3],
  ["In Liquidation - Creditors' Voluntary Winding Up", 2], ["Dissolved - Compulsory Winding Up", 2], ["Amalgamated", 1], ["Converted to LLP", 1],
  ["Live", 2],
];
export const OTHER_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["Live", 58], ["Cancelled", 22], ["Ceased Registration", 12], ["Expired", 5], ["Struck Off", 3],
];

export const LETTERS = "ABCDEFGHJKLMNRWXZ";
export type DemoCompany = { uen: string; name: string; code: string; status: string; incorporated: string; street: number; activity?: string };

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
