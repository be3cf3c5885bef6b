import { describe, expect, it } from "vitest";
import { couldBeCompanySite, searchHitAsPage, siteHost } from "./company-site";

describe("siteHost", () => {
  it.each([
    ["https://WWW.Harbourfreight.com.sg/about", "harbourfreight.com.sg"],
    ["harbourfreight.com.sg", "harbourfreight.com.sg"],
    ["http://shop.harbourfreight.com.sg:8080/x?y=1", "shop.harbourfreight.com.sg"],
    ["https://", null],
  ])("%j is on %j", (url, host) => {
    expect(siteHost(url)).toBe(host);
  });
});

describe("couldBeCompanySite", () => {
  it.each([
    ["harbourfreight.com.sg", true],
    ["sg.linkedin.com", false],
    ["linkedin.com", false],
    ["x.com", false],
    ["box.com", true],
    ["en.wikipedia.org", false],
    ["recordowl.com", false],
  ])("%s: %s", (host, company) => {
    expect(couldBeCompanySite(host)).toBe(company);
  });
});

describe("searchHitAsPage", () => {
  it("reads a hit's title and snippet as a page with no links or contact details", () => {
    const page = searchHitAsPage({ title: "Harbour Freight Solutions", content: "Freight forwarding  in Singapore" });
    expect(page).toMatchObject({ title: "Harbour Freight Solutions", text: "Freight forwarding  in Singapore", wordCount: 4 });
    expect([page.description, page.boilerplate]).toEqual(["", ""]);
    expect([page.headings, page.links, page.emails, page.phones, page.organizations].flat()).toEqual([]);
  });
});
