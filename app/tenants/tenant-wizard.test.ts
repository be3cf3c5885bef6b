import { describe, expect, it } from "vitest";
import { firstIncompleteStep, NewTenant, nextStep, previousStep, reachableStep } from "./tenant-wizard";

const complete = {
  name: "Acme",
  slug: "acme",
  plan: "starter",
  bundle: "sales-core",
  region: "sg-1",
  odoo_mode: "db_per_tenant",
  size_profile: "small",
  sso_mode: "platform",
};

describe("the create-tenant wizard's steps", () => {
  it("lands on the first step still missing an answer", () => {
    expect(firstIncompleteStep({})).toBe("identity");
    expect(firstIncompleteStep({ name: "Acme", slug: "acme" })).toBe("plan");
    expect(firstIncompleteStep({ ...complete, region: "mars" })).toBe("infra");
    expect(firstIncompleteStep(complete)).toBe("review");
  });

  it("never lets a step be skipped, but goes back freely", () => {
    expect(reachableStep("review", { name: "Acme", slug: "acme" })).toBe("plan");
    expect(reachableStep("identity", complete)).toBe("identity");
    expect(reachableStep("nonsense", complete)).toBe("review");
    expect(previousStep("identity")).toBeNull();
    expect(previousStep("plan")).toBe("identity");
    expect(nextStep("sso")).toBe("review");
  });

  it("names each invalid field of the whole tenant", () => {
    const result = NewTenant.safeParse({ ...complete, slug: "Not a slug", size_profile: "huge" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["slug", "size_profile"]);
    expect(NewTenant.safeParse(complete).success).toBe(true);
  });
});
