import { describe, expect, it } from "vitest";
import { DEMO_COMPANIES, syntheticCompanies } from "./names";
import { renderHtml } from "./render";
import { buildWorld } from "./index";

const registry = [...DEMO_COMPANIES, ...syntheticCompanies(600, "world-test")];
const world = buildWorld(registry, { seed: "world-test" });

describe("buildWorld", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const again = buildWorld(registry, { seed: "world-test" });
    const other = buildWorld(registry, { seed: "other" });
    const fingerprint = (w: typeof world) => w.companies().map((c) => `${c.uen}:${c.site?.domain ?? "-"}:${c.site?.kind ?? "-"}:${c.headcount}`);
    expect(fingerprint(again)).toEqual(fingerprint(world));
    expect(fingerprint(other)).not.toEqual(fingerprint(world));
    const codigo = (w: typeof world) => renderHtml(w.siteForHost("codigo.com.sg")!, w.pageAt("codigo.com.sg", "/")!);
    expect(codigo(again)).toBe(codigo(world));
  });

  it("gives every site a distinct domain and roughly the intended mix of kinds", () => {
    const companies = world.companies();
    const share = (p: (c: (typeof companies)[number]) => boolean) => companies.filter(p).length / companies.length;
    expect(share((c) => !c.site)).toBeGreaterThan(0.04);
    expect(share((c) => !c.site)).toBeLessThan(0.11);
    expect(share((c) => c.site?.kind === "rich")).toBeGreaterThan(0.45);
    expect(share((c) => c.site?.kind === "rich")).toBeLessThan(0.62);
    expect(share((c) => c.site?.discoverability === "search_only")).toBeGreaterThan(0.04);
    for (const kind of ["thin", "robots_disallowed", "slow", "error", "redirect", "non_html"] as const) {
      expect(
        share((c) => c.site?.kind === kind),
        kind,
      ).toBeGreaterThan(0.01);
    }
    const domains = world.sites().map((s) => s.domain);
    expect(new Set(domains).size).toBe(domains.length);
    expect(world.sites().some((s) => s.kind === "parked")).toBe(true);
    expect(world.sites().some((s) => s.kind === "namesake")).toBe(true);
  });

  it("guesses most domains from the name the way companies do", () => {
    expect(world.companyByName("CODIGO PTE. LTD.")?.site?.domain).toBe("codigo.com.sg");
    expect(world.companyByName("MERLION FREIGHT (S) PTE. LTD.")?.site).toMatchObject({ domain: "merlionfreight.com.sg", redirect: "www" });
    const guessable = world.companies().filter((c) => c.site?.discoverability === "guessable" && !c.name.includes("&"));
    const obvious = guessable.filter((c) => {
      const label = c.site!.domain.split(".")[0]!.replace(/-/g, "");
      const squashed = c.name.toLowerCase().replace(/[^a-z]/g, "");
      return squashed.startsWith(label);
    });
    expect(obvious.length / guessable.length).toBeGreaterThan(0.95);
  });
});

describe("lookups", () => {
  it("finds companies by name tolerantly", () => {
    const codigo = world.companyByName("CODIGO PTE. LTD.")!;
    for (const variant of ["Codigo Pte Ltd", "codigo", "CODIGO PRIVATE LIMITED", "  Codigo (S) Pte. Ltd. "]) {
      expect(world.companyByName(variant)?.uen, variant).toBe(codigo.uen);
    }
    expect(world.companyByName("Orchid and Pearl Consulting")?.name).toBe("ORCHID & PEARL CONSULTING PTE. LTD.");
    expect(world.companyByName("Nobody Pte Ltd")).toBeUndefined();
  });

  it("serves pages by host, www. included", () => {
    expect(world.siteForHost("WWW.CODIGO.COM.SG")?.domain).toBe("codigo.com.sg");
    expect(world.pageAt("codigo.com.sg", "/")?.kind).toBe("home");
    expect(world.siteForHost("unknown.sg")).toBeUndefined();
  });

  it("searchWeb ranks the company's own pages for its name, and finds search-only sites", () => {
    const results = world.searchWeb("CODIGO PTE. LTD.", { maxResults: 5 });
    expect(results[0]).toMatchObject({ url: "http://codigo.com.sg/", title: expect.stringContaining("Codigo") });
    expect(results.every((r, i) => i === 0 || r.score <= results[i - 1]!.score)).toBe(true);
    expect(results.every((r) => r.score > 0 && r.score <= 1)).toBe(true);
    const hidden = world.companies().find((c) => c.site?.discoverability === "search_only" && c.site.kind === "rich")!;
    const hits = world.searchWeb(`${hidden.name} official website`, { maxResults: 10 });
    expect(hits.some((h) => new URL(h.url).hostname === hidden.site!.contentHost)).toBe(true);
    expect(world.searchWeb("codigo", { includeDomains: ["linkedin.com"] })[0]?.url).toBe("https://www.linkedin.com/company/codigo/");
    expect(world.searchWeb("pte ltd")).toEqual([]);
  });

  it("extractUrl returns page text, null for error sites and unknown URLs", () => {
    const text = world.extractUrl("http://codigo.com.sg/")!;
    expect(text).toContain("Codigo");
    expect(text).toContain("CODIGO PTE. LTD.");
    const broken = world.sites().find((s) => s.kind === "error")!;
    expect(world.extractUrl(`http://${broken.domain}/`)).toBeNull();
    expect(world.extractUrl("http://nowhere.sg/")).toBeNull();
    expect(world.extractUrl("not a url")).toBeNull();
  });

  it("models LinkedIn: company by name or URL, employees, full profiles", () => {
    const company = world.linkedinCompany("Codigo")!;
    expect(company).toMatchObject({
      universalName: "codigo",
      linkedinUrl: "https://www.linkedin.com/company/codigo/",
      name: "Codigo",
      website: "https://www.codigo.com.sg",
    });
    expect(world.linkedinCompany(company.linkedinUrl)).toEqual(company);
    const employees = world.employees(company.linkedinUrl);
    expect(employees.length).toBeGreaterThan(1);
    expect(employees[0]!.position).toMatch(/(CEO|Director|Chief Executive)/);
    const profile = world.profile(employees[0]!.linkedinUrl)!;
    expect(profile).toMatchObject({ fullName: employees[0]!.name, companyName: "Codigo", linkedinUrl: employees[0]!.linkedinUrl });
    expect(profile.headline).toContain("at Codigo");
    expect(world.profile("https://www.linkedin.com/in/nobody-123")).toBeNull();
    expect(world.employees("https://www.linkedin.com/company/nobody/")).toEqual([]);
  });

  it("gives staff Singapore names, varied seniority and some company mailboxes", () => {
    const staff = world.companies().flatMap((c) => (c.linkedin ? world.staff(c.uen) : []));
    expect(new Set(staff.map((e) => e.seniority)).size).toBeGreaterThanOrEqual(5);
    expect(staff.filter((e) => e.location === "Singapore").length / staff.length).toBeGreaterThan(0.8);
    const withMail = staff.filter((e) => e.email && !e.email.endsWith("@gmail.com"));
    expect(withMail.length / staff.length).toBeGreaterThan(0.15);
    expect(staff.some((e) => e.email?.endsWith("@gmail.com"))).toBe(true);
  });

  it("verifies published business mailboxes as mostly valid, guessed ones as invalid", () => {
    const published = world.companies().flatMap((c) => world.truth(c.uen)!.emails.filter((e) => !e.endsWith("@gmail.com")));
    const statuses = published.map((e) => world.emailStatus(e));
    const share = (s: string) => statuses.filter((x) => x === s).length / statuses.length;
    expect(share("valid") + share("catch-all")).toBeGreaterThan(0.75);
    expect(share("do_not_mail")).toBeGreaterThan(0);
    expect(world.emailStatus("not-an-email")).toBe("invalid");
    expect(world.emailVerdict("nobody@nowhere-at-all.sg")).toMatchObject({ status: expect.stringMatching(/invalid|unknown/), mxFound: false });
    const site = world.sites().find((s) => s.company && !s.catchAllMail && s.kind === "rich")!;
    expect(world.emailVerdict(`zz.guess@${site.domain}`)).toMatchObject({ status: expect.stringMatching(/invalid|unknown/) });
    const catchAll = world.sites().find((s) => s.company && s.catchAllMail)!;
    expect(world.emailStatus(`anyone@${catchAll.domain}`)).toBe("catch-all");
    expect(world.emailStatus(published[0]!)).toBe(world.emailStatus(published[0]!.toUpperCase()));
  });

  it("publishes a business email on enough sites for the ≥ 40 % email target", () => {
    const withMail = world.companies().filter((c) => world.truth(c.uen)!.emails.some((e) => !e.endsWith("@gmail.com")));
    expect(withMail.length / world.companies().length).toBeGreaterThan(0.4);
  });
});
