import { describe, expect, it } from "vitest";
import { createApifyClient, discoverContactsViaApify, DEFAULT_ACTORS } from "~/vendors/apify.server";
import { BadResponse, Timeout } from "~/vendors/errors.server";
import { vendorWorldFrom } from "../sims/dev-world/vendor-world";
import { startApifySimulator } from "../sims/vendors/apify-sim";
import { buildWorld } from "../sims/world/index";
import { DEMO_COMPANIES } from "../sims/world/names";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * Apify's documented exchanges:
 * - the endpoint, its query parameters, 201 with a bare array of items, and the 400 run-failed / 408
 *   run-timeout-exceeded bodies: https://docs.apify.com/api/v2/actor-run-sync-get-dataset-items-post
 *   (OpenAPI source: https://github.com/apify/apify-docs/blob/master/apify-api/openapi/paths/actors/acts@{actorId}@run-sync-get-dataset-items.yaml)
 * - harvestapi~linkedin-company: input https://github.com/HarvestAPI/apify-linkedin-company/blob/main/.actor/input_schema.json
 *   (`companies` = LinkedIn URLs, `searches` = names); item = the README's example
 *   https://github.com/HarvestAPI/apify-linkedin-company/blob/main/README.md, trimmed of image and funding fields we neither read nor simulate
 * - harvestapi~linkedin-company-employees: input https://github.com/HarvestAPI/apify-linkedin-company-employees/blob/main/.actor/input_schema.json
 *   and the README's input example; item = the README's "Sample output data", trimmed the same way
 *   https://github.com/HarvestAPI/apify-linkedin-company-employees/blob/main/README.md
 * - dev_fusion~linkedin-profile-scraper publishes no README or input schema: its input (`profileUrls`) and item
 *   fields are those its public callers use (e.g. https://github.com/EmeralHQ/apify-ruby), with illustrative values.
 */
const company = loadExchange("apify", "company");
const employees = loadExchange("apify", "employees");
const profile = loadExchange("apify", "profile");
const runFailed = loadExchange("apify", "run-failed");
const runTimeout = loadExchange("apify", "run-timeout");

/** The endpoint's documented query parameters (run options and dataset-items options). */
const QUERY_PARAMETERS = new Set([
  "token",
  "timeout",
  "memory",
  "maxItems",
  "maxTotalChargeUsd",
  "build",
  "webhooks",
  "format",
  "clean",
  "offset",
  "limit",
  "fields",
  "omit",
  "unwind",
  "flatten",
  "desc",
  "skipEmpty",
  "skipHidden",
]);
const COMPANY_INPUT = new Set(["companies", "searches"]);
const EMPLOYEES_INPUT = new Set([
  "profileScraperMode",
  "maxItems",
  "companies",
  "locations",
  "searchQuery",
  "jobTitles",
  "pastJobTitles",
  "industryIds",
  "yearsAtCurrentCompanyIds",
  "yearsOfExperienceIds",
  "seniorityLevelIds",
  "functionIds",
  "recentlyChangedJobs",
  "companyBatchMode",
  "maxItemsPerCompany",
  "startPage",
  "takePages",
  "excludeLocations",
  "excludePastCompanies",
  "excludeSchools",
  "excludeCurrentJobTitles",
  "excludePastJobTitles",
  "excludeIndustryIds",
  "excludeSeniorityLevelIds",
  "excludeFunctionIds",
]);

const closeAfterTest = closedAfterEach();

/** A title rule of the test's own, so the contract does not depend on enrichment's matching. */
const containsTitle = (candidate: string | null | undefined, wanted: string) => Boolean(candidate?.toLowerCase().includes(wanted.toLowerCase()));

describe("Apify client against Apify's and the Actors' documented examples", () => {
  it("runs the company → employees → profile chain with documented inputs and reads the documented items", async () => {
    const byPath = new Map([company, employees, profile].map((x) => [x.request.path, x.response]));
    const server = closeAfterTest(
      await startRecordingServer(
        (req) => byPath.get(req.path) ?? { status: 404, body: { error: { type: "actor-not-found", message: "Actor was not found" } } },
      ),
    );
    const client = createApifyClient({ baseUrl: server.url, token: "<YOUR_API_TOKEN>", syncTimeoutS: 600 });

    const result = await discoverContactsViaApify({
      client,
      companyName: "Netflix",
      companyId: 1,
      titles: ["Pharmacology", "Chief Executive Officer"],
      matchesTitle: containsTitle,
      flags: { enabled: true, useChain: true },
      capGuard: { tryConsume: async () => true },
      writeLine: () => undefined,
    });

    expect(server.requests.map((r) => r.path)).toEqual([company.request.path, employees.request.path, profile.request.path]);
    for (const sent of server.requests) {
      expect(sent.method).toBe("POST");
      expect(sent.headers["content-type"]).toBe("application/json");
      expect(Object.keys(sent.query).filter((k) => !QUERY_PARAMETERS.has(k))).toEqual([]);
      expect(sent.query).toMatchObject({ token: "<YOUR_API_TOKEN>", format: "json", timeout: "600" });
    }
    const [companyInput, employeesInput, profileInput] = server.requests.map((r) => r.body as Record<string, unknown>);
    expect(companyInput).toEqual(company.request.body);
    expect(Object.keys(companyInput!).filter((k) => !COMPANY_INPUT.has(k))).toEqual([]);
    expect(Object.keys(employeesInput!).filter((k) => !EMPLOYEES_INPUT.has(k))).toEqual([]);
    // The company actor's `linkedinUrl` is what the employees actor takes.
    expect(employeesInput!.companies).toEqual([(company.response.body as Array<{ linkedinUrl: string }>)[0]!.linkedinUrl]);
    expect(profileInput!.profileUrls).toEqual(["https://www.linkedin.com/in/towhid-rahman/"]);

    expect(result).toMatchObject({ outcome: "ok", calls: 3, usedFallback: false });
    expect(result.contacts).toEqual([
      {
        full_name: "Jane Tan",
        title: "Chief Executive Officer",
        company_current: "Example Pte Ltd",
        linkedin_url: "https://www.linkedin.com/in/jane-tan-example/",
        location: "Singapore, Singapore",
      },
    ]);
  });

  it("maps the documented run-failed and run-timeout bodies", async () => {
    const replies = [runFailed.response, runTimeout.response];
    const server = closeAfterTest(await startRecordingServer(() => replies.shift()!));
    const client = createApifyClient({ baseUrl: server.url, token: "t" });
    await expect(client.runActorSync("janedoe~my-actor", {})).rejects.toSatisfy((e) => e instanceof BadResponse && e.code === "run-failed" && e.status === 400);
    await expect(client.runActorSync("janedoe~my-actor", {})).rejects.toSatisfy(
      (e) => e instanceof Timeout && e.code === "run-timeout-exceeded" && e.status === 408,
    );
    expect(server.requests[0]!.path).toBe(runFailed.request.path);
  });
});

describe("Apify simulator against the documented examples", () => {
  // The dev world's adapter gives every fact LinkedIn shows (tagline, founding year, addresses…).
  const world = vendorWorldFrom(buildWorld(DEMO_COMPANIES, { seed: "contracts" }));
  const companyName = DEMO_COMPANIES[0]!.name;

  async function run(path: string, input: unknown) {
    const sim = await startApifySimulator({ world });
    closeAfterTest(sim);
    const res = await fetch(`${sim.url}${path}?token=apify_api_simulator`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it("answers the company actor's documented input with 201 and items in the documented shape", async () => {
    const res = await run(company.request.path, { searches: [companyName] });
    expect(res.status).toBe(company.response.status);
    expect(shapeMismatches(res.body, company.response.body)).toEqual([]);
  });

  it("answers the employees actor's documented input with 201 and items in the documented shape", async () => {
    const companyUrl = ((await run(company.request.path, { searches: [companyName] })).body as Array<{ linkedinUrl: string }>)[0]!.linkedinUrl;
    const res = await run(employees.request.path, { ...(employees.request.body as object), companies: [companyUrl], startPage: 1 });
    expect(res.status).toBe(employees.response.status);
    expect(shapeMismatches(res.body, employees.response.body)).toEqual([]);
  });

  it("answers the profile actor's input with 201 and items in the callers' shape", async () => {
    const someone = world.employees(world.linkedinCompany(companyName)!.linkedinUrl)[0]!;
    const res = await run(`/v2/acts/${DEFAULT_ACTORS.profile}/run-sync-get-dataset-items`, { profileUrls: [someone.profileUrl] });
    expect(res.status).toBe(profile.response.status);
    expect(shapeMismatches(res.body, profile.response.body)).toEqual([]);
  });

  it("answers a failing run with the documented run-failed body", async () => {
    const sim = await startApifySimulator({ failingActors: [DEFAULT_ACTORS.company] });
    closeAfterTest(sim);
    const res = await fetch(`${sim.url}${company.request.path}?token=apify_api_simulator`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(company.request.body),
    });
    expect(res.status).toBe(runFailed.response.status);
    expect(shapeMismatches(await res.json(), runFailed.response.body)).toEqual([]);
  });
});
