import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { extractCompanyProfile } from "~/enrichment/extract.server";
import { vocabularyIndustry } from "~/enrichment/industry.server";
import { canonicalLinkedinUrl, createApifyClient, discoverContactsViaApify, normalizeProfile, type ApifyClient } from "~/vendors/apify.server";
import { createLlmClient } from "~/vendors/llm.server";
import { createLushaClient, type LushaClient } from "~/vendors/lusha.server";
import { createTavilyClient, type TavilyClient } from "~/vendors/tavily.server";
import { createZeroBounceClient, type ZeroBounceClient } from "~/vendors/zerobounce.server";
import { startVendorSimulators, type VendorSimulators } from "../vendors/index";
import { type VendorWorld } from "../vendors/world";
import { buildWorld, type World } from "../world/index";
import { type WorldCompany } from "../world/model";
import { DEMO_COMPANIES, syntheticCompanies } from "../world/names";
import { renderText } from "../world/render";
import { vendorWorldFrom } from "./vendor-world";

// A UEN the seeded world happens to put on LinkedIn (the namesake search needs its staff).
const LABS = { uen: "2024000004D", name: "CODIGO LABS PTE. LTD.", ssicCode: "62011", ssicDescription: "Development of software and applications" };

let world: World;
let vw: VendorWorld;
let sims: VendorSimulators;
let tavily: TavilyClient;
let apify: ApifyClient;
let zerobounce: ZeroBounceClient;
let lusha: LushaClient;
let codigo: WorldCompany;

beforeAll(async () => {
  world = buildWorld([...DEMO_COMPANIES, LABS, ...syntheticCompanies(120, "adapter")], { seed: "adapter", slowMs: 50 });
  vw = vendorWorldFrom(world);
  sims = await startVendorSimulators({ world: vw });
  tavily = createTavilyClient({ baseUrl: sims.env.TAVILY_BASE_URL!, apiKey: sims.env.TAVILY_API_KEY! });
  apify = createApifyClient({ baseUrl: sims.env.APIFY_BASE_URL!, token: sims.env.APIFY_TOKEN! });
  zerobounce = createZeroBounceClient({ baseUrl: sims.env.ZEROBOUNCE_BASE_URL!, apiKey: sims.env.ZEROBOUNCE_API_KEY! });
  lusha = createLushaClient({ baseUrl: sims.env.LUSHA_BASE_URL!, apiKey: sims.env.LUSHA_API_KEY! });
  codigo = world.companyByName("CODIGO PTE. LTD.")!;
});

afterAll(async () => {
  await sims?.close();
});

const COMPANY_ACTOR = "harvestapi~linkedin-company";
const EMPLOYEES_ACTOR = "harvestapi~linkedin-company-employees";
const PROFILE_ACTOR = "dev_fusion~linkedin-profile-scraper";

describe("web search and pages (Tavily)", () => {
  it("passes search through unchanged and Tavily serves it", async () => {
    const hits = vw.searchWeb("Codigo software", { maxResults: 5 });
    expect(hits).toEqual(world.searchWeb("Codigo software", { maxResults: 5 }));
    const answer = await tavily.search({ query: "Codigo software", maxResults: 5 });
    expect(answer.results.map((r) => r.url)).toEqual(hits.map((h) => h.url));
    expect(new URL(answer.results[0]!.url).hostname).toBe("codigo.com.sg");
    const only = await tavily.search({ query: "Codigo", includeDomains: ["sgpbusiness.com"] });
    expect(only.results.length).toBeGreaterThan(0);
    expect(only.results.every((r) => r.url.startsWith("https://www.sgpbusiness.com/"))).toBe(true);
  });

  it("turns a page into its text, title and the site's other pages", async () => {
    const page = vw.extractUrl("http://codigo.com.sg/")!;
    expect(page.text).toBe(world.extractUrl("http://codigo.com.sg/"));
    expect(page.title).toBe(world.pageAt("codigo.com.sg", "/")!.title);
    const paths = [...codigo.site!.pages().keys()].filter((p) => p !== "/");
    expect(page.links).toEqual(paths.map((p) => `http://codigo.com.sg${p}`));
    expect(vw.extractUrl("http://no-such-site.sg/")).toBeUndefined();
    const broken = world.sites().find((s) => s.kind === "error")!;
    expect(vw.extractUrl(`http://${broken.domain}/`)).toBeUndefined();

    const extracted = await tavily.extract({ urls: ["http://codigo.com.sg/", "http://no-such-site.sg/"] });
    expect(extracted.results).toEqual([{ url: "http://codigo.com.sg/", raw_content: page.text }]);
    expect(extracted.failed_results.map((f) => f.url)).toEqual(["http://no-such-site.sg/"]);
    const crawled = await tavily.crawl({ url: "http://codigo.com.sg/", maxDepth: 1, limit: 10 });
    expect(crawled.results.length).toBeGreaterThan(3);
    expect(crawled.results.every((r) => r.url.startsWith("http://codigo.com.sg/"))).toBe(true);
  });

  it("gives a directory listing's first line as its title", () => {
    const listing = world.searchWeb(`${codigo.name} ${codigo.uen}`, { maxResults: 10 }).find((h) => h.url.includes("sgpbusiness.com"))!;
    expect(vw.extractUrl(listing.url)).toMatchObject({ title: codigo.name, links: [] });
  });
});

describe("LinkedIn (Apify actors)", () => {
  it("finds a company page by registry name or URL, and the company actor returns its facts", async () => {
    const li = world.linkedinCompany(codigo.name)!;
    expect(vw.linkedinCompany(codigo.name)).toEqual(vw.linkedinCompany(li.linkedinUrl));
    expect(vw.linkedinCompany("NO SUCH COMPANY PTE. LTD.")).toBeUndefined();

    const [item] = (await apify.runActorSync(COMPANY_ACTOR, { searches: [codigo.name] })) as Array<Record<string, unknown>>;
    expect(item).toMatchObject({
      id: li.id,
      universalName: li.universalName,
      linkedinUrl: li.linkedinUrl,
      name: li.name,
      tagline: li.tagline,
      website: li.website,
      employeeCount: li.employeeCount,
      employeeCountRange: li.employeeCountRange,
      followerCount: li.followerCount,
      foundedOn: { year: li.foundedOn.year },
      industries: li.industries,
      specialities: li.specialities,
      phone: li.phone,
      locations: [{ headquarter: true, city: "Singapore", country: "SG", postalCode: li.locations[0]!.postalCode, line1: li.locations[0]!.line1 }],
    });
  });

  it("lists employees whose actor items are the world's harvestapi items", async () => {
    const li = world.linkedinCompany(codigo.name)!;
    const staff = world.staff(codigo.uen);
    expect(vw.employees(li.linkedinUrl).map((p) => p.title)).toEqual(staff.map((e) => e.title));

    const short = (await apify.runActorSync(EMPLOYEES_ACTOR, { companies: [li.linkedinUrl], profileScraperMode: "Short ($4 per 1k)" })) as Array<
      Record<string, unknown>
    >;
    const stubs = world.employees(li.linkedinUrl);
    expect(
      short.map(({ id, publicIdentifier, name, position, location, linkedinUrl }) => ({ id, publicIdentifier, name, position, location, linkedinUrl })),
    ).toEqual(stubs);

    const [full] = (await apify.runActorSync(EMPLOYEES_ACTOR, { companies: [li.linkedinUrl], maxItems: 1 })) as Array<Record<string, unknown>>;
    expect(full).toMatchObject({
      firstName: staff[0]!.firstName,
      lastName: staff[0]!.lastName,
      headline: `${staff[0]!.title} at ${codigo.brand}`,
      about: staff[0]!.about,
      currentPosition: [{ companyName: codigo.brand, position: staff[0]!.title }],
      experience: [{ startDate: { year: staff[0]!.startYear }, companyLinkedinUrl: li.linkedinUrl }],
    });
  });

  it("serves profiles in dev_fusion's shape with the world's facts, abroad ones included", async () => {
    const abroad = world
      .companies()
      .filter((c) => c.linkedin)
      .flatMap((c) => world.staff(c.uen))
      .find((e) => e.location.split(", ").length === 3)!;
    const home = world.staff(codigo.uen)[1]!;
    const urls = [home.linkedinUrl, abroad.linkedinUrl];
    const items = (await apify.runActorSync(PROFILE_ACTOR, { profileUrls: urls })) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    for (const [i, url] of urls.entries()) {
      const p = world.profile(url)!;
      expect(items[i]).toMatchObject({
        linkedinUrl: p.linkedinUrl,
        publicIdentifier: p.publicIdentifier,
        fullName: p.fullName,
        firstName: p.firstName,
        lastName: p.lastName,
        headline: p.headline,
        jobTitle: p.jobTitle,
        companyName: p.companyName,
        companyIndustry: p.companyIndustry,
        companyWebsite: p.companyWebsite,
        companyLinkedin: p.companyLinkedin,
        companySize: p.companySize,
        addressWithCountry: p.addressWithCountry,
        addressWithoutCountry: p.addressWithoutCountry,
        addressCountryOnly: p.addressCountryOnly,
        email: p.email,
        about: p.about,
        connections: p.connections,
        followers: p.followers,
      });
      expect(normalizeProfile(items[i])).toMatchObject({
        full_name: p.fullName,
        title: p.jobTitle,
        company_current: p.companyName,
        location: p.addressWithCountry,
      });
    }
    expect(vw.profile("https://www.linkedin.com/in/nobody-here")).toBeUndefined();
  });

  it("searches people by company and title, exact company first, namesakes after", async () => {
    const labs = world.companyByUen(LABS.uen)!;
    expect(labs.linkedin).toBeDefined();
    const ceoLike = (uen: string) =>
      world
        .staff(uen)
        .filter((e) => /\bCEO\b|Chief Executive Officer/.test(e.title))
        .map((e) => e.linkedinUrl);
    const found = vw.searchProfiles("CODIGO PTE. LTD. CEO");
    expect(found).toEqual([...ceoLike(codigo.uen), ...ceoLike(labs.uen)]);
    expect(found.length).toBeGreaterThan(0);
    const everyone = vw.searchProfiles("Codigo");
    expect(everyone.slice(0, world.staff(codigo.uen).length)).toEqual(world.staff(codigo.uen).map((e) => e.linkedinUrl));
    expect(vw.searchProfiles("Nonexistent Widgets CEO")).toEqual([]);

    // The query-only path of the contact chain runs on this search.
    const result = await discoverContactsViaApify({
      client: apify,
      companyName: codigo.name,
      companyId: codigo.uen,
      titles: ["CEO"],
      matchesTitle: matchesContactTitle,
      flags: { enabled: true, useChain: false },
      capGuard: { tryConsume: async () => true },
      writeLine: () => undefined,
    });
    expect(result.outcome).toBe("ok");
    expect(result.contacts.map((c) => c.linkedin_url.replace(/\/$/, ""))).toEqual(expect.arrayContaining(ceoLike(codigo.uen)));
    expect(result.contacts.every((c) => found.includes(c.linkedin_url.replace(/\/$/, "")))).toBe(true);
  });
});

describe("email verification (ZeroBounce)", () => {
  it("answers the world's verdict, and the client reads it", async () => {
    const published = world.truth(codigo.uen)!.emails;
    const addresses = [...published, "nobody.here@codigo.com.sg", "someone@gmail.com", "x@no-such-domain-anywhere.sg"];
    for (const address of addresses) {
      const v = world.emailVerdict(address);
      expect(vw.emailStatus(address)).toEqual({
        status: v.status,
        sub_status: v.subStatus,
        freeEmail: v.freeEmail,
        mxFound: v.mxFound,
        account: v.account,
        domain: v.domain,
      });
    }
    const results = await zerobounce.validateBatch(addresses);
    expect(results.map((r) => [r.email, r.vendorStatus, r.vendorSubStatus ?? "", r.freeEmail])).toEqual(
      addresses.map((a) => {
        const v = world.emailVerdict(a);
        return [a, v.status, v.subStatus, v.freeEmail];
      }),
    );
    const single = await zerobounce.validate("nobody.here@codigo.com.sg");
    expect(single.vendorStatus).toBe(world.emailVerdict("nobody.here@codigo.com.sg").status);
  });
});

describe("Lusha", () => {
  it("knows some companies with a website and none without", async () => {
    const withSite = world.companies().filter((c) => c.site);
    const known = withSite.filter((c) => vw.lushaCompany({ domain: c.site!.domain }));
    expect(known.length).toBeGreaterThan(withSite.length * 0.5);
    expect(known.length).toBeLessThan(withSite.length * 0.9);
    for (const c of known) expect(vw.lushaCompany({ name: c.name })).toEqual(vw.lushaCompany({ domain: c.site!.domain }));
    const siteless = world.companies().filter((c) => !c.site);
    expect(siteless.length).toBeGreaterThan(0);
    expect(siteless.every((c) => vw.lushaCompany({ name: c.name }) === undefined && vw.lushaContacts({ name: c.name }).length === 0)).toBe(true);

    const company = known.find((c) => c.linkedin)!;
    const fetched = await lusha.getCompany({ domain: company.site!.domain });
    expect(fetched).toMatchObject({ name: company.linkedin!.name, domain: company.site!.domain, location: { city: "Singapore", country: "Singapore" } });
    const unknown = withSite.find((c) => !known.includes(c))!;
    expect(await lusha.getCompany({ domain: unknown.site!.domain })).toBeNull();
  });

  it("has contacts from the company's staff, work emails only, and the client enriches them", async () => {
    const company = world
      .companies()
      .filter((c) => c.site && c.linkedin && vw.lushaCompany({ domain: c.site.domain }))
      .sort((a, b) => world.staff(b.uen).length - world.staff(a.uen).length)[0]!;
    const domain = company.site!.domain;
    const contacts = vw.lushaContacts({ domain });
    const staff = world.staff(company.uen);
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.length).toBeLessThan(staff.length);
    for (const c of contacts) {
      const e = staff.find((s) => s.firstName === c.firstName && s.lastName === c.lastName)!;
      expect(c).toMatchObject({ fullName: e.fullName, title: e.title, companyDomain: domain, linkedinUrl: e.linkedinUrl });
      expect(c.email === undefined || c.email === e.email).toBe(true);
      if (c.email) expect(c.email.endsWith(`@${domain}`)).toBe(true);
    }

    const first = contacts[0]!;
    const person = await lusha.getPerson({ firstName: first.firstName, lastName: first.lastName, companyDomain: domain });
    // The client hands LinkedIn links on in Apify's canonical form, so both vendors' contacts match.
    expect(person).toMatchObject({ full_name: first.fullName, title: first.title, linkedin_url: canonicalLinkedinUrl(first.linkedinUrl) });
    const found = await lusha.searchContacts({ companyDomain: domain, jobTitles: [first.title], size: 50 });
    expect(found.map((c) => c.full_name)).toContain(first.fullName);
  });
});

it("answers a company-profile extraction with the facts the pages in the prompt state", async () => {
  const site = codigo.site!;
  const pages = [...site.pages().values()]
    .filter((p) => p.contentType === "text/html")
    .map((p) => ({ url: `http://${site.contentHost}${p.path}`, kind: p.kind, title: p.title, description: p.description, text: renderText(site, p) }));
  const llm = createLlmClient({ baseUrl: sims.env.LLM_BASE_URL!, apiKey: sims.env.LLM_API_KEY!, model: "gpt-4o-mini" });
  const profile = await extractCompanyProfile(pages, { llm });
  expect(profile.provenance.industry).toBe("llm");
  // The world's own label, as the ICP vocabulary names it.
  const label = vocabularyIndustry(codigo.industry.label);
  expect(label).toBeTruthy();
  expect(profile.industry).toBe(label);
  expect(profile.about_text).toBeTruthy();
  expect(pages.some((p) => p.description === profile.about_text)).toBe(true);
  expect(profile.products.length).toBeGreaterThan(0);
  for (const product of profile.products) expect(pages.some((p) => p.text.includes(product))).toBe(true);
  expect(profile.emails.every((e) => pages.some((p) => p.text.includes(e)))).toBe(true);
  // Other structured questions are left to the simulator's schema-driven answer.
  expect(vw.llmAnswer?.({ schemaName: "something_else", system: "", user: `### home page: http://${site.contentHost}/` })).toBeUndefined();
});
