import { afterEach, describe, expect, it } from "vitest";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import {
  companyLookupInput,
  createApifyClient,
  discoverContactsViaApify,
  type ApifyConfig,
  type ApifyVendorCall,
  type CapGuard,
  type DiscoverContactsInput,
} from "~/vendors/apify.server";
import { QuotaExceeded, Timeout, Unauthorized, Unavailable } from "~/vendors/errors.server";
import { startApifySimulator, type ApifySimOptions } from "../sims/vendors/apify-sim";

type Sim = Awaited<ReturnType<typeof startApifySimulator>>;
let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const TOKEN = "apify_api_simulator";

async function setup(options: ApifySimOptions = {}, config: Partial<ApifyConfig> = {}) {
  const started = await startApifySimulator(options);
  sim = started;
  const client = createApifyClient({ baseUrl: started.url, token: TOKEN, syncTimeoutS: 600, ...config });
  return { sim: started, client };
}

function capGuard(allowed: number): CapGuard & { asked: Array<[string, number]> } {
  let left = allowed;
  const asked: Array<[string, number]> = [];
  return {
    asked,
    async tryConsume(vendor, units) {
      asked.push([vendor, units]);
      if (left < units) return false;
      left -= units;
      return true;
    },
  };
}

function chainInput(client: DiscoverContactsInput["client"], over: Partial<DiscoverContactsInput> = {}) {
  const lines: string[] = [];
  const input: DiscoverContactsInput = {
    client,
    companyName: "Lion City Robotics Pte Ltd",
    companyId: "c-101",
    titles: ["CEO", "Head of Sales"],
    matchesTitle: matchesContactTitle,
    flags: { enabled: true, useChain: true, debugLogItems: false },
    capGuard: capGuard(100),
    writeLine: (line) => lines.push(line),
    ...over,
  };
  return { input, lines };
}

describe("runActorSync", () => {
  it("posts the input to run-sync-get-dataset-items with token, format and run timeout", async () => {
    const { client, sim } = await setup();
    const items = await client.runActorSync("harvestapi~linkedin-company", { searches: ["Lion City Robotics Pte Ltd"] });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ linkedinUrl: "https://www.linkedin.com/company/lion-city-robotics/", name: "Lion City Robotics Pte Ltd" });
    expect(sim.runs[0]).toEqual({
      actorId: "harvestapi~linkedin-company",
      input: { searches: ["Lion City Robotics Pte Ltd"] },
      query: { format: "json", timeout: "600" },
      tokenInQuery: true,
    });
  });

  it("looks companies up by name in `searches` and by LinkedIn URL in `companies`, as the actor does", async () => {
    const { client } = await setup();
    const [byUrl] = await client.runActorSync("harvestapi~linkedin-company", { companies: ["https://www.linkedin.com/company/lion-city-robotics/"] });
    expect(byUrl).toMatchObject({ name: "Lion City Robotics Pte Ltd" });
    const [nameAsUrl] = await client.runActorSync("harvestapi~linkedin-company", { companies: ["Lion City Robotics Pte Ltd"] });
    expect(nameAsUrl).toMatchObject({ message: "Company not found", query: "Lion City Robotics Pte Ltd" });
    expect(companyLookupInput("Lion City Robotics Pte Ltd")).toEqual({ searches: ["Lion City Robotics Pte Ltd"] });
  });

  it("maps a bad token to Unauthorized", async () => {
    const { sim } = await setup();
    const client = createApifyClient({ baseUrl: sim.url, token: "wrong" });
    await expect(client.runActorSync("harvestapi~linkedin-company", { searches: ["x"] })).rejects.toSatisfy(
      (e) => e instanceof Unauthorized && e.code === "token-not-valid",
    );
  });

  it("maps a run longer than the 300 s sync wait to Timeout (408)", async () => {
    const { client } = await setup({ runTimeS: { "harvestapi~linkedin-company": 301 } });
    await expect(client.runActorSync("harvestapi~linkedin-company", { searches: ["x"] })).rejects.toSatisfy(
      (e) => e instanceof Timeout && e.status === 408 && e.code === "run-timeout-exceeded",
    );
  });

  it("maps the account limit (402) to QuotaExceeded", async () => {
    const { client } = await setup({ maxRuns: 0 });
    await expect(client.runActorSync("harvestapi~linkedin-company", { searches: ["x"] })).rejects.toBeInstanceOf(QuotaExceeded);
  });

  it("maps injected faults to Unavailable and a slow answer to Timeout", async () => {
    const faulty = await setup({ faultRate: 1 });
    await expect(faulty.client.runActorSync("harvestapi~linkedin-company", { searches: ["x"] })).rejects.toBeInstanceOf(Unavailable);
    await faulty.sim.close();
    const slow = await setup({ latencyMs: 400 }, { httpTimeoutMs: 50 });
    await expect(slow.client.runActorSync("harvestapi~linkedin-company", { searches: ["x"] })).rejects.toBeInstanceOf(Timeout);
  });
});

describe("discoverContactsViaApify", () => {
  it("runs company → employees → profiles and prints the exact log lines", async () => {
    const { client, sim } = await setup({}, { employeesScraperMode: "Full ($8 per 1k)" });
    const { input, lines } = chainInput(client);
    const result = await discoverContactsViaApify(input);

    expect(result.outcome).toBe("ok");
    expect(result.usedFallback).toBe(false);
    expect(result.calls).toBe(3);
    expect(result.units).toBe(3);
    expect(result.contacts).toEqual([
      {
        full_name: "Wei Ming Tan",
        title: "Co-Founder & CEO",
        company_current: "Lion City Robotics Pte Ltd",
        linkedin_url: "https://www.linkedin.com/in/tan-wei-ming/",
        location: "Singapore, Singapore",
        email: "weiming.tan@lioncityrobotics.sg",
      },
      {
        full_name: "Priya Nair",
        title: "Head of Sales, APAC",
        company_current: "Lion City Robotics Pte Ltd",
        linkedin_url: "https://www.linkedin.com/in/priya-nair-sg/",
        location: "Singapore",
      },
    ]);
    expect(lines).toEqual([
      "Apify company actor: company=Lion City Robotics Pte Ltd company_url=https://www.linkedin.com/company/lion-city-robotics/",
      "Apify employees actor: company_url=https://www.linkedin.com/company/lion-city-robotics/ employees=4",
      "Apify profile actor: requested=2 received=2 filtered=2",
      "[apify_contacts] fetched=2 normalized=2 company_id=c-101",
    ]);
    expect(sim.runs.map((r) => [r.actorId, r.input])).toEqual([
      ["harvestapi~linkedin-company", { searches: ["Lion City Robotics Pte Ltd"] }],
      [
        "harvestapi~linkedin-company-employees",
        { companies: ["https://www.linkedin.com/company/lion-city-robotics/"], maxItems: 50, profileScraperMode: "Full ($8 per 1k)" },
      ],
      [
        "dev_fusion~linkedin-profile-scraper",
        { profileUrls: ["https://www.linkedin.com/in/tan-wei-ming/", "https://www.linkedin.com/in/priya-nair-sg/"], maxItems: 2 },
      ],
    ]);
  });

  it("reports every actor run, failed ones included, for the contact_discovery vendor_call events", async () => {
    const { client } = await setup({ runTimeS: { "harvestapi~linkedin-company-employees": 400 } });
    const calls: ApifyVendorCall[] = [];
    const { input } = chainInput(client, { onVendorCall: (call) => calls.push(call) });
    const started = performance.now();
    const result = await discoverContactsViaApify(input);
    const elapsed = performance.now() - started;
    expect(calls.map((c) => [c.actorId, c.ok])).toEqual([
      ["harvestapi~linkedin-company", true],
      ["harvestapi~linkedin-company-employees", false],
      ["dev_fusion~linkedin-profile-scraper", true],
    ]);
    expect(calls).toHaveLength(result.calls);
    expect(calls[1]!.error).toMatch(/timeout/i);
    expect(calls[1]!.errorName).toBe("Timeout");
    // Each run is timed on its own: over HTTP it takes some time, and the runs follow one another.
    for (const call of calls) expect(call.durationMs).toBeGreaterThan(0);
    expect(calls.reduce((sum, c) => sum + c.durationMs, 0)).toBeLessThanOrEqual(elapsed);
  });

  it("skips the profile run when no employee holds a wanted title, and proceeds without contacts", async () => {
    const { client, sim } = await setup();
    const { input, lines } = chainInput(client, { titles: ["CFO"] });
    const result = await discoverContactsViaApify(input);
    expect(result).toMatchObject({ contacts: [], outcome: "ok", usedFallback: false, calls: 2 });
    expect(sim.runs).toHaveLength(2);
    expect(lines.slice(2)).toEqual(["Apify profile actor: requested=0 received=0 filtered=0", "[apify_contacts] fetched=0 normalized=0 company_id=c-101"]);
  });

  it("prints item samples, with emails masked, when debug logging is on", async () => {
    const { client } = await setup();
    const { input, lines } = chainInput(client, { flags: { enabled: true, useChain: true, debugLogItems: true } });
    await discoverContactsViaApify(input);
    const samples = lines.filter((l) => l.startsWith("[apify_contacts] sample="));
    expect(samples).toHaveLength(2);
    expect(samples[0]).toContain('"email":"w***@lioncityrobotics.sg"');
    expect(samples.join("\n")).not.toContain("weiming.tan@");
  });

  it("falls back to the query-only path when the company is not on LinkedIn", async () => {
    const { client, sim } = await setup();
    const { input, lines } = chainInput(client, { companyName: "Orchard Analytics Pte Ltd", companyId: 7, titles: ["Founder", "CEO"] });
    const result = await discoverContactsViaApify(input);
    expect(result).toMatchObject({ outcome: "ok", usedFallback: true, calls: 2, units: 2 });
    // The bakery's CEO matches the title but works elsewhere.
    expect(result.contacts.map((c) => c.full_name)).toEqual(["Daniel Chua"]);
    expect(sim.runs[1]).toMatchObject({
      actorId: "dev_fusion~linkedin-profile-scraper",
      input: { queries: ["Orchard Analytics Pte Ltd Founder", "Orchard Analytics Pte Ltd CEO"], maxItems: 25 },
    });
    expect(lines).toEqual([
      "Apify company actor: company=Orchard Analytics Pte Ltd company_url=",
      "Apify profile actor: requested=2 received=3 filtered=1",
      "[apify_contacts] fetched=3 normalized=1 company_id=7",
    ]);
  });

  it("falls back when the employees run times out, and uses the search Actor when one is configured", async () => {
    const { client, sim } = await setup(
      { runTimeS: { "harvestapi~linkedin-company-employees": 400 } },
      { actors: { search: "harvestapi~linkedin-profile-search" } },
    );
    const { input } = chainInput(client);
    const result = await discoverContactsViaApify(input);
    expect(result.outcome).toBe("ok");
    expect(result.usedFallback).toBe(true);
    expect(sim.runs.map((r) => r.actorId)).toEqual([
      "harvestapi~linkedin-company",
      "harvestapi~linkedin-company-employees",
      "harvestapi~linkedin-profile-search",
      "dev_fusion~linkedin-profile-scraper",
    ]);
    expect(result.contacts.map((c) => c.full_name).sort()).toEqual(["Priya Nair", "Wei Ming Tan"]);
  });

  it("uses only the query path when the chain flag is off", async () => {
    const { client, sim } = await setup();
    const { input } = chainInput(client, { flags: { enabled: true, useChain: false } });
    const result = await discoverContactsViaApify(input);
    expect(result.usedFallback).toBe(true);
    expect(sim.runs.map((r) => r.actorId)).toEqual(["dev_fusion~linkedin-profile-scraper"]);
    expect(result.contacts.map((c) => c.full_name).sort()).toEqual(["Priya Nair", "Wei Ming Tan"]);
  });

  it("does nothing when Apify is disabled", async () => {
    const { client, sim } = await setup();
    const guard = capGuard(100);
    const { input, lines } = chainInput(client, { flags: { enabled: false, useChain: true }, capGuard: guard });
    expect(await discoverContactsViaApify(input)).toEqual({ contacts: [], outcome: "disabled", calls: 0, failedCalls: 0, units: 0, usedFallback: false });
    expect(sim.stats.calls).toBe(0);
    expect(guard.asked).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("checks the daily cap before any call", async () => {
    const { client, sim } = await setup();
    const guard = capGuard(0);
    const { input } = chainInput(client, { capGuard: guard });
    const result = await discoverContactsViaApify(input);
    expect(result).toMatchObject({ contacts: [], outcome: "cap_reached", calls: 0, units: 0 });
    expect(guard.asked).toEqual([["apify_linkedin", 1]]);
    expect(sim.stats.calls).toBe(0);
  });

  it("stops mid-chain when the cap runs out, without falling back", async () => {
    const { client, sim } = await setup();
    const { input } = chainInput(client, { capGuard: capGuard(1) });
    const result = await discoverContactsViaApify(input);
    expect(result).toMatchObject({ outcome: "cap_reached", calls: 1, units: 1, usedFallback: false });
    expect(sim.stats.calls).toBe(1);
  });

  it("reports quota without a fallback attempt", async () => {
    const { client, sim } = await setup({ maxRuns: 0 });
    const { input } = chainInput(client);
    const result = await discoverContactsViaApify(input);
    expect(result).toMatchObject({ contacts: [], outcome: "quota", usedFallback: false, calls: 1 });
    expect(result.error).toContain("memory limit");
    expect(sim.stats.calls).toBe(1);
  });

  it("returns an error outcome, never throws, when the chain and the fallback both fail", async () => {
    const { client } = await setup({ failingActors: ["harvestapi~linkedin-company"], profileActorAcceptsQueries: false });
    const { input } = chainInput(client);
    const result = await discoverContactsViaApify(input);
    expect(result.outcome).toBe("error");
    expect(result.usedFallback).toBe(true);
    expect(result.error).toMatch(/FAILED.*fallback: .*profileUrls is required/);
  });

  it("returns an error outcome on a bad token", async () => {
    const { sim } = await setup();
    const client = createApifyClient({ baseUrl: sim.url, token: "nope" });
    const { input } = chainInput(client);
    expect(await discoverContactsViaApify(input)).toMatchObject({ outcome: "error", usedFallback: false, contacts: [] });
  });
});

describe("companies of one run sharing actor runs", () => {
  const names = ["Lion City Robotics Pte Ltd", "Marina Bay Logistics Pte Ltd"];
  const titles = ["CEO", "Head of Sales", "Managing Director"];

  it("looks both companies up in one company-actor run and scrapes their profiles in one, each keeping its own contacts", async () => {
    // Each company alone: the chain's three runs apiece.
    const alone = await setup();
    const solo = [];
    for (const [i, companyName] of names.entries()) {
      solo.push(await discoverContactsViaApify(chainInput(alone.client, { companyName, companyId: `c-${i}`, titles }).input));
    }
    expect(alone.sim.runs).toHaveLength(6);
    expect(solo.map((r) => r.contacts.length)).toEqual([2, 1]);
    const soloProfileUrls = alone.sim.runs
      .filter((r) => r.actorId === "dev_fusion~linkedin-profile-scraper")
      .flatMap((r) => (r.input as { profileUrls: string[] }).profileUrls);
    await alone.sim.close();

    // A batch of two closes when the second joins; the long window only keeps a loaded machine from splitting it.
    const { client, sim } = await setup({}, { batchWindowMs: 10_000, batchMax: 2 });
    const guard = capGuard(100);
    const calls: ApifyVendorCall[] = [];
    const shared = await Promise.all(
      names.map((companyName, i) =>
        discoverContactsViaApify(
          chainInput(client, { companyName, companyId: `c-${i}`, titles, capGuard: guard, batchKey: "run-1", onVendorCall: (c) => calls.push(c) }).input,
        ),
      ),
    );
    expect(shared.map((r) => r.contacts)).toEqual(solo.map((r) => r.contacts));
    expect(shared.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    // The actor's documented list input: several names in `searches`, several profiles in `profileUrls`.
    expect(sim.runs.map((r) => r.actorId)).toEqual([
      "harvestapi~linkedin-company",
      "harvestapi~linkedin-company-employees",
      "harvestapi~linkedin-company-employees",
      "dev_fusion~linkedin-profile-scraper",
    ]);
    expect(sim.runs[0]!.input).toEqual({ searches: names });
    const { profileUrls, maxItems } = sim.runs[3]!.input as { profileUrls: string[]; maxItems: number };
    expect([...profileUrls].sort()).toEqual([...soloProfileUrls].sort());
    expect(maxItems).toBe(soloProfileUrls.length);
    // Four runs were started, each paid for once: by the company that opened its batch.
    expect(shared.reduce((n, r) => n + r.calls, 0)).toBe(4);
    expect(guard.asked).toHaveLength(4);
    expect(calls.filter((c) => c.shared).map((c) => c.actorId)).toEqual(["harvestapi~linkedin-company", "dev_fusion~linkedin-profile-scraper"]);
  });

  it("keeps lookups of different batches (another run, another tenant's cap) in runs of their own", async () => {
    const { client, sim } = await setup({}, { batchWindowMs: 500 });
    await Promise.all(
      names.map((companyName, i) => discoverContactsViaApify(chainInput(client, { companyName, companyId: `c-${i}`, titles, batchKey: `run-${i}` }).input)),
    );
    expect(sim.runs.filter((r) => r.actorId === "harvestapi~linkedin-company").map((r) => r.input)).toEqual([
      { searches: [names[0]] },
      { searches: [names[1]] },
    ]);
  });

  it("fails every company of a batch whose shared run failed, and each falls back on its own", async () => {
    const { client, sim } = await setup({ failingActors: ["harvestapi~linkedin-company"] }, { batchWindowMs: 10_000, batchMax: 2 });
    const results = await Promise.all(
      names.map((companyName, i) => discoverContactsViaApify(chainInput(client, { companyName, companyId: `c-${i}`, titles, batchKey: "run-1" }).input)),
    );
    expect(results.map((r) => r.usedFallback)).toEqual([true, true]);
    expect(sim.runs.filter((r) => r.actorId === "harvestapi~linkedin-company")).toHaveLength(1);
    // Only the company that started the failed run counts it.
    expect(results.map((r) => r.failedCalls)).toEqual([1, 0]);
  });
});
