import { afterEach, describe, expect, it } from "vitest";
import { QuotaExceeded, RateLimited, Timeout, Unauthorized, Unavailable } from "~/vendors/errors.server";
import { createLushaClient, type LushaConfig } from "~/vendors/lusha.server";
import { createDefaultWorld } from "../sims/vendors/default-world";
import { startLushaSimulator, type LushaSimOptions } from "../sims/vendors/lusha-sim";

type Sim = Awaited<ReturnType<typeof startLushaSimulator>>;
let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: LushaSimOptions = {}, config: Partial<LushaConfig> = {}) {
  const started = await startLushaSimulator(options);
  sim = started;
  return { sim: started, client: createLushaClient({ baseUrl: started.url, apiKey: "lusha-simulator-key", ...config }) };
}

describe("Lusha client against the simulator", () => {
  it("finds a company by domain or by name, and null when there is none", async () => {
    const { client } = await setup();
    expect(await client.getCompany({ domain: "orchardanalytics.sg" })).toMatchObject({
      name: "Orchard Analytics Pte Ltd",
      domain: "orchardanalytics.sg",
      employees: "11-50",
    });
    expect(await client.getCompany({ name: "Orchard Analytics" })).toMatchObject({ domain: "orchardanalytics.sg" });
    expect(await client.getCompany({ domain: "unknown.example" })).toBeNull();
    expect(client.credits.charged).toBe(2);
  });

  it("enriches one person and treats both no-match styles as null", async () => {
    const { client } = await setup();
    const person = await client.getPerson({ firstName: "Daniel", lastName: "Chua", companyDomain: "orchardanalytics.sg" });
    expect(person).toMatchObject({
      full_name: "Daniel Chua",
      title: "Founder & Managing Director",
      company_current: "Orchard Analytics Pte Ltd",
      emails: [{ email: "daniel@orchardanalytics.sg", type: "work", confidence: "A+" }],
      phones: [{ number: "+65 9123 4567", type: "mobile", doNotCall: false }],
    });
    expect(await client.getPerson({ firstName: "No", lastName: "Body", companyDomain: "orchardanalytics.sg" })).toBeNull();
    await sim!.close();
    const other = await setup({ personNoMatch: "error-body" });
    expect(await other.client.getPerson({ email: "nobody@orchardanalytics.sg" })).toBeNull();
  });

  it("searches contacts by title at a company, then enriches them", async () => {
    const { client, sim } = await setup();
    const contacts = await client.searchContacts({ companyName: "Orchard Analytics Pte Ltd", jobTitles: ["Founder", "Managing Director"] });
    expect(contacts.map((c) => [c.full_name, c.title, c.emails[0]?.email])).toEqual([
      ["Daniel Chua", "Founder & Managing Director", "daniel@orchardanalytics.sg"],
    ]);
    expect(contacts[0]!.lushaId).toBeTruthy();
    expect(sim.creditsUsed()).toBe(1);
    expect(await client.searchContacts({ companyDomain: "nothing.example", jobTitles: ["CEO"] })).toEqual([]);
  });

  it("hands on a LinkedIn link only as https://www.linkedin.com, never a javascript: one", async () => {
    const base = createDefaultWorld();
    const at = { title: "Founder", companyName: "Orchard Analytics Pte Ltd", companyDomain: "orchardanalytics.sg" };
    const world = {
      ...base,
      lushaContacts: () => [
        { ...at, firstName: "Eve", lastName: "Script", linkedinUrl: "javascript:alert(document.cookie)//linkedin.com/in/eve" },
        { ...at, firstName: "Lookalike", lastName: "Host", linkedinUrl: "https://linkedin.com.evil.example/in/lookalike" },
        { ...at, firstName: "Plain", lastName: "Http", linkedinUrl: "http://sg.linkedin.com/in/plain-http/?trk=people" },
      ],
    };
    const { client } = await setup({ world });
    const contacts = await client.searchContacts({ companyDomain: "orchardanalytics.sg", jobTitles: ["Founder"] });
    expect(contacts.map((c) => [c.full_name, c.linkedin_url])).toEqual([
      ["Eve Script", null],
      ["Lookalike Host", null],
      ["Plain Http", "https://www.linkedin.com/in/plain-http/"],
    ]);
  });

  it("maps a bad key to Unauthorized", async () => {
    const { sim } = await setup();
    const client = createLushaClient({ baseUrl: sim.url, apiKey: "bad" });
    await expect(client.getCompany({ domain: "orchardanalytics.sg" })).rejects.toBeInstanceOf(Unauthorized);
  });

  it("maps 429 to RateLimited and running out of credits to QuotaExceeded", async () => {
    const limited = await setup({ rps: 1 });
    await limited.client.getCompany({ domain: "orchardanalytics.sg" });
    await expect(limited.client.getCompany({ domain: "orchardanalytics.sg" })).rejects.toBeInstanceOf(RateLimited);
    await limited.sim.close();
    const broke = await setup({ credits: 0 });
    await expect(broke.client.getCompany({ domain: "orchardanalytics.sg" })).rejects.toBeInstanceOf(QuotaExceeded);
  });

  it("maps injected faults to Unavailable and slow answers to Timeout", async () => {
    const faulty = await setup({ faultRate: 1 });
    await expect(faulty.client.getCompany({ domain: "orchardanalytics.sg" })).rejects.toBeInstanceOf(Unavailable);
    await faulty.sim.close();
    const slow = await setup({ latencyMs: 400 }, { timeoutMs: 50 });
    await expect(slow.client.getCompany({ domain: "orchardanalytics.sg" })).rejects.toBeInstanceOf(Timeout);
  });
});
