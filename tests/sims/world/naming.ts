/**
 * How real companies turn a registry name into a brand and a domain. This is
 * the world's own model of naming, deliberately written apart from the
 * crawler's domain discovery so the discovery is tested, not mirrored.
 */
const LEGAL_SUFFIX = /\s*\b(PTE\.?\s*LTD\.?|PRIVATE\s+LIMITED|PTE\.?\s*LIMITED|LIMITED|LTD\.?|LLP|LLC|INC\.?|CORP(ORATION)?\.?)\s*$/i;
const LOCAL_MARKERS = /\s*(\(S\)|\(SINGAPORE\)|\bSINGAPORE\b|\bS'PORE\b|\(PTE\)|\bSG\b)\s*/gi;

/** Words that brands drop from their domains ("ZENITH LOGISTICS" often lives at zenith.com.sg). */
export const TRADE_WORDS = new Set([
  "technologies",
  "technology",
  "tech",
  "labs",
  "software",
  "digital",
  "systems",
  "solutions",
  "services",
  "service",
  "infotech",
  "networks",
  "computer",
  "consulting",
  "consultancy",
  "consultants",
  "advisory",
  "partners",
  "strategy",
  "media",
  "creative",
  "communications",
  "marketing",
  "studio",
  "agency",
  "logistics",
  "freight",
  "shipping",
  "transport",
  "express",
  "construction",
  "builders",
  "contractors",
  "renovation",
  "building",
  "engineering",
  "engineers",
  "technical",
  "industries",
  "manufacturing",
  "precision",
  "metal",
  "plastics",
  "trading",
  "enterprise",
  "import",
  "export",
  "supplies",
  "distribution",
  "retail",
  "store",
  "boutique",
  "mart",
  "lifestyle",
  "food",
  "catering",
  "kitchen",
  "restaurant",
  "capital",
  "financial",
  "asset",
  "management",
  "holdings",
  "wealth",
  "realty",
  "properties",
  "development",
  "estates",
  "property",
  "education",
  "academy",
  "learning",
  "training",
  "school",
  "medical",
  "healthcare",
  "clinic",
  "health",
  "dental",
  "associates",
  "corporate",
  "accounting",
  "chambers",
  "manpower",
  "hr",
  "talent",
  "recruitment",
  "facility",
  "cleaning",
  "security",
  "maintenance",
  "group",
  "international",
  "asia",
  "global",
  "pacific",
]);

export function coreName(registryName: string): string {
  return registryName.replace(LEGAL_SUFFIX, "").replace(LOCAL_MARKERS, " ").replace(/\s+/g, " ").trim();
}

export function tokens(core: string): string[] {
  return core
    .toLowerCase()
    .replace(/&/g, " & ")
    .replace(/[^a-z0-9&\s]/g, "")
    .split(/\s+/)
    .filter(Boolean);
}

/** "ZENITH LOGISTICS (S) PTE. LTD." → "Zenith Logistics"; short all-caps words stay acronyms. */
export function brandName(registryName: string): string {
  return coreName(registryName)
    .split(" ")
    .map((w) => (w.length <= 3 && !/^(AND|THE|OF)$/.test(w) && /^[A-Z&]+$/.test(w) ? w : w.charAt(0) + w.slice(1).toLowerCase()))
    .join(" ");
}

export type LabelStyle = "joined" | "short" | "hyphen";

export function domainLabel(registryName: string, style: LabelStyle, ampersand: "and" | "drop"): string | undefined {
  const words = tokens(coreName(registryName)).flatMap((w) => (w === "&" ? (ampersand === "and" ? ["and"] : []) : [w]));
  if (words.length === 0) return undefined;
  let chosen = words;
  if (style === "short") {
    const kept = [...words];
    while (kept.length > 1 && (TRADE_WORDS.has(kept[kept.length - 1]!) || kept[kept.length - 1] === "and")) kept.pop();
    if (kept.length === words.length) return undefined;
    chosen = kept;
  }
  const label = style === "hyphen" ? chosen.join("-") : chosen.join("");
  return label.length >= 2 && label.length <= 63 ? label : undefined;
}

/** What the name looks like when normalized for tolerant lookups. */
export function nameKey(name: string): string {
  return tokens(coreName(name.toUpperCase()))
    .map((w) => (w === "&" ? "and" : w))
    .join(" ");
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
