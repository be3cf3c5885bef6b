import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { findAboutText } from "./about-text.server";

describe("findAboutText", () => {
  it("takes the about text from the about page, whole sentences, no boilerplate", () => {
    const about = findAboutText(site);
    expect(about).toMatch(/^Established in 2009, Harbour Freight Solutions is a Singapore freight forwarder/);
    expect(about).toContain("team of over 60");
    expect(about).not.toMatch(/cookies|rights reserved/);
  });

  it("falls back to the meta description, then the first real paragraph", () => {
    expect(findAboutText(site.filter((p) => p.kind !== "about"))).toBe("Freight forwarding, warehousing and customs brokerage in Singapore.");
    const noDescription = site.filter((p) => p.kind !== "about").map((p) => ({ ...p, description: undefined }));
    expect(findAboutText(noDescription)).toMatch(/^Harbour Freight Solutions moves sea and air freight/);
    expect(findAboutText([page("home", "Home\nContact\n\n© 2024 All rights reserved.")])).toBeNull();
  });

  it("clips a long about text at a sentence's end", () => {
    const sentence = "Harbour Freight Solutions moves sea and air freight for manufacturers across Southeast Asia every single day. ";
    const about = findAboutText([page("about", sentence.repeat(20))])!;
    expect(about.length).toBeLessThanOrEqual(1000);
    expect(about.endsWith("every single day.")).toBe(true);
  });
});
