import { describe, expect, it } from "vitest";
import { type SimDatabase } from "../../tests/sims/odoo";
import {
  heldGroups,
  named,
  PROVIDER,
  provisioningSimulators,
  SHARED_ADMIN_GROUPS,
  sharedAdmin,
  SHARED_DB,
  SIGNER,
} from "../../tests/support/odoo-provisioning-fixtures";
import { ensureOAuthProvider } from "./oauth-provider.server";
import { ensureSsoUser } from "./sso-user.server";
import { ensureCompany } from "./tenant-company.server";

const sims = provisioningSimulators();

const groupIds = (db: SimDatabase, xmlIds: string[]) => xmlIds.map((x) => db.xmlId(x));

describe("ensureSsoUser", () => {
  it("sets exactly the groups of the role, not the template user's defaults", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const db = sim.state.database(SHARED_DB);
    // Odoo's default user template carries Sales Manager: a user created without groups_id would inherit it.
    const [templateUser] = await admin.create("res.users", [{ name: "Implicit", login: "implicit" }]);
    expect(db.hasGroup(templateUser!, "sales_team.group_sale_manager")).toBe(true);

    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const { uid } = await ensureSsoUser(admin, { ...SIGNER, email: "viewer@acme.example", roles: ["viewer"], providerId, companyId: 1 });
    expect(db.get("res.users", uid)!.groups_id).toEqual(groupIds(db, ["base.group_user", "sales_team.group_sale_salesman"]).sort());
    const { uid: ops } = await ensureSsoUser(admin, { ...SIGNER, email: "ops@acme.example", sub: "sub-ops", roles: ["ops"], providerId, companyId: 1 });
    expect(db.hasGroup(ops, "sales_team.group_sale_salesman_all_leads")).toBe(true);
    expect(db.hasGroup(ops, "sales_team.group_sale_manager")).toBe(false);
  });

  it("adds a second tenant's company to a shared user without removing the first", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const a = await ensureCompany(admin, { name: "Tenant A" });
    const b = await ensureCompany(admin, { name: "Tenant B" });
    const first = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: a.companyId, roles: ["admin"], sharedDatabase: true });
    const second = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: b.companyId, roles: ["viewer"], sharedDatabase: true });
    expect(second).toEqual({ uid: first.uid, created: false });
    const user = sim.state.database(SHARED_DB).get("res.users", first.uid)!;
    expect(user.company_ids).toEqual([a.companyId, b.companyId]);
    expect(user.company_id).toBe(a.companyId);
    expect(heldGroups(sim.state.database(SHARED_DB), first.uid)).toEqual(SHARED_ADMIN_GROUPS);
  });

  it("gives each role of a shared database exactly its groups, implied ones included, and no database administration", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const db = sim.state.database(SHARED_DB);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const { companyId } = await ensureCompany(admin, { name: "Tenant A" });
    const user = (role: string) =>
      ensureSsoUser(admin, { ...SIGNER, email: `${role}@a.example`, sub: `sub-${role}`, roles: [role], providerId, companyId, sharedDatabase: true });
    expect(heldGroups(db, (await user("admin")).uid)).toEqual(SHARED_ADMIN_GROUPS);
    expect(heldGroups(db, (await user("ops")).uid)).toEqual(["base.group_user", "sales_team.group_sale_salesman", "sales_team.group_sale_salesman_all_leads"]);
    expect(heldGroups(db, (await user("viewer")).uid)).toEqual(["base.group_user", "sales_team.group_sale_salesman"]);
    // Updating a linked user (a second run) grants nothing more.
    expect(heldGroups(db, (await user("admin")).uid)).toEqual(SHARED_ADMIN_GROUPS);
  });

  it("refuses a shared-database role whose groups imply Settings", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const db = sim.state.database(SHARED_DB);
    const manager = db.get("res.groups", db.xmlId("sales_team.group_sale_manager")!)!;
    manager.implied_ids = [...(manager.implied_ids as number[]), db.xmlId("base.group_system")!];
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const error = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: 1, sharedDatabase: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "sso_user", retryable: false });
    expect(named(db, "res.users", "login", "owner@acme.example")).toEqual([]);
  });

  it("never takes over an Odoo user that has the member's email as login but is not linked to them", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const db = sim.state.database(SHARED_DB);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const { companyId } = await ensureCompany(admin, { name: "Tenant A" });
    const existing = await admin.create("res.users", { name: "Someone", login: "owner@acme.example", groups_id: [[6, 0, [db.xmlId("base.group_user")!]]] });
    const before = structuredClone(db.get("res.users", existing)!);
    for (const sharedDatabase of [true, false]) {
      const error = await ensureSsoUser(admin, { ...SIGNER, providerId, companyId, sharedDatabase }).catch((e: unknown) => e);
      expect(error).toMatchObject({ step: "sso_user", retryable: false });
      expect((error as Error).message).toContain("platform operator");
    }
    expect(db.get("res.users", existing)).toEqual(before);
    expect(named(db, "res.users", "oauth_uid", SIGNER.sub)).toEqual([]);
  });

  it("creates or links no Odoo user for an email the IdP has not verified", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const db = sim.state.database(SHARED_DB);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    const error = await ensureSsoUser(admin, { ...SIGNER, emailVerified: false, providerId, companyId: 1, sharedDatabase: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "sso_user", retryable: false });
    expect((error as Error).message).toMatch(/not verified/);
    expect(named(db, "res.users", "login", "owner@acme.example")).toEqual([]);
  });

  it("refuses to merge two Odoo users when the login and the IdP subject point at different ones", async () => {
    const sim = await sims.shared();
    const admin = await sharedAdmin(sim);
    const { providerId } = await ensureOAuthProvider(admin, PROVIDER);
    await ensureSsoUser(admin, { ...SIGNER, providerId, companyId: 1 });
    await admin.create("res.users", { name: "Other", login: "other@acme.example", groups_id: [[6, 0, []]] });
    const error = await ensureSsoUser(admin, { ...SIGNER, email: "other@acme.example", providerId, companyId: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "sso_user", retryable: false });
  });
});
