import { describe, expect, it } from "vitest";
import { Unauthorized } from "~/vendors/errors.server";
import { createLushaClient } from "~/vendors/lusha.server";
import { createDefaultWorld } from "../sims/vendors/default-world";
import { startLushaSimulator } from "../sims/vendors/lusha-sim";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange, type DocumentedExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * Lusha's documented exchanges:
 * - GET /v2/person, its query parameters and their examples (Dustin Moskovitz at Lusha), the `api_key` header:
 *   https://docs.lusha.com/apis/openapi/enrichment/searchsinglecontact.md
 * - prospecting search (`pages`, `filters.contacts/companies.include`) and enrich (`requestId` + `contactIds`,
 *   the example ids below): https://docs.lusha.com/v2/prospecting/search-contacts and
 *   https://docs.lusha.com/v2/prospecting/enrich-contacts.md
 * - the error body `{"error":{"code","message"}}`: https://docs.lusha.com/apis/openapi/company-enrichment/searchmultiplecompaniesv2.md
 * Lusha publishes field tables rather than full response examples; the response bodies here are assembled from
 * those tables, with the documented example values.
 */
const person = loadExchange("lusha", "person");
const search = loadExchange("lusha", "prospecting-search");
const enrich = loadExchange("lusha", "prospecting-enrich");
const unauthorized = loadExchange("lusha", "error-unauthorized");

const PERSON_QUERY = new Set([
  "firstName",
  "lastName",
  "companyName",
  "companyDomain",
  "email",
  "linkedinUrl",
  "refreshJobInfo",
  "filterBy",
  "revealEmails",
  "revealPhones",
  "signals",
  "signalsStartDate",
]);

const closeAfterTest = closedAfterEach();

async function clientAgainstDocs(...exchanges: DocumentedExchange[]) {
  const byPath = new Map(exchanges.map((x) => [x.request.path, x.response]));
  const server = closeAfterTest(
    await startRecordingServer((req) => byPath.get(req.path) ?? { status: 404, body: { error: { code: 404, message: "Not found" } } }),
  );
  return { server, client: createLushaClient({ baseUrl: server.url, apiKey: "YOUR_API_KEY" }) };
}

describe("Lusha client against Lusha's documented examples", () => {
  it("looks a person up with the documented query and header, and reads the contact", async () => {
    const { server, client } = await clientAgainstDocs(person);
    const q = person.request.query!;
    const contact = await client.getPerson({ firstName: q.firstName!, lastName: q.lastName!, companyName: q.companyName, companyDomain: q.companyDomain });

    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: "GET", path: person.request.path, query: person.request.query, body: undefined });
    expect(Object.keys(sent!.query).filter((k) => !PERSON_QUERY.has(k))).toEqual([]);
    expect(sent!.headers.api_key).toBe("YOUR_API_KEY");
    expect(contact).toMatchObject({
      full_name: "Dustin Moskovitz",
      title: "Software Engineer",
      company_current: "Lusha",
      linkedin_url: "https://www.linkedin.com/in/dustin/",
      emails: [{ email: "dustin@lusha.com", type: "work", confidence: "A+" }],
    });
    expect(client.credits.charged).toBe(1);
  });

  it("searches with the documented filters, then enriches with the documented requestId and contactIds", async () => {
    const { server, client } = await clientAgainstDocs(search, enrich);
    const contacts = await client.searchContacts({ companyDomain: "lusha.com", jobTitles: ["Software Engineer"] });

    expect(server.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", search.request.path, search.request.body],
      ["POST", enrich.request.path, enrich.request.body],
    ]);
    expect(contacts).toEqual([expect.objectContaining({ full_name: "Dustin Moskovitz", lushaId: "06de9b18-516d-5512-5cb5-6ec5pb215776" })]);
  });

  it("turns the documented error body into Unauthorized with Lusha's message", async () => {
    const { client } = await clientAgainstDocs(unauthorized);
    await expect(client.getPerson({ email: "dustin@lusha.com" })).rejects.toSatisfy(
      (e) => e instanceof Unauthorized && e.status === 401 && e.message === "lusha: Invalid API key",
    );
  });
});

describe("Lusha simulator against Lusha's documented examples", () => {
  const world = createDefaultWorld();

  async function send(request: DocumentedExchange["request"], apiKey = "lusha-simulator-key") {
    const sim = await startLushaSimulator({ world });
    closeAfterTest(sim);
    const url = new URL(`${sim.url}${request.path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method: request.method,
      headers: { api_key: apiKey, ...(request.body ? { "content-type": "application/json" } : {}) },
      body: request.body ? JSON.stringify(request.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it("answers the documented person query in the documented shape", async () => {
    const someone = world.lushaContacts({ domain: "orchardanalytics.sg" })[0]!;
    const res = await send({
      ...person.request,
      query: { firstName: someone.firstName, lastName: someone.lastName, companyName: someone.companyName, companyDomain: someone.companyDomain },
    });
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, person.response.body)).toEqual([]);
  });

  it("answers the documented prospecting search in the documented shape", async () => {
    const res = await send({
      ...search.request,
      body: {
        ...(search.request.body as object),
        filters: { contacts: { include: { jobTitles: ["Founder"] } }, companies: { include: { domains: ["orchardanalytics.sg"] } } },
      },
    });
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, search.response.body)).toEqual([]);
  });

  it("refuses a wrong key with the documented error body", async () => {
    const res = await send(unauthorized.request, "wrong");
    expect(res.status).toBe(401);
    expect(shapeMismatches(res.body, unauthorized.response.body)).toEqual([]);
  });
});
