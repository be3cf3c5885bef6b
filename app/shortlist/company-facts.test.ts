import { describe, expect, it } from "vitest";
import { odooPartnerUrl, readProvenance, registryAddressLine } from "./company-facts";

describe("registryAddressLine", () => {
  it("writes block, street, unit, building and postal code", () => {
    expect(
      registryAddressLine({ block: "10", streetName: "ANSON ROAD", levelNo: "12", unitNo: "01", buildingName: "INTERNATIONAL PLAZA", postalCode: "079903" }),
    ).toBe("10 ANSON ROAD #12-01 INTERNATIONAL PLAZA SINGAPORE 079903");
  });

  it("leaves out what is missing and falls back to the free-form lines", () => {
    expect(registryAddressLine({ block: null, streetName: "ANSON ROAD", levelNo: "3", unitNo: null, buildingName: null, postalCode: null })).toBe(
      "ANSON ROAD #3",
    );
    expect(
      registryAddressLine({
        block: null,
        streetName: null,
        levelNo: null,
        unitNo: null,
        buildingName: null,
        postalCode: null,
        otherAddressLine1: "PO BOX 12",
        otherAddressLine2: "TANGLIN",
      }),
    ).toBe("PO BOX 12, TANGLIN");
    expect(registryAddressLine({ block: " ", streetName: null, levelNo: null, unitNo: null, buildingName: null, postalCode: null })).toBeNull();
  });
});

describe("readProvenance", () => {
  it("reads source and time per field and skips the rest", () => {
    expect(
      readProvenance({
        about_text: { source: "llm_extraction", at: "2026-11-22T01:00:00.000Z" },
        domain: { source: "crawler:high" },
        bad: { at: "x" },
        odd: 3,
      }),
    ).toEqual({
      about_text: { source: "llm_extraction", at: "2026-11-22T01:00:00.000Z" },
      domain: { source: "crawler:high", at: null },
    });
    expect(readProvenance(null)).toEqual({});
    expect(readProvenance([1])).toEqual({});
  });
});

describe("odooPartnerUrl", () => {
  it("points at the partner form, whatever the base URL's trailing slash", () => {
    expect(odooPartnerUrl("https://acme.odoo.example/", 42)).toBe("https://acme.odoo.example/web#id=42&model=res.partner&view_type=form");
    expect(odooPartnerUrl("http://localhost:8069", 7)).toBe("http://localhost:8069/web#id=7&model=res.partner&view_type=form");
  });
});
