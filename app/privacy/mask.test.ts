import { describe, expect, it } from "vitest";
import { maskEmail, maskEmailsIn, maskName, maskPhone, seesPersonalData } from "./mask";

describe("masking personal data for viewers", () => {
  it("keeps the first letter and the domain of an address", () => {
    expect(maskEmail("jane.tan@acme.sg")).toBe("j***@acme.sg");
    expect(maskEmail("not-an-address")).toBe("***");
  });

  it("masks every address in free text and leaves the rest", () => {
    expect(maskEmailsIn("contact jane@codigo.com.sg or ops@acme.sg for sales")).toBe("contact j***@codigo.com.sg or o***@acme.sg for sales");
    expect(maskEmailsIn("no address @ here")).toBe("no address @ here");
  });

  it("initials a name", () => {
    expect(maskName("Jane Tan Mei Ling")).toBe("J. T. M. L.");
    expect(maskName("  ")).toBe("");
  });

  it("keeps the last three digits of a phone number", () => {
    expect(maskPhone("+65 6123 4567")).toBe("*** 567");
  });

  it("shows personal data to ops and admins only", () => {
    expect(seesPersonalData(["viewer"])).toBe(false);
    expect(seesPersonalData(["ops"])).toBe(true);
    expect(seesPersonalData(["viewer", "admin"])).toBe(true);
  });
});
