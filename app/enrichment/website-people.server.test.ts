import { describe, expect, it } from "vitest";
import { extractPageText } from "~/crawler/html-text.server";
import { linkedinSearchNeeded, looksLikePersonName, roleQualifiedPeople, websitePeople } from "./website-people.server";

const teamHtml = `<!doctype html><html><head><title>Our Team | Acme</title></head><body>
<header><nav><a href="/">Home</a><a href="/our-team">Our Team</a></nav></header>
<main><h1>Our Team</h1>
<section><h2>Tan Wei Ming</h2><p>Founder &amp; CEO</p></section>
<section><h2>Priya Nair</h2><p>Head of Sales</p></section>
<section><h2>Jason Lim</h2><p>Accounts Executive</p></section>
<section><h2>Contact Us</h2><p>Office hours: Monday to Friday, 9am to 6pm.</p></section>
</main></body></html>`;

const page = (kind: string, html: string, url = "https://acme.sg/our-team") => ({ url, kind, title: "", text: extractPageText(html, url).text });

describe("people on a company's website", () => {
  it("reads name and role pairs from a team page as the crawler extracts it", () => {
    expect(websitePeople([page("team", teamHtml)]).map((p) => [p.fullName, p.title])).toEqual([
      ["Tan Wei Ming", "Founder & CEO"],
      ["Priya Nair", "Head of Sales"],
      ["Jason Lim", "Accounts Executive"],
    ]);
  });

  it("ignores contact and home pages, headings that are not names, and sentences", () => {
    expect(websitePeople([page("contact", teamHtml, "https://acme.sg/contact")])).toEqual([]);
    expect(looksLikePersonName("Contact Us")).toBe(false);
    expect(looksLikePersonName("Our Team")).toBe(false);
    expect(looksLikePersonName("Tan")).toBe(false);
    expect(looksLikePersonName("We serve clients in Singapore")).toBe(false);
  });

  it("reads Malay and Tamil patronymic names, with their lower-case links", () => {
    expect(looksLikePersonName("Ahmad bin Ismail")).toBe(true);
    expect(looksLikePersonName("Nur Aisyah binte Abdul Rahman")).toBe(true);
    expect(looksLikePersonName("Kumar s/o Rajan")).toBe(true);
    expect(looksLikePersonName("bin Ismail")).toBe(false);
    expect(looksLikePersonName("Ahmad bin")).toBe(false);
    const html =
      "<main><section><h2>Ahmad bin Ismail</h2><p>Sales Director</p></section><section><h2>Siti binte Osman</h2><p>Head of Marketing</p></section></main>";
    expect(websitePeople([page("team", html)]).map((p) => p.fullName)).toEqual(["Ahmad bin Ismail", "Siti binte Osman"]);
  });

  it("counts only the roles the ICP asks for", () => {
    const people = websitePeople([page("team", teamHtml)]);
    expect(roleQualifiedPeople(people, ["CEO", "Head of Sales"]).map((p) => p.fullName)).toEqual(["Tan Wei Ming", "Priya Nair"]);
    expect(roleQualifiedPeople(people, ["CFO"])).toEqual([]);
  });
});

describe("whether the paid LinkedIn search is needed", () => {
  it("is skipped once the website names the tenant's minimum of role-qualified people", () => {
    expect(linkedinSearchNeeded(2, 2)).toBe(false);
    expect(linkedinSearchNeeded(5, 2)).toBe(false);
    expect(linkedinSearchNeeded(1, 2)).toBe(true);
    expect(linkedinSearchNeeded(0, 1)).toBe(true);
    expect(linkedinSearchNeeded(2, 3)).toBe(true);
  });
});
