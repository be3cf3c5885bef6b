import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { findLocations } from "./locations.server";

describe("findLocations", () => {
  it("finds addresses and the cities the company says it has offices in", () => {
    expect(findLocations(site)).toEqual(["21 Tuas Avenue 4, #02-11, Singapore 639381", "Kuala Lumpur", "Jakarta"]);
  });

  it("joins an address split over two lines and leaves out places already in it", () => {
    expect(findLocations([page("contact", "Visit us\n10 Science Park Road\nSingapore 117684\n\nOur offices in Singapore and Penang.")])).toEqual([
      "10 Science Park Road, Singapore 117684",
      "Penang",
    ]);
  });

  it("takes the address out of a sentence that names it", () => {
    expect(
      findLocations([
        page("home", "Talk to us\nCall +65 6634 7695 or visit our office at 90 Toa Payoh Lorong 8, #05-11, Braddell Tech, Singapore 319260."),
        page("contact", "Our office is at Blk 123 Bedok North Ave 1, #01-01, Singapore 460123."),
      ]),
    ).toEqual(["90 Toa Payoh Lorong 8, #05-11, Braddell Tech, Singapore 319260", "Blk 123 Bedok North Ave 1, #01-01, Singapore 460123"]);
  });
});
