import { findIndustry, INDUSTRIES, industryByKey } from "~/icp/industries";
import { type SourcePage } from "./source-pages.server";

/**
 * Keywords per industry of the ICP's vocabulary (app/icp/industries.data.json),
 * by its key. The first entry wins a tie, so the list runs from specific to general.
 */
const INDUSTRY_KEYWORDS: Array<[string, RegExp]> = [
  ["logistics", /\b(logistics|freight|warehous\w*|supply chain|shipping|courier|trucking|3pl|fulfil?ment|forwarding)\b/gi],
  ["manufacturing", /\b(robot\w*|automation|autonomous|amr|agv)\b/gi],
  // Where the vocabulary has a specific label (IT services, accounting, HR, management consulting, engineering
  // services), its words count for it rather than for the broader neighbour that would otherwise win.
  ["it_services", /\b(it services|it consult\w*|managed it|it support|systems? integrat\w*|network infrastructure)\b/gi],
  ["software", /\b(software|saas|cloud|app development|platform|cybersecurity|api)\b/gi],
  ["engineering", /\b(engineering services|engineering design|engineering consult\w*|mechanical and electrical engineering|hvac)\b/gi],
  ["manufacturing", /\b(manufactur\w*|precision engineering|fabrication|machining|factory|oem|industrial)\b/gi],
  ["construction", /\b(construction|contractor|renovation|interior design|civil engineering|m&e|building works)\b/gi],
  ["food_and_beverage", /\b(restaurant|catering|f&b|food|beverage|bakery|café|cafe)\b/gi],
  ["healthcare", /\b(clinic|healthcare|medical|pharma\w*|biotech|dental|hospital)\b/gi],
  ["education", /\b(education|tuition|academy|courses?|e-?learning|school|enrichment classes)\b/gi],
  ["accounting", /\b(accounting|accountants?|audit|auditing|bookkeeping|tax filing|tax advisory|corporate secretarial)\b/gi],
  ["finance", /\b(fintech|insurance|bank\w*|payments?|wealth)\b/gi],
  ["marketing", /\b(marketing agency|digital marketing|advertising|branding|seo|social media marketing|creative agency)\b/gi],
  ["retail", /\b(retail|e-?commerce|online store|shop|boutique)\b/gi],
  ["real_estate", /\b(real estate|property|properties|realty|facilities management)\b/gi],
  ["human_resources", /\b(recruitment|recruiters?|staffing|manpower|hr services|hr outsourcing|executive search|headhunt\w*)\b/gi],
  ["consulting", /\b(management consult\w*|business consult\w*|strategy consult\w*|business strategy|process improvement)\b/gi],
  ["professional_services", /\b(consult\w*|advisory|law firm|legal services)\b/gi],
];

/** The industries whose keywords the pages use (home and about pages count double), most hits first; ties keep the list's order. */
export function industryHits(pages: readonly SourcePage[]): Array<{ key: string; hits: number }> {
  const scores = new Map<string, number>();
  for (const page of pages) {
    const weight = /about|home/i.test(page.kind) ? 2 : 1;
    const text = `${page.title}\n${page.description ?? ""}\n${page.text}`;
    for (const [key, pattern] of INDUSTRY_KEYWORDS) {
      const hits = text.match(pattern)?.length ?? 0;
      if (hits) scores.set(key, (scores.get(key) ?? 0) + hits * weight);
    }
  }
  const order = [...new Set(INDUSTRY_KEYWORDS.map(([key]) => key))];
  return order.flatMap((key) => (scores.has(key) ? [{ key, hits: scores.get(key)! }] : [])).sort((a, b) => b.hits - a.hits);
}

/** The vocabulary label whose keywords the pages use most, or null below two hits. */
export function detectIndustry(pages: readonly SourcePage[]): string | null {
  const best = industryHits(pages)[0];
  return best && best.hits > 1 ? (industryByKey(best.key)?.label ?? null) : null;
}

/** A free-text industry is kept only as long as a short label; a sentence is an about text, not an industry. */
const MAX_INDUSTRY_LABEL_CHARS = 60;

/**
 * An industry answer mapped onto the ICP's controlled vocabulary: the
 * vocabulary's label when the answer (or one of its "&", ",", "/" or "and"
 * parts) is one of its words, else null — so a sentence, or a word the ICP
 * cannot filter on, never lands in the industry column.
 */
export function vocabularyIndustry(answer: string | null | undefined): string | null {
  const text = answer?.trim();
  if (!text || text.length > MAX_INDUSTRY_LABEL_CHARS || /[.!?;:]/.test(text)) return null;
  const known = INDUSTRIES.find((i) => i.label === text);
  if (known) return known.label;
  for (const part of [text, ...text.split(/\s*(?:&|,|\/|\band\b)\s*/i)]) {
    const industry = part ? findIndustry(part) : undefined;
    if (industry) return industry.label;
  }
  return null;
}
