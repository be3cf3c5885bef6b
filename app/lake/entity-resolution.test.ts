import { describe, expect, it } from "vitest";
import { resolutionKeys, sameEntity } from "./entity-resolution";
import { type AccountDraft, type ContactDraft } from "./pipeline";

const account = (fields: Partial<AccountDraft>): AccountDraft => ({
  kind: "account",
  name: "Acme",
  uen: null,
  vat: null,
  website: null,
  email: null,
  phone: null,
  countryCode: null,
  tags: [],
  active: true,
  ...fields,
});
const contact = (email: string | null): ContactDraft => ({
  kind: "contact",
  name: "Ann",
  email,
  phone: null,
  jobTitle: null,
  account: null,
  companyName: null,
  active: true,
});

describe("entity resolution keys", () => {
  it("tries an account's UEN, then VAT, then the domain of its website or email", () => {
    expect(resolutionKeys(account({ uen: "201912345A", vat: "M90312345X", website: "https://www.acme.sg/x" }))).toEqual([
      ["uen", "201912345A"],
      ["vat", "M90312345X"],
      ["domain", "acme.sg"],
    ]);
    expect(resolutionKeys(account({ email: "sales@acme.sg" }))).toEqual([["domain", "acme.sg"]]);
    expect(resolutionKeys(account({ email: "owner@gmail.com" }))).toEqual([]);
  });

  it("matches contacts by email only, and never two records without a key", () => {
    expect(sameEntity(contact("ann@acme.sg"), contact("ann@acme.sg"))).toBe(true);
    expect(sameEntity(contact("ann@acme.sg"), contact("ann.tan@acme.sg"))).toBe(false);
    expect(sameEntity(contact(null), contact(null))).toBe(false);
    expect(sameEntity(account({ website: "acme.sg" }), account({ email: "x@acme.sg", uen: "201912345A" }))).toBe(true);
  });
});
