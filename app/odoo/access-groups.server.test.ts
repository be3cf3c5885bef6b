import { describe, expect, it } from "vitest";
import { GLOBAL_ADMIN_GROUPS, groupsForRoles } from "./access-groups.server";

describe("groupsForRoles", () => {
  it("maps roles to groups, unknown roles to viewer", () => {
    expect(groupsForRoles(["admin"])).toEqual(["base.group_user", "sales_team.group_sale_manager", "base.group_system"]);
    expect(groupsForRoles(["admin"], { sharedDatabase: true })).toEqual(["base.group_user", "sales_team.group_sale_manager", "base.group_partner_manager"]);
    for (const role of ["admin", "ops", "viewer"]) {
      expect(groupsForRoles([role], { sharedDatabase: true }).filter((g) => GLOBAL_ADMIN_GROUPS.includes(g))).toEqual([]);
    }
    expect(groupsForRoles(["ops"])).toEqual(["base.group_user", "sales_team.group_sale_salesman_all_leads"]);
    expect(groupsForRoles(["viewer"])).toEqual(["base.group_user", "sales_team.group_sale_salesman"]);
    expect(groupsForRoles(["platform_owner"])).toEqual(groupsForRoles(["viewer"]));
  });
});
