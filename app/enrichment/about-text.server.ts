import { BOILERPLATE, blocks, byKind, type SourcePage } from "./source-pages.server";

/** The most an about text may run to. */
const MAX_ABOUT_CHARS = 1000;

function isSubstantial(paragraph: string): boolean {
  const words = paragraph.split(/\s+/).length;
  return paragraph.length >= 60 && words >= 10 && /[.!?]/.test(paragraph) && !BOILERPLATE.test(paragraph);
}

/** Whole sentences up to `max` characters. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("! "), cut.lastIndexOf("? "));
  return end > 40 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}

/**
 * What the company says it does: the first real paragraphs of its about
 * page, else a meta description long enough to say something, else the
 * first real paragraph of any page.
 */
export function findAboutText(pages: readonly SourcePage[]): string | null {
  const about = pages.filter((p) => /about|company|who[- ]we[- ]are|our[- ]story/i.test(p.kind));
  for (const page of about) {
    const paras = blocks(page.text)
      .flatMap((b) => b.split(/\n/))
      .filter(isSubstantial);
    if (paras.length) return clip(paras.slice(0, 2).join(" "), MAX_ABOUT_CHARS);
  }
  const described = byKind(pages).find((p) => p.description && p.description.trim().length >= 50 && !BOILERPLATE.test(p.description));
  if (described?.description) return clip(described.description, MAX_ABOUT_CHARS);
  for (const page of byKind(pages)) {
    const para = blocks(page.text)
      .flatMap((b) => b.split(/\n/))
      .find(isSubstantial);
    if (para) return clip(para, MAX_ABOUT_CHARS);
  }
  return null;
}
