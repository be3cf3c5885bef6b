import { describe, expect, it } from "vitest";
import { PortalSsoForm } from "./portal-sso-form";

describe("the tenant portal's SSO form", () => {
  it("parses the member settings and drops anything else (issuer, client id, secret)", () => {
    const parsed = PortalSsoForm.parse({
      emailDomains: "Acme.test, @acme-group.test",
      rolesClaim: "groups",
      roleMapping: "grp-1 = admin\ngrp-2 = viewer",
      enabled: "on",
      issuer: "https://evil.test",
      clientSecret: "s3cret",
    });
    expect(parsed).toEqual({
      emailDomains: ["acme.test", "acme-group.test"],
      rolesClaim: "groups",
      roleMapping: { "grp-1": "admin", "grp-2": "viewer" },
      enabled: true,
    });
  });

  it("keeps at least one value mapped to admin", () => {
    const result = PortalSsoForm.safeParse({ emailDomains: "", rolesClaim: "roles", roleMapping: "Sales.Ops = ops" });
    expect(result.error?.flatten().fieldErrors).toEqual({ roleMapping: [expect.stringMatching(/at least one value mapped to admin/)] });
  });
});
