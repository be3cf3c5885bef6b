/**
 * A company's domain as we compare and store it: lower-case, without scheme,
 * "@", path, port, trailing dot or "www." label, so "https://WWW.Acme.com.sg/about"
 * and "acme.com.sg" are one domain. It does not check that the rest is a
 * valid host name; callers that take input from people do (suppression lists).
 */
export function normalizeDomain(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/^@/, "")
    .split(/[/?#]/, 1)[0]!
    .replace(/:\d+$/, "")
    .replace(/\.$/, "")
    .replace(/^www\./, "");
}
