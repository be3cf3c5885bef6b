import { describe, expect, it } from "vitest";
import { type PageLink } from "./html-text.server";
import { choosePages } from "./pages.server";

const link = (url: string, text: string, inNav = true): PageLink => ({ url, text, inNav });

describe("choosePages", () => {
  const home = "https://www.tembusu.com.sg/";
  const links = [
    link("https://www.tembusu.com.sg/", "Home"),
    link("https://www.tembusu.com.sg/services", "Services"),
    link("https://www.tembusu.com.sg/company/about-us/", "Our Company"),
    link("https://www.tembusu.com.sg/contact-us", "Contact Us"),
    link("https://www.tembusu.com.sg/careers", "Careers"),
    link("https://tembusu.com.sg/files/company-profile.pdf", "Company Profile (PDF)", false),
    link("https://www.linkedin.com/company/tembusu/about/", "About us on LinkedIn", false),
    link("https://www.tembusu.com.sg/blog/2024/05/about-our-new-warehouse", "About our new warehouse", false),
  ];

  it("picks home, about and contact from menu links on the same site", () => {
    expect(choosePages(home, links, { includeCareers: false, maxPages: 4 })).toEqual([
      { url: "https://www.tembusu.com.sg/", kind: "home" },
      { url: "https://www.tembusu.com.sg/company/about-us/", kind: "about" },
      { url: "https://www.tembusu.com.sg/contact-us", kind: "contact" },
    ]);
  });

  it("adds careers only when asked, within the page cap", () => {
    expect(choosePages(home, links, { includeCareers: true, maxPages: 4 }).map((p) => p.kind)).toEqual(["home", "about", "contact", "careers"]);
    expect(choosePages(home, links, { includeCareers: true, maxPages: 2 }).map((p) => p.kind)).toEqual(["home", "about"]);
  });

  it("trusts anchor text when the path says nothing (CMS page ids)", () => {
    const picks = choosePages(
      "http://kaizen.sg/",
      [link("http://kaizen.sg/page/12", "Who We Are"), link("http://www.kaizen.sg/?page_id=7", "Get in Touch"), link("http://kaizen.sg/page/13", "Blog")],
      { includeCareers: false, maxPages: 4 },
    );
    expect(picks).toEqual([
      { url: "http://kaizen.sg/", kind: "home" },
      { url: "http://kaizen.sg/page/12", kind: "about" },
      { url: "http://www.kaizen.sg/?page_id=7", kind: "contact" },
    ]);
  });

  it("recognises language-prefixed paths and ignores fragments and other sites", () => {
    const picks = choosePages(
      "http://merlion.sg/en/",
      [link("http://merlion.sg/en/who-we-are#top", "Who we are"), link("http://merlion.sg/en/#contact", "Contact"), link("http://other.sg/contact", "Contact")],
      { includeCareers: false, maxPages: 4 },
    );
    expect(picks).toEqual([
      { url: "http://merlion.sg/en/", kind: "home" },
      { url: "http://merlion.sg/en/who-we-are", kind: "about" },
    ]);
  });

  it("returns only the homepage when nothing qualifies", () => {
    expect(choosePages("http://thin.sg/", [link("http://thin.sg/shop", "Shop")], { includeCareers: true, maxPages: 4 })).toEqual([
      { url: "http://thin.sg/", kind: "home" },
    ]);
  });
});
