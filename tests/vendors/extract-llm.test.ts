import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractCompanyProfile } from "~/enrichment/extract.server";
import { type SourcePage } from "~/enrichment/source-pages.server";
import { createLlmClient } from "~/vendors/llm.server";
import { createDefaultWorld } from "../sims/vendors/default-world";
import { generateFromSchema, startLlmSimulator } from "../sims/vendors/llm-sim";

type Sim = Awaited<ReturnType<typeof startLlmSimulator>>;
let sim: Sim;
beforeAll(async () => {
  sim = await startLlmSimulator();
});
afterAll(async () => {
  await sim.close();
});

const world = createDefaultWorld();
const pages: SourcePage[] = [
  ["home", "https://www.lioncityrobotics.sg/"],
  ["about", "https://www.lioncityrobotics.sg/about"],
  ["contact", "https://www.lioncityrobotics.sg/contact"],
  ["products", "https://www.lioncityrobotics.sg/products"],
].map(([kind, url]) => {
  const p = world.extractUrl(url!)!;
  return { url: p.url, kind: kind!, title: p.title, text: p.text };
});

describe("company profile extraction through the LLM simulator", () => {
  it("sends a strict json_schema request and keeps only contacts the pages contain", async () => {
    const llm = createLlmClient({ baseUrl: `${sim.url}/v1`, apiKey: "sk-simulator", model: "gpt-4o-mini" });
    const profile = await extractCompanyProfile(pages, { llm });

    const format = sim.requests[0]!.response_format as {
      json_schema: { name: string; strict: boolean; schema: { required: string[]; additionalProperties: boolean } };
    };
    expect(format.json_schema.name).toBe("company_profile");
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.additionalProperties).toBe(false);
    expect(format.json_schema.schema.required.sort()).toEqual(
      ["about_text", "emails", "headcount_estimate", "industry", "locations", "phones", "products"].sort(),
    );

    expect(profile.headcount_estimate).toBe(45);
    expect(profile.provenance.headcount_estimate).toBe("llm");
    expect(profile.emails).toEqual(["sales@lioncityrobotics.sg", "hello@lioncityrobotics.sg"]);
    expect(profile.phones).toEqual(["+65 6123 4567"]);
    const allText = pages.map((p) => p.text).join("\n");
    expect(allText).toContain(profile.about_text!);
    expect(profile.usage!.total_tokens).toBeGreaterThan(profile.usage!.completion_tokens);
  });
});

describe("the LLM simulator's industry answers", () => {
  it("answers with a label the prompt mentions or nothing, never a sentence of the page", () => {
    const schema = { type: "object", properties: { industry: { type: "string" } } };
    const prompt = "Sentosa has been a neighbourhood yoga studio in Melbourne since 1997. We run classes every day.";
    for (let seed = 0; seed < 20; seed++) {
      const random = () => ((seed * 7919) % 100) / 100;
      expect(generateFromSchema(schema, prompt, random)).toEqual({ industry: "" });
      expect(generateFromSchema(schema, `${prompt} A fitness studio.`, random)).toEqual({ industry: "fitness" });
    }
  });
});
