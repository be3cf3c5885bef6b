import { afterEach, describe, expect, it, vi } from "vitest";
import { seededRandom } from "~/utils/seeded-random";
import {
  CONTACT_WEIGHT_UNAVAILABLE,
  DEFAULT_SCORE_THRESHOLDS,
  FEATURE_WEIGHTS,
  SIGNAL_VALUES,
  bucketFor,
  companyAgeYears,
  effectiveWeights,
  employeeFit,
  entityClass,
  isLiveStatus,
  scoreLead,
  type CrawlStatus,
  type DomainConfidence,
  type Feature,
  type LeadSignals,
} from "./score";

type Patch = {
  icp?: Partial<LeadSignals["icp"]>;
  registry?: Partial<LeadSignals["registry"]>;
  enrichment?: Partial<LeadSignals["enrichment"]>;
  contacts?: Partial<LeadSignals["contacts"]>;
  asOf?: string;
};

function signals(patch: Patch = {}): LeadSignals {
  return {
    icp: { match: "rules", ssicMatched: true, employeeRange: { min: 10, max: 200 }, ...patch.icp },
    registry: { status: "Live Company", entityType: "Local Company", incorporatedOn: "2012-03-01", ...patch.registry },
    enrichment: {
      domainConfidence: "high",
      headcountEstimate: 45,
      aboutTextPresent: true,
      crawlStatus: "ok",
      tavilyUsed: false,
      productsCount: 4,
      locationsIncludeSingapore: true,
      ...patch.enrichment,
    },
    contacts: { vendor: "available", roleQualified: 3, verifiedEmails: 2, unknownEmails: 0, ...patch.contacts },
    asOf: patch.asOf ?? "2026-11-23",
  };
}

/** The least evidence every feature can show. */
const NOTHING: Patch = {
  icp: { match: "industry_only", ssicMatched: false, employeeRange: { min: 10, max: 200 } },
  registry: { status: "Struck Off", entityType: "Sole Proprietorship/ Partnership", incorporatedOn: "2026-10-01" },
  enrichment: {
    domainConfidence: null,
    headcountEstimate: 5000,
    aboutTextPresent: false,
    crawlStatus: "none",
    tavilyUsed: false,
    productsCount: 0,
    locationsIncludeSingapore: false,
  },
  contacts: { vendor: "available", roleQualified: 0, verifiedEmails: 0, unknownEmails: 0 },
};

function merge(a: Patch, b: Patch): Patch {
  return {
    icp: { ...a.icp, ...b.icp },
    registry: { ...a.registry, ...b.registry },
    enrichment: { ...a.enrichment, ...b.enrichment },
    contacts: { ...a.contacts, ...b.contacts },
    asOf: b.asOf ?? a.asOf,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("weights", () => {
  it("sum to 100 with and without contacts, and every signal value lies in 0..1", () => {
    expect(sum(Object.values(FEATURE_WEIGHTS))).toBe(100);
    expect(sum(Object.values(effectiveWeights(false)))).toBeCloseTo(100, 10);
    for (const values of Object.values(SIGNAL_VALUES)) {
      for (const v of Object.values(values)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(Math.max(...Object.values(values))).toBe(1);
    }
  });

  it("every feature appears once in the breakdown, and the points add up to the score", () => {
    const result = scoreLead(signals({ enrichment: { productsCount: 2 }, contacts: { roleQualified: 1 } }));
    expect(result.breakdown.map((b) => b.feature).sort()).toEqual(Object.keys(FEATURE_WEIGHTS).sort());
    expect(sum(result.breakdown.map((b) => b.points))).toBeCloseTo(result.score, 1);
    for (const item of result.breakdown) expect(item.points).toBeCloseTo(item.weight * item.value, 2);
  });
});

describe("scoreLead: each feature's effect", () => {
  // [feature, least evidence, most evidence]; everything else stays at the strong baseline.
  const cases: Array<[Feature, Patch, Patch]> = [
    ["icp_match", { icp: { match: "industry_only" } }, { icp: { match: "rules" } }],
    ["ssic", { icp: { ssicMatched: false } }, { icp: { ssicMatched: true } }],
    ["employee_fit", { enrichment: { headcountEstimate: 900 } }, { enrichment: { headcountEstimate: 45 } }],
    ["registry_status", { registry: { status: "Struck Off" } }, { registry: { status: "Live" } }],
    ["entity_type", { registry: { entityType: "Sole Proprietorship/ Partnership" } }, { registry: { entityType: "Local Company" } }],
    ["company_age", { registry: { incorporatedOn: "2026-06-01" } }, { registry: { incorporatedOn: "2001-06-01" } }],
    ["domain", { enrichment: { domainConfidence: null } }, { enrichment: { domainConfidence: "high" } }],
    ["about_text", { enrichment: { aboutTextPresent: false } }, { enrichment: { aboutTextPresent: true } }],
    ["web_content", { enrichment: { crawlStatus: "none" } }, { enrichment: { crawlStatus: "ok" } }],
    ["products", { enrichment: { productsCount: 0 } }, { enrichment: { productsCount: 3 } }],
    ["singapore_presence", { enrichment: { locationsIncludeSingapore: false } }, { enrichment: { locationsIncludeSingapore: true } }],
    ["decision_makers", { contacts: { roleQualified: 0 } }, { contacts: { roleQualified: 3 } }],
    ["business_emails", { contacts: { verifiedEmails: 0, unknownEmails: 0 } }, { contacts: { verifiedEmails: 2 } }],
  ];

  it.each(cases)("%s moves the score by its full weight", (feature, low, high) => {
    const lo = scoreLead(signals(low));
    const hi = scoreLead(signals(high));
    const min = Math.min(...Object.values(SIGNAL_VALUES[feature]));
    expect(hi.score - lo.score).toBeCloseTo(FEATURE_WEIGHTS[feature] * (1 - min), 1);
    const changed = hi.breakdown.filter((b, i) => b.points !== lo.breakdown[i]!.points).map((b) => b.feature);
    expect(changed).toEqual([feature]);
  });

  it("reads the registry, size and web signals as documented", () => {
    const item = (p: Patch, f: Feature) => scoreLead(signals(p)).breakdown.find((b) => b.feature === f)!;
    expect(item({ icp: { ssicMatched: null } }, "ssic")).toMatchObject({ signal: "not_listed", value: 0.5 });
    expect(item({ enrichment: { headcountEstimate: null } }, "employee_fit")).toMatchObject({ signal: "unknown", value: 0.4 });
    expect(item({ enrichment: { headcountEstimate: 45 } }, "employee_fit").reason).toBe("Headcount estimate 45 is inside the ICP range 10–200");
    expect(item({ registry: { status: null } }, "registry_status").signal).toBe("unknown");
    expect(item({ enrichment: { crawlStatus: "thin", tavilyUsed: true } }, "web_content").signal).toBe("search_fallback");
    expect(item({ enrichment: { crawlStatus: "blocked", tavilyUsed: true } }, "web_content").signal).toBe("search_fallback");
    expect(item({ enrichment: { crawlStatus: "ok", tavilyUsed: true } }, "web_content").signal).toBe("site_ok");
    expect(item({ enrichment: { crawlStatus: "blocked" } }, "web_content")).toMatchObject({ signal: "blocked", value: 0.2 });
    expect(item({ contacts: { verifiedEmails: 1, unknownEmails: 3 } }, "business_emails").signal).toBe("verified_1");
    expect(item({ contacts: { verifiedEmails: 0, unknownEmails: 3 } }, "business_emails").signal).toBe("unverified_only");
    expect(item({ registry: { incorporatedOn: "2023-01-01" } }, "company_age").signal).toBe("growing");
    expect(item({ registry: { incorporatedOn: "2025-06-01" } }, "company_age").signal).toBe("young");
    expect(item({ registry: { incorporatedOn: "na" } }, "company_age").signal).toBe("unknown");
  });
});

describe("helpers", () => {
  it("employeeFit: open ends, no range, unknown headcount", () => {
    expect(employeeFit({ min: 10, max: 200 }, 10)).toBe("in_range");
    expect(employeeFit({ min: 10, max: 200 }, 200)).toBe("in_range");
    expect(employeeFit({ min: 10, max: 200 }, 9)).toBe("out_of_range");
    expect(employeeFit({ min: 10, max: 200 }, 201)).toBe("out_of_range");
    expect(employeeFit({ min: 50 }, 10_000)).toBe("in_range");
    expect(employeeFit({ max: 50, min: null }, 0)).toBe("in_range");
    expect(employeeFit(null, 3)).toBe("in_range");
    expect(employeeFit({ min: 10, max: 200 }, null)).toBe("unknown");
    expect(employeeFit({ min: 10, max: 200 }, Number.NaN)).toBe("unknown");
    expect(employeeFit({ min: 10, max: 200 }, -4)).toBe("unknown");
  });

  it("entityClass reads ACRA entity types", () => {
    expect(entityClass("Local Company")).toBe("local_company");
    expect(entityClass("LOCAL COMPANY")).toBe("local_company");
    expect(entityClass("Foreign Company")).toBe("foreign_company");
    expect(entityClass("Limited Liability Partnership")).toBe("llp");
    expect(entityClass("Limited Partnership")).toBe("sole_or_partnership");
    expect(entityClass("Sole Proprietorship/ Partnership")).toBe("sole_or_partnership");
    expect(entityClass("Public Accounting Firm")).toBe("other");
    expect(entityClass(null)).toBe("unknown");
    expect(entityClass("  ")).toBe("unknown");
  });

  it("isLiveStatus and companyAgeYears", () => {
    expect(isLiveStatus("Live")).toBe(true);
    expect(isLiveStatus("Live Company")).toBe(true);
    expect(isLiveStatus("Struck Off")).toBe(false);
    expect(isLiveStatus("Cancelled")).toBe(false);
    expect(companyAgeYears("2016-11-23", "2026-11-23")).toBeCloseTo(10, 2);
    expect(companyAgeYears("2030-01-01", "2026-11-23")).toBe(0);
    expect(companyAgeYears(null, "2026-11-23")).toBeNull();
    expect(companyAgeYears("2016-11-23", "soon")).toBeNull();
  });
});

describe("monotonicity: more evidence never lowers the score", () => {
  // Each step adds evidence to whatever the signals hold.
  const improvements: Array<[string, (s: LeadSignals) => Patch]> = [
    ["ICP rules instead of industry-only", () => ({ icp: { match: "rules" } })],
    ["SSIC matched", () => ({ icp: { ssicMatched: true } })],
    ["SSIC preference unknown instead of missed", (s) => ({ icp: { ssicMatched: s.icp.ssicMatched === false ? null : s.icp.ssicMatched } })],
    [
      "headcount found inside the range",
      (s) => ({ enrichment: { headcountEstimate: s.enrichment.headcountEstimate ?? s.icp.employeeRange?.min ?? s.icp.employeeRange?.max ?? 45 } }),
    ],
    ["live status", () => ({ registry: { status: "Live" } })],
    ["older company", (s) => ({ registry: { incorporatedOn: s.registry.incorporatedOn ? shiftYears(s.registry.incorporatedOn, -1.5) : null } })],
    ["more domain confidence", (s) => ({ enrichment: { domainConfidence: nextConfidence(s.enrichment.domainConfidence) } })],
    ["about text", () => ({ enrichment: { aboutTextPresent: true } })],
    ["better crawl", (s) => ({ enrichment: { crawlStatus: nextCrawl(s.enrichment.crawlStatus) } })],
    ["Tavily content", () => ({ enrichment: { tavilyUsed: true } })],
    ["one more product", (s) => ({ enrichment: { productsCount: s.enrichment.productsCount + 1 } })],
    ["Singapore location", () => ({ enrichment: { locationsIncludeSingapore: true } })],
    ["one more contact", (s) => ({ contacts: { roleQualified: s.contacts.roleQualified + 1 } })],
    ["one more verified email", (s) => ({ contacts: { verifiedEmails: s.contacts.verifiedEmails + 1 } })],
    ["one more unverified email", (s) => ({ contacts: { unknownEmails: s.contacts.unknownEmails + 1 } })],
  ];

  it.each(improvements)("%s (600 seeded random companies)", (_name, improve) => {
    const random = seededRandom(7);
    for (let i = 0; i < 600; i++) {
      const base = randomSignals(random);
      const better = applyPatch(base, improve(base));
      expect(scoreLead(better).score, JSON.stringify(base)).toBeGreaterThanOrEqual(scoreLead(base).score);
    }
  });
});

describe("thresholds and buckets", () => {
  it("the edges belong to the higher bucket", () => {
    expect(bucketFor(70, DEFAULT_SCORE_THRESHOLDS)).toBe("High");
    expect(bucketFor(69.9, DEFAULT_SCORE_THRESHOLDS)).toBe("Medium");
    expect(bucketFor(40, DEFAULT_SCORE_THRESHOLDS)).toBe("Medium");
    expect(bucketFor(39.9, DEFAULT_SCORE_THRESHOLDS)).toBe("Low");
    expect(bucketFor(100, DEFAULT_SCORE_THRESHOLDS)).toBe("High");
    expect(bucketFor(0, DEFAULT_SCORE_THRESHOLDS)).toBe("Low");
  });

  it("uses the tenant's thresholds, inclusive at the exact score", () => {
    const s = signals({ enrichment: { productsCount: 1, locationsIncludeSingapore: false }, contacts: { roleQualified: 1 } });
    const { score } = scoreLead(s);
    expect(scoreLead(s, { high: score, medium: 10 }).bucket).toBe("High");
    expect(scoreLead(s, { high: score + 0.1, medium: score }).bucket).toBe("Medium");
    expect(scoreLead(s, { high: 100, medium: score + 0.1 }).bucket).toBe("Low");
    expect(scoreLead(s, { high: 50, medium: 50 }).bucket).toBe(score >= 50 ? "High" : "Low");
  });

  it("the default thresholds are 70 and 40", () => {
    expect(DEFAULT_SCORE_THRESHOLDS).toEqual({ high: 70, medium: 40 });
    expect(scoreLead(signals()).bucket).toBe("High");
    expect(scoreLead(signals(NOTHING)).bucket).toBe("Low");
  });

  it("refuses thresholds outside 0..100 or with medium above high", () => {
    expect(() => scoreLead(signals(), { high: 40, medium: 70 })).toThrow(/must not exceed/);
    expect(() => scoreLead(signals(), { high: 101, medium: 40 })).toThrow();
    expect(() => scoreLead(signals(), { high: 70, medium: -1 })).toThrow();
    expect(() => scoreLead(signals(), { high: Number.NaN, medium: 40 })).toThrow();
  });
});

describe("contacts unavailable", () => {
  it.each(["quota", "error", "disabled"] as const)("%s lowers the contact weight and renormalises the rest", (vendor) => {
    const result = scoreLead(signals({ contacts: { vendor, roleQualified: 3 } }));
    expect(result.contactsAvailable).toBe(false);
    expect(result.contactWeight).toBe(CONTACT_WEIGHT_UNAVAILABLE);
    const dm = result.breakdown.find((b) => b.feature === "decision_makers")!;
    expect(dm).toMatchObject({ signal: "unavailable", points: 0, weight: CONTACT_WEIGHT_UNAVAILABLE });
    expect(sum(result.breakdown.map((b) => b.weight))).toBeCloseTo(100, 1);
    const scale = 95 / 84;
    expect(result.breakdown.find((b) => b.feature === "domain")!.weight).toBeCloseTo(FEATURE_WEIGHTS.domain * scale, 2);
    expect(scoreLead(signals({ contacts: { vendor: "available" } })).contactWeight).toBe(FEATURE_WEIGHTS.decision_makers);
  });

  it("every vendor failure scores the same", () => {
    const scores = (["quota", "error", "disabled"] as const).map((vendor) => scoreLead(signals({ contacts: { vendor } })).score);
    expect(new Set(scores).size).toBe(1);
  });

  it("lies between 'vendor answered: nobody' and 'vendor answered: the best contacts' (600 random companies)", () => {
    const random = seededRandom(11);
    for (let i = 0; i < 600; i++) {
      const base = randomSignals(random);
      const unavailable = scoreLead(applyPatch(base, { contacts: { vendor: "quota" } })).score;
      const nobody = scoreLead(applyPatch(base, { contacts: { vendor: "available", roleQualified: 0 } })).score;
      const best = scoreLead(applyPatch(base, { contacts: { vendor: "available", roleQualified: 3 } })).score;
      expect(unavailable).toBeGreaterThanOrEqual(nobody);
      expect(unavailable).toBeLessThanOrEqual(best);
    }
  });

  it("a well-evidenced company is not pushed to Low, and a company with little else is not lifted to High", () => {
    const strong = scoreLead(signals({ contacts: { vendor: "quota", verifiedEmails: 0, roleQualified: 0 } }));
    expect(strong.bucket).toBe("High");
    const thin = merge(NOTHING, {
      icp: { match: "rules", ssicMatched: true },
      registry: { status: "Live", entityType: "Local Company", incorporatedOn: "2010-01-01" },
    });
    const withVendorDown = scoreLead(signals(merge(thin, { contacts: { vendor: "error" } })));
    expect(withVendorDown.bucket).toBe("Low");
  });
});

describe("range and determinism", () => {
  it("all evidence scores 100 and the least evidence scores the weighted floor of each feature", () => {
    expect(scoreLead(signals()).score).toBe(100);
    const floor = sum(Object.entries(SIGNAL_VALUES).map(([f, values]) => FEATURE_WEIGHTS[f as Feature] * Math.min(...Object.values(values))));
    expect(scoreLead(signals(NOTHING)).score).toBe(Math.round(floor * 10) / 10);
  });

  it("clamps nonsense input into 0..100", () => {
    const odd = signals({
      enrichment: { productsCount: Number.POSITIVE_INFINITY, headcountEstimate: Number.NaN, crawlStatus: "ok" },
      contacts: { roleQualified: -5, verifiedEmails: Number.NaN, unknownEmails: 1e9 },
      registry: { incorporatedOn: "1800-01-01" },
    });
    const result = scoreLead(odd);
    expect(Number.isFinite(result.score)).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(100);
    expect(result.breakdown.find((b) => b.feature === "products")!.signal).toBe("none");
    const random = seededRandom(3);
    for (let i = 0; i < 300; i++) {
      const { score } = scoreLead(randomSignals(random));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
      expect(Math.round(score * 10) / 10).toBe(score);
    }
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives the same result for the same signals, whatever the clock says", () => {
    const s = signals({ registry: { incorporatedOn: "2022-05-05" }, contacts: { roleQualified: 2 } });
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const a = scoreLead(s);
    vi.setSystemTime(new Date("2040-06-01T00:00:00Z"));
    const b = scoreLead(structuredClone(s));
    expect(b).toEqual(a);
  });
});

function applyPatch(base: LeadSignals, patch: Patch): LeadSignals {
  return {
    icp: { ...base.icp, ...patch.icp },
    registry: { ...base.registry, ...patch.registry },
    enrichment: { ...base.enrichment, ...patch.enrichment },
    contacts: { ...base.contacts, ...patch.contacts },
    asOf: patch.asOf ?? base.asOf,
  };
}

function shiftYears(day: string, years: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + years * 365.25 * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const CONFIDENCES: Array<DomainConfidence | null> = [null, "low", "medium", "high"];
function nextConfidence(c: DomainConfidence | null): DomainConfidence | null {
  return CONFIDENCES[Math.min(CONFIDENCES.length - 1, CONFIDENCES.indexOf(c) + 1)]!;
}

const CRAWLS: CrawlStatus[] = ["none", "error", "thin", "ok"];
function nextCrawl(c: CrawlStatus): CrawlStatus {
  if (c === "blocked") return "thin";
  return CRAWLS[Math.min(CRAWLS.length - 1, CRAWLS.indexOf(c) + 1)]!;
}

function randomSignals(random: () => number): LeadSignals {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (max: number) => Math.floor(random() * (max + 1));
  return {
    icp: {
      match: pick(["rules", "industry_only"] as const),
      ssicMatched: pick([true, false, null]),
      employeeRange: pick([null, { min: 10, max: 200 }, { min: 50 }, { max: 20 }]),
    },
    registry: {
      status: pick(["Live", "Live Company", "Struck Off", null]),
      entityType: pick(["Local Company", "Foreign Company", "Limited Liability Partnership", "Sole Proprietorship/ Partnership", null]),
      incorporatedOn: pick([null, "2026-08-01", "2025-02-01", "2022-01-01", "2015-07-07"]),
    },
    enrichment: {
      domainConfidence: pick(CONFIDENCES),
      headcountEstimate: pick([null, 5, 45, 120, 900]),
      aboutTextPresent: random() < 0.5,
      crawlStatus: pick(["ok", "thin", "blocked", "error", "none"] as const),
      tavilyUsed: random() < 0.3,
      productsCount: int(5),
      locationsIncludeSingapore: random() < 0.5,
    },
    contacts: {
      vendor: pick(["available", "available", "quota", "error", "disabled"] as const),
      roleQualified: int(4),
      verifiedEmails: int(3),
      unknownEmails: int(3),
    },
    asOf: "2026-11-23",
  };
}
