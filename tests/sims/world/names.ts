import { INDUSTRIES, type IndustryKey } from "./industries";
import { rng, type Rng } from "./random";

/** A Singapore-style person: names as they appear on LinkedIn, plus how mailboxes are usually built from them. */
export type Person = { fullName: string; firstName: string; lastName: string; emailLocal: string };

const CHINESE_SURNAMES = [
  "Tan",
  "Lim",
  "Lee",
  "Ng",
  "Ong",
  "Wong",
  "Goh",
  "Chua",
  "Chan",
  "Koh",
  "Teo",
  "Ang",
  "Yeo",
  "Tay",
  "Ho",
  "Low",
  "Toh",
  "Sim",
  "Chong",
  "Chia",
  "Foo",
  "Leong",
  "Quek",
  "Seah",
  "Heng",
];
const CHINESE_GIVEN = [
  "Wei Ming",
  "Jia Hui",
  "Zhi Hao",
  "Hui Min",
  "Kai Wen",
  "Xin Yi",
  "Jun Jie",
  "Shu Ting",
  "Yong Sheng",
  "Mei Ling",
  "Wei Jie",
  "Li Ting",
  "Jia Wei",
  "Siew Ling",
  "Boon Keng",
  "Kok Wai",
  "Pei Shan",
  "Chee Keong",
  "Yi Xuan",
  "Guo Liang",
];
const ENGLISH_GIVEN = [
  "Daniel",
  "Rachel",
  "Marcus",
  "Jasmine",
  "Bryan",
  "Michelle",
  "Gabriel",
  "Cheryl",
  "Darren",
  "Vanessa",
  "Kenneth",
  "Melissa",
  "Jonathan",
  "Sharon",
  "Eugene",
  "Joanne",
  "Terence",
  "Germaine",
  "Adrian",
  "Felicia",
];
const MALAY_MALE = ["Muhammad Hafiz", "Ahmad Faizal", "Muhammad Irfan", "Khairul Anwar", "Mohamed Rizal", "Haziq", "Firdaus", "Azlan"];
const MALAY_FEMALE = ["Nur Aisyah", "Nurul Huda", "Siti Khadijah", "Farah Nadia", "Nur Syafiqah", "Aqilah", "Liyana", "Hidayah"];
const MALAY_FATHERS = ["Ismail", "Rahman", "Hassan", "Osman", "Yusof", "Salleh", "Ibrahim", "Jamal"];
const INDIAN_GIVEN = ["Arjun", "Priya", "Karthik", "Divya", "Rajesh", "Kavitha", "Suresh", "Anitha", "Vikram", "Deepa", "Ganesh", "Meera"];
const INDIAN_SURNAMES = ["Nair", "Pillai", "Raj", "Kumar", "Menon", "Krishnan", "Subramaniam", "Rao", "Singh", "Naidu"];
const EURASIAN = [
  ["James", "Pereira"],
  ["Sarah", "de Souza"],
  ["Michael", "Oliveiro"],
  ["Natalie", "Fernandez"],
  ["Oliver", "Bennett"],
  ["Emma", "Clarke"],
  ["Lucas", "Moreau"],
  ["Hannah", "Schmidt"],
] as const;

function slugPart(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z]/g, "");
}

export function personName(r: Rng): Person {
  const style = r.weighted({ chinese: 52, chineseEnglish: 18, malay: 12, indian: 11, other: 7 });
  if (style === "chinese" || style === "chineseEnglish") {
    const surname = r.pick(CHINESE_SURNAMES);
    const given = r.pick(CHINESE_GIVEN);
    if (style === "chineseEnglish") {
      const english = r.pick(ENGLISH_GIVEN);
      const full = r.chance(0.5) ? `${english} ${surname}` : `${english} ${surname} ${given}`;
      return { fullName: full, firstName: english, lastName: surname, emailLocal: `${slugPart(english)}.${slugPart(surname)}` };
    }
    const local = r.chance(0.5) ? `${slugPart(given)}.${slugPart(surname)}` : `${slugPart(surname)}${slugPart(given)}`;
    return { fullName: `${surname} ${given}`, firstName: given, lastName: surname, emailLocal: local };
  }
  if (style === "malay") {
    const male = r.chance(0.5);
    const given = r.pick(male ? MALAY_MALE : MALAY_FEMALE);
    const father = r.pick(MALAY_FATHERS);
    const full = r.chance(0.6) ? `${given} ${male ? "bin" : "binte"} ${father}` : `${given} ${father}`;
    const first = given.split(" ").at(-1)!;
    return { fullName: full, firstName: given, lastName: father, emailLocal: `${slugPart(first)}.${slugPart(father)}` };
  }
  if (style === "indian") {
    const given = r.pick(INDIAN_GIVEN);
    const surname = r.pick(INDIAN_SURNAMES);
    return { fullName: `${given} ${surname}`, firstName: given, lastName: surname, emailLocal: `${slugPart(given)}.${slugPart(surname)}` };
  }
  const [first, last] = r.pick(EURASIAN);
  return { fullName: `${first} ${last}`, firstName: first, lastName: last, emailLocal: `${slugPart(first)}.${slugPart(last)}` };
}

const STREETS = [
  ["Anson Road", "International Plaza", "079903"],
  ["Robinson Road", "Robinson 77", "068896"],
  ["Ubi Avenue 1", "Vertex", "408868"],
  ["Kaki Bukit Road 1", "Eunos Technolink", "415934"],
  ["Jurong West Street 41", "", "649413"],
  ["Tai Seng Street", "Tai Seng Exchange", "534417"],
  ["Woodlands Loop", "Woodlands Bizhub", "738099"],
  ["Toa Payoh Lorong 8", "Braddell Tech", "319260"],
  ["Cecil Street", "Cecil Court", "069533"],
  ["Tuas Avenue 10", "", "639134"],
  ["Paya Lebar Road", "Paya Lebar Square", "409051"],
  ["Science Park Road", "The Galen", "117611"],
  ["Kallang Avenue", "Aperia", "339509"],
  ["Alexandra Road", "Alexandra Technopark", "119968"],
] as const;

export function singaporeAddress(r: Rng): string {
  const [street, building, postal] = r.pick(STREETS);
  const unit = `#${String(r.int(1, 25)).padStart(2, "0")}-${String(r.int(1, 120)).padStart(2, "0")}`;
  return [`${r.int(1, 180)} ${street}`, unit, building, `Singapore ${postal}`].filter(Boolean).join(", ");
}

/** +65 6xxx xxxx office lines; +65 8/9xxx xxxx mobiles (often WhatsApp). */
export function singaporePhone(r: Rng, kind: "office" | "mobile" = "office"): string {
  const first = kind === "office" ? "6" : r.pick(["8", "9"]);
  return `+65 ${first}${r.int(100, 999)} ${r.int(1000, 9999)}`;
}

const BRANDS = [
  "Nexora",
  "Lumina",
  "Kaizen",
  "Tembusu",
  "Banyan",
  "Zenith",
  "Helix",
  "Vantage",
  "Meridian",
  "Cobalt",
  "Aurora",
  "Sterling",
  "Keystone",
  "Pinnacle",
  "Evergreen",
  "Bluewave",
  "Redhill",
  "Greenleaf",
  "Silverline",
  "Goldbridge",
  "Brightpath",
  "Northstar",
  "Oakridge",
  "Summit",
  "Harbourline",
  "Lionsgate",
  "Jadestone",
  "Azure",
  "Crimson",
  "Ember",
  "Falcon",
  "Horizon",
  "Ironwood",
  "Kestrel",
  "Lotus",
  "Monsoon",
  "Nimbus",
  "Orion",
  "Pavilion",
  "Quartz",
  "Rivulet",
  "Saffron",
  "Tidewater",
  "Umbra",
  "Verdant",
  "Willow",
  "Xenon",
  "Yarra",
  "Zephyr",
  "Amberly",
  "Bayfront",
  "Cedar",
  "Dunearn",
  "Elixir",
  "Fortis",
  "Gemini",
  "Halcyon",
  "Indigo",
  "Juniper",
  "Kinetic",
  "Lattice",
  "Mosaic",
  "Novus",
  "Opal",
  "Prism",
  "Quantix",
  "Radiant",
  "Solace",
  "Trident",
  "Unity",
  "Vertex",
  "Wavecrest",
  "Apex",
  "Beacon",
  "Catalyst",
  "Dynamo",
  "Equinox",
  "Fusion",
  "Granite",
  "Hexa",
  "Infinity",
  "Hock Seng",
  "Guan Hin",
  "Sin Huat",
  "Kim Seng",
  "Teck Lee",
  "Chye Hin",
  "Soon Lee",
  "Heng Fai",
  "Yong Tai",
  "Tong Seng",
  "Cahaya",
  "Bintang",
  "Mutiara",
  "Permata",
  "Sri Murugan",
  "Lakshmi",
  "Kaveri",
  "Mahkota",
  "Seri Jaya",
  "Maju Jaya",
];
const SURNAME_PAIRS = ["Tan", "Lim", "Ong", "Goh", "Koh", "Wong", "Chua", "Teo", "Lee", "Ng"];

export type SyntheticCompany = { uen: string; name: string; ssicCode: string; ssicDescription: string };

/** ACRA-like UEN: 4-digit year, 5 digits, check letter. */
function syntheticUen(r: Rng): string {
  return `${r.int(1995, 2023)}${String(r.int(0, 99999)).padStart(5, "0")}${r.pick("ABCDEGHKMNRWZ".split(""))}`;
}

/**
 * Registry-style names ("ZENITH LOGISTICS (S) PTE. LTD.") spread over every
 * industry, each brand used once so every company can own its domain.
 */
export function syntheticCompanies(count: number, seed: string | number = "synthetic"): SyntheticCompany[] {
  const r = rng("synthetic-companies", seed);
  const industries = Object.keys(INDUSTRIES) as IndustryKey[];
  const used = new Set<string>();
  const out: SyntheticCompany[] = [];
  let attempt = 0;
  while (out.length < count && attempt < count * 50) {
    attempt += 1;
    const profile = INDUSTRIES[r.pick(industries)];
    const [ssicCode, ssicDescription] = r.pick(profile.ssic);
    const word = r.pick(profile.nameWords);
    const brandStyle = r.weighted({ brand: 62, twoBrands: 14, surnames: 10, acronym: 8, brothers: 6 });
    let core: string;
    if (brandStyle === "brand") core = r.pick(BRANDS).toUpperCase();
    else if (brandStyle === "twoBrands") core = `${r.pick(BRANDS)} ${r.pick(BRANDS)}`.toUpperCase();
    else if (brandStyle === "surnames") core = `${r.pick(SURNAME_PAIRS)} & ${r.pick(SURNAME_PAIRS)}`.toUpperCase();
    else if (brandStyle === "brothers") core = `${r.pick(SURNAME_PAIRS)} BROTHERS`.toUpperCase();
    else core = Array.from({ length: r.int(2, 3) }, () => r.pick("ABCDEGHJKLMNPRSTW".split(""))).join("");
    const key = core.replace(/[^A-Z]/g, "");
    if (used.has(key)) continue;
    used.add(key);
    const middle = r.weighted({ word: 62, none: 20, wordS: 10, wordSingapore: 8 });
    const body = middle === "none" ? core : middle === "word" ? `${core} ${word}` : middle === "wordS" ? `${core} ${word} (S)` : `${core} ${word} SINGAPORE`;
    const suffix = r.weighted({ "PTE. LTD.": 70, "PTE LTD": 12, "PRIVATE LIMITED": 10, LLP: 4, "LTD.": 4 });
    out.push({ uen: syntheticUen(r), name: `${body} ${suffix}`, ssicCode, ssicDescription });
  }
  return out;
}

/** Companies the product docs talk about, always present in the dev world. */
export const DEMO_COMPANIES: SyntheticCompany[] = [
  {
    uen: "201012345K",
    name: "CODIGO PTE. LTD.",
    ssicCode: "62011",
    ssicDescription: "Development of software and applications (except games and cybersecurity)",
  },
  {
    uen: "201598765M",
    name: "NEXIUS LABS PTE. LTD.",
    ssicCode: "62011",
    ssicDescription: "Development of software and applications (except games and cybersecurity)",
  },
  { uen: "200812233R", name: "MERLION FREIGHT (S) PTE. LTD.", ssicCode: "52291", ssicDescription: "Freight forwarding" },
  { uen: "201734411H", name: "ORCHID & PEARL CONSULTING PTE. LTD.", ssicCode: "70201", ssicDescription: "Management consultancy services" },
  { uen: "199905566E", name: "SENG HUAT ENGINEERING PTE LTD", ssicCode: "71129", ssicDescription: "Engineering design and consultancy activities n.e.c." },
];
