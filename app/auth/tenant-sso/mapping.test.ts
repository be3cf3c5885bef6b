import { describe, expect, it } from "vitest";
import { claimValues, emailDomainOf, formatRoleMapping, mapRoles, parseDomains, parseRoleMapping, roleMappingOf } from "./mapping";

describe("claim mapping of a tenant's identity provider", () => {
  const mapping = { "Sales.Admin": "admin", "Sales.Ops": "ops", "0b8f2c3e-1111-4c4c-9d9d-000000000001": "viewer" } as const;

  it("maps app roles and group ids to tenant roles, in the platform's order, ignoring unmapped values", () => {
    expect(mapRoles(["Sales.Ops", "Sales.Admin", "Other"], mapping)).toEqual(["admin", "ops"]);
    expect(mapRoles(["0b8f2c3e-1111-4c4c-9d9d-000000000001"], mapping)).toEqual(["viewer"]);
    expect(mapRoles(["Other"], mapping)).toEqual([]);
    expect(mapRoles([], mapping)).toEqual([]);
  });

  it("reads a claim that is one string or a list, and nothing else", () => {
    expect(claimValues({ roles: ["a", 3, "b"] }, "roles")).toEqual(["a", "b"]);
    expect(claimValues({ groups: "g1" }, "groups")).toEqual(["g1"]);
    expect(claimValues({ roles: { a: 1 } }, "roles")).toEqual([]);
    expect(claimValues({}, "groups")).toEqual([]);
  });

  it("parses `value = role` lines and says which lines it could not read", () => {
    expect(parseRoleMapping("Sales.Admin = admin\n\n  Sales.Ops=OPS \nBad line\nX = owner")).toEqual({
      mapping: { "Sales.Admin": "admin", "Sales.Ops": "ops" },
      invalid: ["Bad line", "X = owner"],
    });
    expect(parseRoleMapping(formatRoleMapping(mapping)).mapping).toEqual(mapping);
  });

  it("keeps only tenant roles from a stored mapping", () => {
    expect(roleMappingOf({ a: "admin", b: "platform_owner", c: 1 })).toEqual({ a: "admin" });
    expect(roleMappingOf(null)).toEqual({});
    expect(roleMappingOf(["admin"])).toEqual({});
  });

  it("finds an email's domain, and parses the domains typed on the SSO tab", () => {
    expect(emailDomainOf(" Jo@Contoso.COM ")).toBe("contoso.com");
    expect(emailDomainOf("contoso")).toBeNull();
    expect(emailDomainOf("a@b")).toBeNull();
    expect(parseDomains("contoso.com, @Fabrikam.com\nnot a domain contoso.com")).toEqual({
      domains: ["contoso.com", "fabrikam.com"],
      invalid: ["not", "a", "domain"],
    });
  });
});
