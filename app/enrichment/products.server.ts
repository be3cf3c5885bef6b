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

/** Product and service names: the items under a "Products" / "Our services" header, and the bullets or headings of product pages. */
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
      if (SECTION_HEADER.test(lines[0]!)) {
        for (const line of lines.slice(1)) {
          const item = line.replace(BULLET, "");
          if (isHeadingLike(item)) out.push(item);
        }
        continue;
      }
      if (!productPage) continue;
      const bullets = lines.filter((l) => BULLET.test(l)).map((l) => l.replace(BULLET, ""));
      if (bullets.length) out.push(...bullets.filter(isHeadingLike));
      // On a product page, a heading followed by its description names a product.
      else if (lines.length >= 2 && isHeadingLike(lines[0]!) && /[.!?]$/.test(lines[1]!)) out.push(lines[0]!);
    }
  }
  return dedupe(out).slice(0, 10);
}
