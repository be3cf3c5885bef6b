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
});
