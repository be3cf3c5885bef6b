/**
 * A page's query string with some parameters changed (null or "" removes
 * one), starting with `?`, or empty when none is left: how pages build
 * links to themselves with another filter, sort or cursor. Browser-safe.
 */
export function withSearchParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === "") params.delete(name);
    else params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
