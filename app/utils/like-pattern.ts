/**
 * A LIKE / ILIKE pattern that matches `text` anywhere, with the user's `%`,
 * `_` and `\` taken literally (Postgres's default escape character is `\`).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
