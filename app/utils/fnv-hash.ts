/**
 * FNV-1a, 32 bits, over a string's UTF-16 code units: a fast, stable number
 * from text, for seeding choices that must come out the same for the same
 * input (which companies a run's QA sample takes). Not for security.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
