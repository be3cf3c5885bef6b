import { describe, expect, it } from "vitest";
import { DEFAULT_CONTACT_TITLES, vendorConfigs, vendorsEnv } from "./config.server";

describe("vendorsEnv", () => {
  it("defaults to the real vendor endpoints, the Apify chain on and Lusha off", () => {
    const env = vendorsEnv.parse({});
    expect(env).toMatchObject({
      TAVILY_BASE_URL: "https://api.tavily.com",
      APIFY_BASE_URL: "https://api.apify.com",
      ENABLE_APIFY_LINKEDIN: true,
      APIFY_USE_COMPANY_EMPLOYEE_CHAIN: true,
      APIFY_COMPANY_ACTOR_ID: "harvestapi~linkedin-company",
      APIFY_EMPLOYEES_ACTOR_ID: "harvestapi~linkedin-company-employees",
      APIFY_LINKEDIN_ACTOR_ID: "dev_fusion~linkedin-profile-scraper",
      APIFY_DATASET_FORMAT: "json",
      APIFY_SYNC_TIMEOUT_S: 600,
      APIFY_DEBUG_LOG_ITEMS: false,
      ZEROBOUNCE_BASE_URL: "https://api.zerobounce.net/v2",
      LUSHA_BASE_URL: "https://api.lusha.com",
      ENABLE_LUSHA_FALLBACK: false,
      LLM_BASE_URL: "https://api.openai.com/v1",
      CONTACT_TITLES: DEFAULT_CONTACT_TITLES,
    });
    expect(env.APIFY_SEARCH_ACTOR_ID).toBeUndefined();
    const configs = vendorConfigs(env);
    expect(configs.tavily).toBeUndefined();
    expect(configs.apifyFlags).toEqual({ enabled: true, useChain: true, debugLogItems: false });
  });

  it("reads flags, numbers and title lists from strings", () => {
    const env = vendorsEnv.parse({
      ENABLE_APIFY_LINKEDIN: "0",
      APIFY_USE_COMPANY_EMPLOYEE_CHAIN: "false",
      APIFY_SYNC_TIMEOUT_S: "120",
      APIFY_TOKEN: "apify_api_x",
      APIFY_SEARCH_ACTOR_ID: " ",
      ENABLE_LUSHA_FALLBACK: "1",
      CONTACT_TITLES: "CEO, Head of Sales ,,",
    });
    expect(env).toMatchObject({
      ENABLE_APIFY_LINKEDIN: false,
      APIFY_USE_COMPANY_EMPLOYEE_CHAIN: false,
      APIFY_SYNC_TIMEOUT_S: 120,
      ENABLE_LUSHA_FALLBACK: true,
    });
    expect(env.CONTACT_TITLES).toEqual(["CEO", "Head of Sales"]);
    expect(vendorConfigs(env).apify).toMatchObject({ token: "apify_api_x", syncTimeoutS: 120, actors: { search: undefined } });
  });

  it("rejects malformed values", () => {
    expect(vendorsEnv.safeParse({ APIFY_SYNC_TIMEOUT_S: "soon" }).success).toBe(false);
    expect(vendorsEnv.safeParse({ ENABLE_LUSHA_FALLBACK: "maybe" }).success).toBe(false);
    expect(vendorsEnv.safeParse({ TAVILY_BASE_URL: "not a url" }).success).toBe(false);
  });
});
