import { describe, expect, it } from "vitest";
import { type z } from "zod";
import { BadResponse } from "~/vendors/errors.server";
import { type LlmClient } from "~/vendors/llm.server";
import {
  detectIndustry,
  estimateHeadcount,
  extractCompanyProfile,
  extractWithRules,
  findAboutText,
  findEmails,
  findLocations,
  findPhones,
  findProducts,
  normalizePhone,
  type SourcePage,
  vocabularyIndustry,
} from "./extract.server";

const page = (kind: string, text: string, extra: Partial<SourcePage> = {}): SourcePage => ({
  url: `https://www.harbourfreight.com.sg/${kind === "home" ? "" : kind}`,
  kind,
  title: `Harbour Freight Solutions – ${kind}`,
  text,
  ...extra,
});

/** A small 3PL site, written the way such sites are. */
const site: SourcePage[] = [
  page(
    "home",
    [
      "Home\nAbout\nServices\nCareers\nContact",
      "Your logistics partner in Singapore",
      "Harbour Freight Solutions moves sea and air freight for manufacturers and e-commerce brands across Southeast Asia, with bonded warehousing at Jurong.",
      "Our Services\n• Sea Freight Forwarding\n• Air Freight\n• Bonded Warehousing\n• Customs Brokerage\n• Learn more",
      "Trusted by 5,000 people every month.",
      "We use cookies to improve your experience. Read our Privacy Policy.\n© 2024 Harbour Freight Solutions Pte. Ltd. All rights reserved.",
    ].join("\n\n"),
    {
      description: "Freight forwarding, warehousing and customs brokerage in Singapore.",
      html: '<a href="mailto:Enquiry@HarbourFreight.com.sg?subject=Quote">Email us</a><img src="/img/logo@2x.png">',
    },
  ),
  page(
    "about",
    [
      "About Us",
      "Established in 2009, Harbour Freight Solutions is a Singapore freight forwarder and third-party logistics provider. We handle import, export and transhipment cargo for more than 300 customers.",
      "Today we are a team of over 60 logistics professionals, with offices in Singapore, Kuala Lumpur and Jakarta.",
    ].join("\n\n"),
  ),
  page(
    "contact",
    [
      "Contact Us",
      "Head Office\n21 Tuas Avenue 4, #02-11\nSingapore 639381",
      "Tel: 6861 2345\nFax: 6861 2346\nHotline: +65 9876-5432\nToll-free: 1800 123 4567",
      "General enquiries: enquiry [at] harbourfreight [dot] com [dot] sg\nOperations manager: ops.lee@gmail.com\nWebsite by studio@wix.com",
    ].join("\n\n"),
  ),
];

describe("rules", () => {
  it("takes the about text from the about page, whole sentences, no boilerplate", () => {
    const about = findAboutText(site);
    expect(about).toMatch(/^Established in 2009, Harbour Freight Solutions is a Singapore freight forwarder/);
    expect(about).toContain("team of over 60");
    expect(about).not.toMatch(/cookies|rights reserved/);
  });

  it("falls back to the meta description, then the first real paragraph", () => {
    expect(findAboutText(site.filter((p) => p.kind !== "about"))).toBe("Freight forwarding, warehousing and customs brokerage in Singapore.");
    const noDescription = site.filter((p) => p.kind !== "about").map((p) => ({ ...p, description: undefined }));
    expect(findAboutText(noDescription)).toMatch(/^Harbour Freight Solutions moves sea and air freight/);
    expect(findAboutText([page("home", "Home\nContact\n\n© 2024 All rights reserved.")])).toBeNull();
  });

  it("names the industry from keywords, weighting home and about pages", () => {
    expect(detectIndustry(site)).toBe("Logistics and transport");
    expect(detectIndustry([page("home", "We build cloud software: a SaaS platform with an API for clinics.")])).toBe("Software and SaaS");
    expect(detectIndustry([page("home", "Welcome to our website.", { title: "Welcome" })])).toBeNull();
  });

  it.each([
    ["We are a team of 45 engineers.", 45],
    ["50+ employees across the region", 50],
    ["Company size: 11-50 employees", 31],
    ["Our workforce of 1,200 spans three countries.", 1200],
    ["The firm employs about 80 consultants.", 80],
    ["Over 120 employees serve more than 300 customers.", 120],
    ["A 25-people strong crew.", null],
    ["Founded in 1995, serving 2,000 customers.", null],
    ["Trusted by 5,000 people every month.", null],
  ])("headcount in %j is %s", (text, expected) => {
    expect(estimateHeadcount([page("about", text)])).toBe(expected);
  });

  it("prefers the about page's headcount over others", () => {
    expect(estimateHeadcount([page("careers", "Join 500 employees"), page("about", "a team of 60")])).toBe(60);
    expect(estimateHeadcount(site)).toBe(60);
  });

  it("finds emails from mailto links, text and the [at]/[dot] disguise, keeping only plausible ones", () => {
    expect(findEmails(site)).toEqual(["enquiry@harbourfreight.com.sg", "ops.lee@gmail.com"]);
  });

  it("finds Singapore phone numbers in their usual formats, skipping fax", () => {
    expect(findPhones(site)).toEqual(["+65 6861 2345", "+65 9876 5432", "1800 123 4567"]);
    expect(findPhones([page("about", "Our postal code is 639381 and we opened in 2009 with 6861 2345 dollars.")])).toEqual([]);
    expect(findPhones([page("home", "Call (65) 6222-3333 or +65 (0) 8123 4567")])).toEqual(["+65 6222 3333", "+65 8123 4567"]);
  });

  it("normalizes phone numbers", () => {
    expect(normalizePhone("+65-6123-4567")).toBe("+65 6123 4567");
    expect(normalizePhone("0065 9123 4567")).toBe("+65 9123 4567");
    expect(normalizePhone("1800-123-4567")).toBe("1800 123 4567");
    expect(normalizePhone("+1 415 555 0100")).toBeNull();
    expect(normalizePhone("12345678")).toBeNull();
  });

  it("lists products from service sections and product pages", () => {
    expect(findProducts(site)).toEqual(["Sea Freight Forwarding", "Air Freight", "Bonded Warehousing", "Customs Brokerage"]);
    const productPage = page(
      "products",
      "Products\n\nAMR-200 Autonomous Mobile Robot\nCarries up to 200 kg through busy aisles.\n\nFleetOS Fleet Management Software\nOne dashboard for every robot.\n\nContact us\nFor a demo.",
    );
    expect(findProducts([productPage])).toEqual(["AMR-200 Autonomous Mobile Robot", "FleetOS Fleet Management Software"]);
  });

  it("finds addresses and the cities the company says it has offices in", () => {
    expect(findLocations(site)).toEqual(["21 Tuas Avenue 4, #02-11, Singapore 639381", "Kuala Lumpur", "Jakarta"]);
  });

  it("puts it together", () => {
    const profile = extractWithRules(site);
    expect(profile).toMatchObject({ industry: "Logistics and transport", headcount_estimate: 60 });
    expect(profile.emails).toContain("enquiry@harbourfreight.com.sg");
  });
});

function fakeLlm(answer: unknown | Error): LlmClient & { calls: Array<{ user: string; name?: string }> } {
  const calls: Array<{ user: string; name?: string }> = [];
  return {
    model: "fake",
    calls,
    async llmJson<S extends z.ZodType>(req: { schema: S; name?: string; system: string; user: string; maxTokens: number }) {
      calls.push({ user: req.user, name: req.name });
      if (answer instanceof Error) throw answer;
      return { value: req.schema.parse(answer), usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 }, model: "fake" };
    },
    async llmText() {
      throw new Error("not used");
    },
  };
}

describe("extractCompanyProfile", () => {
  it("uses the rules alone without an LLM", async () => {
    const profile = await extractCompanyProfile(site);
    expect(Object.values(profile.provenance).every((p) => p === "rules")).toBe(true);
    expect(profile.usage).toBeUndefined();
    expect(profile.headcount_estimate).toBe(60);
  });

  it("takes the LLM's fields, drops invented contacts, and fills gaps from the rules", async () => {
    const llm = fakeLlm({
      about_text: "Harbour Freight Solutions is a Singapore freight forwarder and 3PL.",
      industry: "Freight forwarding",
      headcount_estimate: 60,
      products: ["Sea freight", "Air freight"],
      locations: [],
      emails: ["enquiry@harbourfreight.com.sg", "ceo@harbourfreight.com.sg"],
      phones: ["+65 9876 5432", "+65 6000 0000"],
    });
    const profile = await extractCompanyProfile(site, { llm });
    expect(profile.about_text).toBe("Harbour Freight Solutions is a Singapore freight forwarder and 3PL.");
    expect(profile.industry).toBe("Logistics and transport");
    expect(profile.emails).toEqual(["enquiry@harbourfreight.com.sg"]);
    expect(profile.phones).toEqual(["+65 9876 5432"]);
    expect(profile.locations).toEqual(["21 Tuas Avenue 4, #02-11, Singapore 639381", "Kuala Lumpur", "Jakarta"]);
    expect(profile.provenance).toEqual({
      about_text: "llm",
      industry: "llm",
      headcount_estimate: "llm",
      products: "llm",
      locations: "rules",
      emails: "llm",
      phones: "llm",
    });
    expect(profile.usage).toEqual({ prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 });
    expect(llm.calls[0]!.name).toBe("company_profile");
    expect(llm.calls[0]!.user.indexOf("### about page")).toBeLessThan(llm.calls[0]!.user.indexOf("### home page"));
  });

  it("falls back to the rules when the LLM fails", async () => {
    const profile = await extractCompanyProfile(site, { llm: fakeLlm(new BadResponse("llm", "refused: no")) });
    expect(profile.llmError).toContain("refused");
    expect(profile.llmErrorName).toBe("BadResponse");
    expect(profile.industry).toBe("Logistics and transport");
    expect(Object.values(profile.provenance).every((p) => p === "rules")).toBe(true);
  });

  it("keeps the prompt within its budget", async () => {
    const llm = fakeLlm({ about_text: null, industry: null, headcount_estimate: null, products: [], locations: [], emails: [], phones: [] });
    const big = [page("about", "Long text. ".repeat(5_000)), ...site];
    await extractCompanyProfile(big, { llm, maxPromptChars: 3_000 });
    expect(llm.calls[0]!.user.length).toBeLessThanOrEqual(3_000);
  });
});

describe("industry comes from the ICP's vocabulary or stays empty", () => {
  it.each([
    ["Freight forwarding", "Logistics and transport"],
    ["Food & Beverage", "Food and beverage (F&B)"],
    ["Software and SaaS", "Software and SaaS"],
    ["Logistics & Supply Chain", "Logistics and transport"],
    ["Fitness", "Sports and fitness"],
  ])("keeps %j as the vocabulary's label %j", (answer, label) => {
    expect(vocabularyIndustry(answer)).toBe(label);
  });

  it.each(["Sentosa has been a neighbourhood yoga studio in Melbourne since 1997.", "We help companies grow", "Quantum basket weaving", "", null])(
    "drops %j",
    (answer) => {
      expect(vocabularyIndustry(answer)).toBeNull();
    },
  );

  it("stores no sentence the LLM put in the industry: the rules' label replaces it", async () => {
    const llm = fakeLlm({
      about_text: "Harbour Freight Solutions is a Singapore freight forwarder and 3PL.",
      industry: "Harbour Freight Solutions has moved sea and air freight from Singapore since 2009.",
      headcount_estimate: null,
      products: [],
      locations: [],
      emails: [],
      phones: [],
    });
    const profile = await extractCompanyProfile(site, { llm });
    expect(profile.industry).toBe("Logistics and transport");
    expect(profile.provenance.industry).toBe("rules");
    const nothingKnown = await extractCompanyProfile(
      [{ url: "https://sentosa.example/", kind: "home", title: "Sentosa", text: "Sentosa has been a neighbourhood studio in Melbourne since 1997." }],
      {
        llm: fakeLlm({
          about_text: null,
          industry: "Sentosa has been a neighbourhood studio in Melbourne since 1997.",
          headcount_estimate: null,
          products: [],
          locations: [],
          emails: [],
          phones: [],
        }),
      },
    );
    expect(nothingKnown.industry).toBeNull();
  });
});
