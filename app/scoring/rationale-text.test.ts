import { describe, expect, it } from "vitest";
import { seededRandom } from "~/utils/seeded-random";
import { RATIONALE_MAX_CHARS, rationaleFacts, rationalePrompt, templateRationale, tidyRationale } from "./rationale-text";
import { scoreLead, type LeadScoreResult, type LeadSignals } from "./score";

const base: LeadSignals = {
  icp: { match: "rules", ssicMatched: true, employeeRange: { min: 10, max: 200 } },
  registry: { status: "Live", entityType: "Local Company", incorporatedOn: "2012-01-01" },
  enrichment: {
    domainConfidence: "high",
    headcountEstimate: null,
    aboutTextPresent: true,
    crawlStatus: "ok",
    tavilyUsed: false,
    productsCount: 1,
    locationsIncludeSingapore: false,
  },
  contacts: { vendor: "available", roleQualified: 2, verifiedEmails: 1, unknownEmails: 0 },
  asOf: "2026-11-23",
};

function with_(patch: {
  enrichment?: Partial<LeadSignals["enrichment"]>;
  contacts?: Partial<LeadSignals["contacts"]>;
  registry?: Partial<LeadSignals["registry"]>;
}): LeadSignals {
  return {
    ...base,
    registry: { ...base.registry, ...patch.registry },
    enrichment: { ...base.enrichment, ...patch.enrichment },
    contacts: { ...base.contacts, ...patch.contacts },
  };
}

const NO_SITE = { domainConfidence: null, aboutTextPresent: false, crawlStatus: "none" } as const;

describe("templateRationale", () => {
  it("High: the strongest reasons first, then what holds it back", () => {
    const scored = scoreLead(base);
    expect(scored.bucket).toBe("High");
    expect(templateRationale(rationaleFacts(scored))).toBe(
      "Rated High for two decision-maker contacts, a full ICP match and a confirmed website. Held back by an unknown headcount and no Singapore location found.",
    );
  });

  it("Medium reads the same way", () => {
    const scored = scoreLead(with_({ enrichment: NO_SITE, contacts: { roleQualified: 1, verifiedEmails: 0 } }));
    expect(scored.bucket).toBe("Medium");
    expect(templateRationale(rationaleFacts(scored))).toBe(
      "Rated Medium for a full ICP match, one decision-maker contact and a target SSIC code. Held back by no business email and no website found.",
    );
  });

  it("Low: the gaps first, then what speaks for it", () => {
    const scored = scoreLead(with_({ enrichment: NO_SITE, contacts: { roleQualified: 0, verifiedEmails: 0 } }));
    expect(scored.bucket).toBe("Low");
    expect(templateRationale(rationaleFacts(scored))).toBe(
      "Rated Low because of no decision-maker contacts, no business email and no website found. In its favour: a full ICP match and a target SSIC code.",
    );
  });

  it("says when contacts could not be checked", () => {
    const scored = scoreLead(with_({ contacts: { vendor: "quota" } }));
    expect(templateRationale(rationaleFacts(scored))).toContain("contacts not yet checked (vendor unavailable)");
  });

  it("handles a bucket with nothing on one side", () => {
    const onlyGaps = { bucket: "Medium" as const, strengths: [], gaps: [{ feature: "domain" as const, signal: "none", text: "no website found" }] };
    expect(templateRationale(onlyGaps)).toBe("Rated Medium, held back by no website found.");
    expect(templateRationale({ bucket: "Low", strengths: [], gaps: [] })).toBe("Rated Low, with no single strong or weak signal.");
    expect(templateRationale({ ...onlyGaps, bucket: "Low", strengths: onlyGaps.gaps, gaps: [] })).toBe("Rated Low despite no website found.");
  });

  it("always fits two sentences and 280 characters (1,000 random companies)", () => {
    const random = seededRandom(5);
    for (let i = 0; i < 1000; i++) {
      const text = templateRationale(rationaleFacts(scoreLead(randomSignals(random))));
      expect(text.length).toBeLessThanOrEqual(RATIONALE_MAX_CHARS);
      expect(text.match(/[.!?](\s|$)/g)?.length ?? 0).toBeLessThanOrEqual(2);
      expect(text).toMatch(/^Rated (High|Medium|Low)\b/);
    }
  });

  it("drops the least important items when the phrases would run past 280 characters", () => {
    const long = (n: number) => ({ feature: "domain" as const, signal: "x", text: `a deliberately long phrase number ${n} that goes on and on for a while` });
    const text = templateRationale({ bucket: "High", strengths: [long(1), long(2), long(3)], gaps: [long(4), long(5)] });
    expect(text.length).toBeLessThanOrEqual(RATIONALE_MAX_CHARS);
    expect(text).toContain("number 1");
    expect(text).not.toContain("number 5");
  });
});

describe("rationaleFacts", () => {
  it("depends on the signals only, not on the specifics in the reasons", () => {
    const a = scoreLead(with_({ enrichment: { headcountEstimate: 45 }, registry: { incorporatedOn: "2010-01-01" } }));
    const b = scoreLead(with_({ enrichment: { headcountEstimate: 150 }, registry: { incorporatedOn: "2003-06-30" } }));
    expect(a.breakdown.map((x) => x.reason)).not.toEqual(b.breakdown.map((x) => x.reason));
    expect(rationaleFacts(b)).toEqual(rationaleFacts(a));
  });

  it("keeps the three strongest reasons for the bucket and the two largest counter-points, the most a rationale names", () => {
    const high = rationaleFacts(scoreLead(with_({ enrichment: { headcountEstimate: null, productsCount: 0, locationsIncludeSingapore: false } })));
    expect(high.bucket).not.toBe("Low");
    expect([high.strengths.length, high.gaps.length]).toEqual([3, 2]);
    const low = rationaleFacts(scoreLead(with_({ enrichment: NO_SITE, contacts: { roleQualified: 0, verifiedEmails: 0 } })));
    expect(low.bucket).toBe("Low");
    expect(low.gaps).toHaveLength(3);
    expect(low.strengths.length).toBeLessThanOrEqual(2);
  });

  it("leaves out expected and uninformative signals", () => {
    const facts = rationaleFacts(scoreLead(base));
    const said = [...facts.strengths, ...facts.gaps].map((f) => f.feature);
    expect(said).not.toContain("registry_status");
    expect(said).not.toContain("entity_type");
    expect(said).not.toContain("web_content");
  });
});

describe("rationalePrompt", () => {
  it("carries the bucket and the facts and nothing from the reasons", () => {
    const scored: LeadScoreResult = scoreLead(base);
    const tagged = { ...scored, breakdown: scored.breakdown.map((b) => ({ ...b, reason: `${b.reason} at Lion City Robotics` })) };
    const { system, user } = rationalePrompt(rationaleFacts(tagged));
    expect(user).toContain("Bucket: High.");
    expect(user).toContain("two decision-maker contacts; a full ICP match");
    expect(user).toContain("Gaps, largest first: an unknown headcount; no Singapore location found.");
    expect(`${system}\n${user}`).not.toContain("Lion City");
    expect(system).toMatch(/Do not name the company/);
  });
});

describe("tidyRationale", () => {
  it("keeps at most two sentences and strips quotes and extra whitespace", () => {
    expect(tidyRationale('  "Strong fit.   Good contacts. Third one."  ')).toBe("Strong fit. Good contacts.");
    expect(tidyRationale("One sentence only")).toBe("One sentence only");
    expect(tidyRationale("   ")).toBeNull();
  });

  it("drops a second sentence that would pass 280 characters, and cuts an over-long first one at a word", () => {
    const first = `${"word ".repeat(40).trim()}.`;
    const second = `${"more ".repeat(30).trim()}.`;
    expect(tidyRationale(`${first} ${second}`)).toBe(first);
    const cut = tidyRationale("longword ".repeat(60))!;
    expect(cut.length).toBeLessThanOrEqual(RATIONALE_MAX_CHARS);
    expect(cut.endsWith("longword…")).toBe(true);
  });
});

function randomSignals(random: () => number): LeadSignals {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (max: number) => Math.floor(random() * (max + 1));
  return {
    icp: { match: pick(["rules", "industry_only"] as const), ssicMatched: pick([true, false, null]), employeeRange: pick([null, { min: 10, max: 200 }]) },
    registry: {
      status: pick(["Live", "Struck Off", null]),
      entityType: pick(["Local Company", "Sole Proprietorship/ Partnership", null]),
      incorporatedOn: pick([null, "2026-08-01", "2025-02-01", "2015-07-07"]),
    },
    enrichment: {
      domainConfidence: pick([null, "low", "medium", "high"] as const),
      headcountEstimate: pick([null, 5, 45, 900]),
      aboutTextPresent: random() < 0.5,
      crawlStatus: pick(["ok", "thin", "blocked", "error", "none"] as const),
      tavilyUsed: random() < 0.3,
      productsCount: int(4),
      locationsIncludeSingapore: random() < 0.5,
    },
    contacts: { vendor: pick(["available", "quota"] as const), roleQualified: int(3), verifiedEmails: int(2), unknownEmails: int(2) },
    asOf: "2026-11-23",
  };
}
