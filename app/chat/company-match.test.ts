import { describe, expect, it } from "vitest";
import { matchCompany, normalizeCompanyName } from "./company-match";

const companies = [
  { uen: "201190001C", name: "CODIGO PTE. LTD." },
  { uen: "201190002D", name: "CODIGO ANALYTICS PTE. LTD." },
  { uen: "201190003E", name: "LUMEN DATA PRIVATE LIMITED" },
  { uen: "201190004F", name: "HARBOURLINK LOGISTICS PTE. LTD." },
  { uen: "201190005G", name: "KOPI CODE LLP" },
  { uen: "201190006H", name: "MARINA PAY PTE. LTD." },
  { uen: "201190007J", name: "MARINA PAYMENTS PTE. LTD." },
];

describe("normalizeCompanyName", () => {
  it("drops legal suffixes, punctuation and case", () => {
    expect(normalizeCompanyName("CODIGO PTE. LTD.")).toBe("codigo");
    expect(normalizeCompanyName("Lumen Data Private Limited")).toBe("lumen data");
    expect(normalizeCompanyName("Kopi & Code LLP")).toBe("kopi and code");
  });
});

describe("matchCompany", () => {
  it("prefers the exact name over longer names that start with it", () => {
    expect(matchCompany("Codigo", companies)).toEqual({ kind: "one", company: companies[0] });
    expect(matchCompany("codigo pte ltd", companies)).toEqual({ kind: "one", company: companies[0] });
  });

  it("finds a company by UEN", () => {
    expect(matchCompany("201190004f", companies)).toEqual({ kind: "one", company: companies[3] });
  });

  it("finds a company by a leading part or a whole word of its name", () => {
    expect(matchCompany("Harbourlink", companies)).toEqual({ kind: "one", company: companies[3] });
    expect(matchCompany("logistics", companies)).toEqual({ kind: "one", company: companies[3] });
  });

  it("forgives a typo", () => {
    expect(matchCompany("Lumen Dta", companies)).toEqual({ kind: "one", company: companies[2] });
    expect(matchCompany("Harbourlnk Logistics", companies)).toEqual({ kind: "one", company: companies[3] });
  });

  it("asks instead of guessing between equally good names", () => {
    expect(matchCompany("Marina", companies)).toEqual({ kind: "several", companies: [companies[5], companies[6]] });
  });

  it("offers close names when nothing matches well enough", () => {
    const result = matchCompany("Lumenix Dat", companies);
    expect(result.kind).toBe("none");
    expect(matchCompany("Completely Unrelated Holdings", companies)).toEqual({ kind: "none", close: [] });
  });
});
