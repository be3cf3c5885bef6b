import { describe, expect, it } from "vitest";
import { type z } from "zod";
import { BadResponse } from "~/vendors/errors.server";
import { type LlmClient } from "~/vendors/llm.server";
import { page, site } from "../../tests/support/harbour-freight-site";
import { extractCompanyProfile, mergeProfiles, rulesReadEverything } from "./extract.server";
import { extractWithRules } from "./profile-rules.server";

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

describe("industry from the LLM", () => {
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

describe("mergeProfiles", () => {
  it("takes the LLM's value wherever it gave one and says so, the rules' value elsewhere", () => {
    const rules = extractWithRules(site);
    const merged = mergeProfiles(rules, {
      ...rules,
      about_text: "A freight forwarder.",
      headcount_estimate: null,
      products: [],
      emails: ["sales@harbourfreight.com.sg"],
    });
    expect(merged).toMatchObject({
      about_text: "A freight forwarder.",
      headcount_estimate: 60,
      products: rules.products,
      emails: ["sales@harbourfreight.com.sg"],
    });
    expect(merged.provenance).toEqual({
      about_text: "llm",
      industry: "llm",
      headcount_estimate: "rules",
      products: "rules",
      locations: "llm",
      emails: "llm",
      phones: "llm",
    });
  });
});

describe("rulesReadEverything", () => {
  it("is true when the rules found an about text, a clear industry, a headcount, products and locations", () => {
    expect(rulesReadEverything(extractWithRules(site), site)).toBe(true);
  });

  it("is false when a field is left for the LLM: no headcount, no products, or an industry the pages do not point to clearly", () => {
    const rules = extractWithRules(site);
    expect(rulesReadEverything({ ...rules, headcount_estimate: null }, site)).toBe(false);
    expect(rulesReadEverything({ ...rules, products: [] }, site)).toBe(false);
    expect(rulesReadEverything({ ...rules, locations: [] }, site)).toBe(false);
    expect(rulesReadEverything({ ...rules, about_text: null }, site)).toBe(false);
    // Software and healthcare words side by side: the rules pick one, the LLM is asked.
    const mixed = [page("home", "Software for the clinic: our SaaS platform keeps a medical practice running.")];
    expect(rulesReadEverything({ ...rules, industry: "Software and SaaS" }, mixed)).toBe(false);
  });
});
