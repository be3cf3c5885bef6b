/**
 * A LIKE / ILIKE pattern that matches exactly `text`: its `%`, `_` and `\`
 * taken literally (Postgres's default escape character is `\`). For where
 * only a pattern operator compares case-insensitively, as Odoo's `=ilike`.
 */
export function literalPattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE / ILIKE pattern that matches `text` anywhere, taken literally. */
export function containsPattern(text: string): string {
  return `%${literalPattern(text)}%`;
}
