import { describe, expect, it } from "vitest";
import { lakeAccessOf } from "~/lake/hierarchy";
import { DEMO_USERS } from "./idp-accounts.server";
import { DEMO_TENANTS, demoSalespeople } from "./stand-ins.server";

const LAKE_USER = "00000000-0000-4000-8000-000000000001";

describe("demoSalespeople", () => {
  it("seats each demo tenant's manager and rep as dev IdP users whose roles make them one in the sales hierarchy", () => {
    const seats = demoSalespeople();
    for (const tenant of DEMO_TENANTS) {
      const roles = new Set<string>();
      for (const person of seats[tenant.name]!) {
        const user = DEMO_USERS.find((u) => u.sub === person.oauthUid)!;
        expect(user).toMatchObject({ email: person.email, name: person.name });
        const tenantRoles = user.tenants.find((t) => t.tenant_id === tenant.slug)!.roles;
        // seats 0 and 4 lead the demo CRM's two teams
        const teams = person.seat % 4 === 0 ? [{ id: "team", leaderId: LAKE_USER, memberIds: [LAKE_USER] }] : [];
        roles.add(lakeAccessOf(tenantRoles, LAKE_USER, teams).role);
      }
      expect([...roles].sort(), tenant.slug).toEqual(expect.arrayContaining(["manager", "rep"]));
    }
    expect(seats.Globex!.find((p) => p.email === "admin@globex.test")).toMatchObject({ seat: 4 });
  });
});
