import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { extractWithRules } from "~/enrichment/profile-rules.server";
import { page, site } from "../../tests/support/harbour-freight-site";
import { type CompanyEnrichment, type StepNote } from "./enrichment-step.server";
import { extractionTokenReserve, extractProfile } from "./profile-extraction.server";

describe("extractionTokenReserve", () => {
  it("reserves a token per three prompt characters, up to 24,000 characters, plus the whole completion", () => {
    expect(extractionTokenReserve([page("home", "x".repeat(1000)), page("about", "x".repeat(2000))])).toBe(1000 + 800);
    expect(extractionTokenReserve([page("home", "x".repeat(100_000))])).toBe(8000 + 800);
    expect(extractionTokenReserve([page("home", "x")])).toBe(1 + 800);
  });
});

describe("extractProfile", () => {
  it("does not ask the LLM, nor reserve its tokens, when the rules read every field from the pages", async () => {
    let llmCalls = 0;
    const llm = {
      model: "fake",
      async llmJson() {
        llmCalls += 1;
        throw new Error("the LLM was asked");
      },
      async llmText() {
        throw new Error("not used");
      },
    };
    const notes: Array<Parameters<StepNote>[0]> = [];
    // A tenant without a row: reserving its tokens would fail on the foreign key, so the test shows none was reserved.
    const e = {
      run: { tenantId: randomUUID(), runId: randomUUID() },
      clients: { llm },
      step: async <T>(_stage: string, _event: string, work: (note: StepNote) => Promise<T>) => work((update) => notes.push(update)),
    } as unknown as CompanyEnrichment;
    const profile = await extractProfile(e, site);
    expect(llmCalls).toBe(0);
    expect(profile.rulesSufficed).toBe(true);
    expect(profile.usage).toBeUndefined();
    expect(Object.values(profile.provenance).every((p) => p === "rules")).toBe(true);
    expect(profile).toMatchObject({ industry: "Logistics and transport", headcount_estimate: 60 });
    expect(notes[0]).toMatchObject({ tool: "rules", status: "ok", args: { rulesSufficed: true } });
  });

  it("takes what the rules read from the pages from its caller, who read them for the site's addresses, instead of reading them again", async () => {
    const e = {
      run: { tenantId: randomUUID(), runId: randomUUID() },
      clients: { llm: null },
      step: async <T>(_stage: string, _event: string, work: (note: StepNote) => Promise<T>) => work(() => {}),
    } as unknown as CompanyEnrichment;
    const read = extractWithRules(site);
    const profile = await extractProfile(e, site, { ...read, about_text: "As the caller read it." });
    expect(profile.about_text).toBe("As the caller read it.");
    expect(profile.emails).toEqual(read.emails);
  });
});
