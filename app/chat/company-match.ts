import { editDistance } from "~/icp/industries";

/**
 * Finding the company someone means ("Codigo", "codigo pte ltd", a UEN, a
 * typo) among the tenant's companies: exact name first, then whole-word
 * prefix or containment, then small edit distances. Several equally good
 * answers come back as a choice instead of a guess.
 */
export type CompanyName = { uen: string; name: string };

export type CompanyMatch = { kind: "one"; company: CompanyName } | { kind: "several"; companies: CompanyName[] } | { kind: "none"; close: CompanyName[] };

const LEGAL_SUFFIX =
  /\b(?:pte\.?\s*ltd\.?|private\s+limited|pte\.?|ltd\.?|limited|llp|l\.l\.p\.|inc\.?|incorporated|corp\.?|corporation|co\.?|company|sdn\.?\s*bhd\.?|plc|llc|group|holdings?|singapore|\(s\)|s'pore)(?=\s|$)/g;

export function normalizeCompanyName(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9().\s-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const stripped = words
    .replace(LEGAL_SUFFIX, " ")
    .replace(/[().-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return stripped || words.replace(/[().-]+/g, " ").trim();
}

const UEN = /^[0-9]{8,9}[A-Z]$|^[ST][0-9]{2}[A-Z]{2}[0-9]{4}[A-Z]$/i;

function shortestFirst(companies: CompanyName[]): CompanyName[] {
  return [...companies].sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name));
}

function decide(found: CompanyName[]): CompanyMatch | null {
  if (found.length === 1) return { kind: "one", company: found[0]! };
  if (found.length > 1) return { kind: "several", companies: shortestFirst(found).slice(0, 8) };
  return null;
}

export function matchCompany(query: string, companies: readonly CompanyName[]): CompanyMatch {
  const raw = query.trim();
  if (UEN.test(raw)) {
    const byUen = companies.find((c) => c.uen.toUpperCase() === raw.toUpperCase());
    if (byUen) return { kind: "one", company: byUen };
  }
  const q = normalizeCompanyName(raw);
  if (!q) return { kind: "none", close: [] };
  const named = companies.map((c) => ({ company: c, norm: normalizeCompanyName(c.name) }));

  const exact = decide(named.filter((n) => n.norm === q).map((n) => n.company));
  if (exact) return exact;
  const prefix = decide(named.filter((n) => n.norm.startsWith(`${q} `)).map((n) => n.company));
  if (prefix) return prefix;
  const contains = decide(named.filter((n) => ` ${n.norm} `.includes(` ${q} `)).map((n) => n.company));
  if (contains) return contains;

  const scored = named
    .map((n) => {
      // Compare with the name cut to the query's length too, so "codgo" finds "codigo analytics".
      const head = n.norm.slice(0, q.length + 1).trim();
      const distance = Math.min(editDistance(q, n.norm), editDistance(q, head) + 1);
      return { ...n, distance };
    })
    .sort((a, b) => a.distance - b.distance || a.norm.length - b.norm.length);
  const tolerance = Math.max(1, Math.floor(q.length / 4));
  const best = scored[0];
  if (best && best.distance <= tolerance) {
    const tied = scored.filter((s) => s.distance === best.distance).map((s) => s.company);
    return decide(tied)!;
  }
  return {
    kind: "none",
    close: scored
      .filter((s) => s.distance <= Math.max(3, q.length / 2))
      .slice(0, 3)
      .map((s) => s.company),
  };
}
