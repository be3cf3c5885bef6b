import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { findProducts } from "./products.server";

describe("findProducts", () => {
  it("lists products from service sections and product pages", () => {
    expect(findProducts(site)).toEqual(["Sea Freight Forwarding", "Air Freight", "Bonded Warehousing", "Customs Brokerage"]);
    const productPage = page(
      "products",
      "Products\n\nAMR-200 Autonomous Mobile Robot\nCarries up to 200 kg through busy aisles.\n\nFleetOS Fleet Management Software\nOne dashboard for every robot.\n\nContact us\nFor a demo.",
    );
    expect(findProducts([productPage])).toEqual(["AMR-200 Autonomous Mobile Robot", "FleetOS Fleet Management Software"]);
  });

  it("reads a crawled page's section, where every element is a line and no blank line separates the sections", () => {
    const home = page(
      "home",
      [
        "Your partner in retail",
        "Swift Mart helps corporate buyers and shoppers with corporate gifts and homeware.",
        "What we do",
        "From corporate gifts to curated fashion collections, our work covers the full lifecycle.",
        "Corporate gifts",
        "Homeware",
        "Online shopping",
        "Curated fashion collections",
        "Why Swift Mart",
        "We offer five outlets across Singapore.",
      ].join("\n"),
    );
    expect(findProducts([home])).toEqual(["Corporate gifts", "Homeware", "Online shopping", "Curated fashion collections"]);
  });

  it("takes a header inside a menu for a link, not a section", () => {
    expect(findProducts([page("home", "Home\nAbout\nServices\nIndustries\nProjects\nWelcome to Acme.")])).toEqual([]);
  });
});
