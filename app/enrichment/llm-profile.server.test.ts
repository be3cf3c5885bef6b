import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { checkedLlmProfile, profilePrompt, type LlmProfileAnswer } from "./llm-profile.server";

const empty: LlmProfileAnswer = { about_text: null, industry: null, headcount_estimate: null, products: [], locations: [], emails: [], phones: [] };

describe("profilePrompt", () => {
  it("heads each page with its kind, address, title and description, the about page first", () => {
    const prompt = profilePrompt(site, 12_000);
    expect(prompt.indexOf("### about page: https://www.harbourfreight.com.sg/about\nTitle: Harbour Freight Solutions – about\n")).toBe(0);
    expect(prompt).toContain("### home page: https://www.harbourfreight.com.sg/\nTitle: Harbour Freight Solutions – home\nDescription: Freight forwarding");
    expect(prompt.indexOf("### home page")).toBeLessThan(prompt.indexOf("### contact page"));
  });

  it("stops within its budget, leaving out pages once fewer than 200 characters are left", () => {
    const prompt = profilePrompt([page("about", "Long text. ".repeat(100)), page("home", "Home text.")], 500);
    expect(prompt).toHaveLength(500);
    expect(prompt).not.toContain("### home page");
  });
});

describe("checkedLlmProfile", () => {
  it("keeps only the addresses and numbers the pages contain, on the pages' own spelling", () => {
    const checked = checkedLlmProfile(
      {
        ...empty,
        emails: ["Enquiry@HarbourFreight.com.sg", "ceo@harbourfreight.com.sg", "studio@wix.com"],
        phones: ["6861-2345", "+65 6000 0000", "not a phone"],
      },
      site,
    );
    expect(checked.emails).toEqual(["enquiry@harbourfreight.com.sg"]);
    expect(checked.phones).toEqual(["+65 6861 2345"]);
  });

  it("trims, deduplicates and caps the lists, and empties what says nothing", () => {
    const products = Array.from({ length: 12 }, (_, i) => `Service ${i}`);
    const checked = checkedLlmProfile(
      { ...empty, about_text: "   ", headcount_estimate: 0, products: [" Air Freight ", "air freight", "", ...products], locations: ["Jurong "] },
      site,
    );
    expect(checked.about_text).toBeNull();
    expect(checked.headcount_estimate).toBeNull();
    expect(checked.products).toEqual(["Air Freight", ...products.slice(0, 9)]);
    expect(checked.locations).toEqual(["Jurong"]);
  });

  it("puts the industry on the ICP's vocabulary or leaves it empty", () => {
    expect(checkedLlmProfile({ ...empty, industry: "Freight forwarding" }, site).industry).toBe("Logistics and transport");
    expect(checkedLlmProfile({ ...empty, industry: "Quantum basket weaving" }, site).industry).toBeNull();
  });
});
