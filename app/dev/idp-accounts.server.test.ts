import { describe, expect, it } from "vitest";
import { claimsFor, createAccountDirectory, DEMO_USERS, hashPassword, verifyPassword } from "./idp-accounts.server";

describe("passwords", () => {
  it("verifies the password it hashed, and nothing else", () => {
    const stored = hashPassword("correct horse");
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain("correct horse");
    expect(verifyPassword("correct horse", stored)).toBe(true);
    expect(verifyPassword("correct hors", stored)).toBe(false);
    expect(verifyPassword("correct horse", "plain$text")).toBe(false);
    expect(hashPassword("same")).not.toBe(hashPassword("same"));
  });
});

describe("account directory", () => {
  const directory = createAccountDirectory({ users: DEMO_USERS });

  it("authenticates demo users by case-insensitive email", () => {
    const outcome = directory.authenticate(" OPS@acme.test ", "demo");
    expect("account" in outcome && outcome.account.sub).toBe(DEMO_USERS.find((u) => u.email === "ops@acme.test")!.sub);
    expect(directory.authenticate("ops@acme.test", "Demo")).toEqual({ error: "wrong_password" });
    expect(directory.authenticate("nobody@acme.test", "demo")).toEqual({ error: "no_such_account" });
  });

  it("refuses duplicate emails among configured users", () => {
    expect(() => createAccountDirectory({ users: [...DEMO_USERS, { ...DEMO_USERS[1]!, sub: "other" }] })).toThrow(/already exists/);
  });
});

describe("claims for a sign-in", () => {
  const multi = DEMO_USERS.find((u) => u.email === "multi@example.com")!;

  it("carries the chosen tenant and only that tenant's roles", () => {
    expect(claimsFor(multi, "globex")).toMatchObject({ tenant_id: "globex", roles: ["viewer"] });
    expect(claimsFor(multi, "acme")).toMatchObject({ tenant_id: "acme", roles: ["ops"] });
  });

  it("omits the tenant for a multi-tenant user who chose none, or chose a tenant they lack", () => {
    expect(claimsFor(multi, undefined)).not.toHaveProperty("tenant_id");
    expect(claimsFor(multi, "initech")).toMatchObject({ roles: [] });
  });

  it("adds platform roles to tenant roles and emits odoo_db when the membership has one", () => {
    const user = {
      ...multi,
      roles: ["platform_operator"],
      tenants: [{ tenant_id: "acme", roles: ["admin"], odoo_db: "acme_prod" }],
    };
    expect(claimsFor(user, undefined)).toMatchObject({ tenant_id: "acme", roles: ["platform_operator", "admin"], odoo_db: "acme_prod" });
  });
});
