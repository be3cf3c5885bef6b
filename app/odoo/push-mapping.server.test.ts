import { describe, expect, it } from "vitest";
import { type DesiredCompany } from "./desired-partners.server";
import {
  aboutComment,
  companyEmailRank,
  emailVerdict,
  isSuppressedDomain,
  normalizeDomain,
  pushHash,
  registryAddress,
  suppressionLists,
  withHttps,
} from "./push-mapping.server";

describe("push set mapping", () => {
  it("lays out an ACRA address the Singapore way", () => {
    expect(
      registryAddress({ block: "10", street_name: "ANSON ROAD", level_no: "12", unit_no: "01", building_name: "INTERNATIONAL PLAZA", postal_code: "079903" }),
    ).toEqual({ street: "10 ANSON ROAD", street2: "#12-01 INTERNATIONAL PLAZA", zip: "079903", city: "Singapore", countryCode: "SG" });
    expect(registryAddress({ block: null, street_name: "JURONG PORT ROAD", level_no: null, unit_no: null, building_name: " ", postal_code: "619110" })).toEqual(
      {
        street: "JURONG PORT ROAD",
        street2: null,
        zip: "619110",
        city: "Singapore",
        countryCode: "SG",
      },
    );
    expect(registryAddress({ block: null, street_name: null, level_no: null, unit_no: null, building_name: null, postal_code: null })).toEqual({});
  });

  it("keeps the note short: about text cut at a word, then the industry", () => {
    expect(aboutComment("  We build\n apps. ", "Software")).toBe("We build apps.\nIndustry: Software");
    const long = aboutComment(`${"word ".repeat(200)}end`, null)!;
    expect(long.length).toBeLessThanOrEqual(501);
    expect(long).toMatch(/word…$/);
    expect(aboutComment(null, null)).toBeNull();
  });

  it("normalises domains", () => {
    expect(normalizeDomain("https://WWW.Acme.com.sg/about")).toBe("acme.com.sg");
    expect(normalizeDomain("acme.sg")).toBe("acme.sg");
  });

  it("pushes verified emails, unknown ones only for a business address on the company's domain, and nothing suppressed", () => {
    const none = { domains: [] as string[], emails: new Set<string>() };
    const verdict = (email: string, status: string, domain: string | null = "acme.sg", suppressed = none) =>
      emailVerdict({ email, verificationStatus: status }, domain ?? undefined, suppressed).kind;
    expect(verdict("Jo@Acme.sg", "verified")).toBe("push");
    expect(verdict("jo@gmail.com", "verified")).toBe("push");
    expect(verdict("jo@acme.sg", "unknown")).toBe("push");
    expect(verdict("jo@sales.acme.sg", "unknown")).toBe("push");
    expect(verdict("jo@other.sg", "unknown")).toBe("unverified");
    expect(verdict("jo@acme.sg", "unknown", null)).toBe("unverified");
    expect(verdict("jo@gmail.com", "unknown", "gmail.com")).toBe("unverified");
    for (const status of ["pending", "catch_all", "invalid", "do_not_mail"]) expect(verdict("jo@acme.sg", status)).toBe("unverified");
    expect(verdict("not an email", "verified")).toBe("invalid");
    expect(verdict("jo@acme.sg", "verified", "acme.sg", { domains: ["acme.sg"], emails: new Set() })).toBe("suppressed");
    expect(verdict("jo@acme.sg", "verified", "acme.sg", { domains: [], emails: new Set(["jo@acme.sg"]) })).toBe("suppressed");
  });

  it("hashes what was sent independently of contact order, and per Odoo target", () => {
    const company: DesiredCompany = {
      uen: "U1",
      name: "A",
      contacts: [
        { name: "X", email: "x@a.sg" },
        { name: "Y", linkedinUrl: "https://www.linkedin.com/in/y" },
      ],
    };
    const target = { database: "db", companyId: 3 };
    const reversed = { ...company, contacts: [...company.contacts].reverse() };
    expect(pushHash(reversed, target)).toBe(pushHash(company, target));
    expect(pushHash({ ...company, name: "B" }, target)).not.toBe(pushHash(company, target));
    expect(pushHash(company, { database: "db", companyId: 4 })).not.toBe(pushHash(company, target));
  });

  it("reads suppression entries the way lookups compare them", () => {
    const lists = suppressionLists([
      { kind: "uen", value: " t10000001s " },
      { kind: "domain", value: "@WWW.Blocked.example" },
      { kind: "email", value: "OptOut@Mixed.example" },
      { kind: "email", value: "not an email" },
      { kind: "phone", value: "+65 6100 0000" },
    ]);
    expect([...lists.uens]).toEqual(["T10000001S"]);
    expect(lists.domains).toEqual(["blocked.example"]);
    expect([...lists.emails]).toEqual(["optout@mixed.example"]);
  });

  it("suppresses a domain's subdomains but not a domain that merely ends the same", () => {
    expect(isSuppressedDomain("blocked.example", ["blocked.example"])).toBe(true);
    expect(isSuppressedDomain("mail.blocked.example", ["blocked.example"])).toBe(true);
    expect(isSuppressedDomain("notblocked.example", ["blocked.example"])).toBe(false);
    expect(isSuppressedDomain("blocked.example", [])).toBe(false);
  });

  it("ranks the company's address: verified before unknown, a shared mailbox before a person", () => {
    const ranked = [
      { email: "tan@acme.sg", status: "unknown", role: false },
      { email: "info@acme.sg", status: "unknown", role: true },
      { email: "jo@acme.sg", status: "verified", role: false },
      { email: "hello@acme.sg", status: "verified", role: true },
    ].sort((a, b) => companyEmailRank(a) - companyEmailRank(b));
    expect(ranked.map((e) => e.email)).toEqual(["hello@acme.sg", "jo@acme.sg", "info@acme.sg", "tan@acme.sg"]);
  });

  it("gives a LinkedIn URL a scheme only when it has none", () => {
    expect(withHttps(" linkedin.com/in/lim-mei ")).toBe("https://linkedin.com/in/lim-mei");
    expect(withHttps("http://www.linkedin.com/in/ong")).toBe("http://www.linkedin.com/in/ong");
    expect(withHttps("HTTPS://www.linkedin.com/in/ong")).toBe("HTTPS://www.linkedin.com/in/ong");
  });
});
