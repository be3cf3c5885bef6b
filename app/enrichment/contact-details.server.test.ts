import { describe, expect, it } from "vitest";
import { page, site } from "../../tests/support/harbour-freight-site";
import { findEmails, findPhones, isPlausibleSiteEmail, normalizePhone } from "./contact-details.server";

describe("emails", () => {
  it("finds emails from mailto links, text and the [at]/[dot] disguise, keeping only plausible ones", () => {
    expect(findEmails(site)).toEqual(["enquiry@harbourfreight.com.sg", "ops.lee@gmail.com"]);
  });

  it.each([
    ["enquiry@harbourfreight.com.sg", true],
    ["studio@wix.com", false],
    ["no-reply@harbourfreight.com.sg", false],
    ["donotreply@harbourfreight.com.sg", false],
    ["0123456789abcdef0123@harbourfreight.com.sg", false],
  ])("%s is an address a person could write to: %s", (email, plausible) => {
    expect(isPlausibleSiteEmail(email)).toBe(plausible);
  });
});

describe("phones", () => {
  it("finds Singapore phone numbers in their usual formats, skipping fax", () => {
    expect(findPhones(site)).toEqual(["+65 6861 2345", "+65 9876 5432", "1800 123 4567"]);
    expect(findPhones([page("about", "Our postal code is 639381 and we opened in 2009 with 6861 2345 dollars.")])).toEqual([]);
    expect(findPhones([page("home", "Call (65) 6222-3333 or +65 (0) 8123 4567")])).toEqual(["+65 6222 3333", "+65 8123 4567"]);
  });

  it("normalizes phone numbers", () => {
    expect(normalizePhone("+65-6123-4567")).toBe("+65 6123 4567");
    expect(normalizePhone("0065 9123 4567")).toBe("+65 9123 4567");
    expect(normalizePhone("1800-123-4567")).toBe("1800 123 4567");
    expect(normalizePhone("+1 415 555 0100")).toBeNull();
    expect(normalizePhone("12345678")).toBeNull();
  });
});
