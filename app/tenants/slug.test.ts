import { describe, expect, it } from "vitest";
import { isTenantSlug, slugify } from "./slug";

describe("tenant slugs", () => {
  it("turns names and email local parts into slugs", () => {
    expect(slugify("Acme Pte. Ltd.")).toBe("acme-pte-ltd");
    expect(slugify("  Zoë & Co  ")).toBe("zoe-co");
    expect(slugify("new.user")).toBe("new-user");
    expect(slugify("!!!")).toBe("");
  });

  it("accepts only what the tenants table accepts", () => {
    expect(isTenantSlug("acme")).toBe(true);
    expect(isTenantSlug("a")).toBe(false);
    expect(isTenantSlug("Acme")).toBe(false);
    expect(isTenantSlug("-acme")).toBe(false);
  });
});
