import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { estimateHeadcount } from "./headcount.server";

describe("estimateHeadcount", () => {
  it.each([
    ["We are a team of 45 engineers.", 45],
    ["50+ employees across the region", 50],
    ["Company size: 11-50 employees", 31],
    ["Our workforce of 1,200 spans three countries.", 1200],
    ["The firm employs about 80 consultants.", 80],
    ["Over 120 employees serve more than 300 customers.", 120],
    ["A 25-people strong crew.", null],
    ["Founded in 1995, serving 2,000 customers.", null],
    ["Trusted by 5,000 people every month.", null],
  ])("headcount in %j is %s", (text, expected) => {
    expect(estimateHeadcount([page("about", text)])).toBe(expected);
  });

  it("prefers the about page's headcount over others", () => {
    expect(estimateHeadcount([page("careers", "Join 500 employees"), page("about", "a team of 60")])).toBe(60);
    expect(estimateHeadcount(site)).toBe(60);
  });
});
