import { BOILERPLATE, blocks, byKind, dedupe, type SourcePage } from "./source-pages.server";

const SECTION_HEADER = /^(?:our\s+)?(?:products?|services?|solutions?|offerings?|what\s+we\s+(?:do|offer)|capabilities)\s*:?$/i;
const NAV_WORDS =
  /^(home|about( us)?|contact( us)?|careers?|blog|news|login|log in|sign in|sign up|menu|search|faq|learn more|read more|get started|get a quote|request a demo|book a demo|back to top|products?|services?|solutions?|our (products|services|solutions)|privacy policy|terms)$/i;
const BULLET = /^\s*(?:[-•*·▪–]|\d+[.)])\s+/;

/** A line that reads like a product's name: short, capitalised, no sentence, contact detail, menu entry or boilerplate. */
function isHeadingLike(line: string): boolean {
  const t = line.trim();
  const words = t.split(/\s+/).length;
  return (
    t.length >= 3 &&
    t.length <= 80 &&
    words <= 10 &&
    /^[A-Z0-9]/.test(t) &&
    !/[.!?:;,]$/.test(t) &&
    !t.includes("@") &&
    !/\d{4}[\s-]?\d{4}/.test(t) &&
    !NAV_WORDS.test(t) &&
    !BOILERPLATE.test(t)
  );
}

/** A line of prose: it ends a sentence. */
const isProse = (line: string) => /[.!?]$/.test(line.trim());

/**
 * The items a section header introduces, from the lines after it: any lead-in
 * sentences, then the heading-like lines up to the first line that is not one.
 * When prose stops the list, the heading-like line just before it heads the
 * next section ("Why us" above its paragraph) rather than naming an item.
 */
function sectionItems(lines: readonly string[]): string[] {
  let i = 0;
  while (i < lines.length && isProse(lines[i]!)) i++;
  const items: string[] = [];
  for (; i < lines.length; i++) {
    const item = lines[i]!.replace(BULLET, "");
    if (SECTION_HEADER.test(item) || !isHeadingLike(item)) {
      if (isProse(item) && items.length >= 2) items.pop();
      break;
    }
    items.push(item);
  }
  return items;
}

/**
 * Product and service names: the items under a "Products" / "Our services" /
 * "What we do" header, and the bullets or headings of product pages. A header
 * starts a section at the top of a block or right after a paragraph (a
 * crawled page's text has one line per element and no blank lines between
 * sections); elsewhere, as in a menu, it is a link.
 */
export function findProducts(pages: readonly SourcePage[]): string[] {
  const out: string[] = [];
  for (const page of byKind(pages)) {
    const productPage = /product|service|solution/i.test(page.kind);
    for (const block of blocks(page.text)) {
      const lines = block
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      if (lines.length === 0) continue;
      const headers = lines.flatMap((line, j) => (SECTION_HEADER.test(line) && (j === 0 || isProse(lines[j - 1]!)) ? [j] : []));
      for (const j of headers) out.push(...sectionItems(lines.slice(j + 1)));
      if (headers[0] === 0 || !productPage) continue;
      const bullets = lines.filter((l) => BULLET.test(l)).map((l) => l.replace(BULLET, ""));
      if (bullets.length) out.push(...bullets.filter(isHeadingLike));
      // On a product page, a heading followed by its description names a product.
      else if (lines.length >= 2 && isHeadingLike(lines[0]!) && isProse(lines[1]!)) out.push(lines[0]!);
    }
  }
  return dedupe(out).slice(0, 10);
}
