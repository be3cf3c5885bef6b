import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OdooAccessError, OdooClient, OdooValidationError, OdooUserError } from "~/odoo/client.server";
import { blacklistEmails, blacklistEntries, unblacklistEmails, type WorkspaceOdoo } from "~/odoo/data-subject.server";
import { startOdooSimulator, type OdooSimulator } from "../sims/odoo/index";

/*
 * Odoo's mail.blacklist as its source defines it
 * (https://github.com/odoo/odoo/blob/17.0/addons/mail/models/mail_blacklist.py), reached over
 * `object.execute_kw` as https://www.odoo.com/documentation/17.0/developer/reference/external_api.html
 * documents it:
 * - `email` is stored through `tools.email_normalize` (the single address, lower-cased) and is
 *   unique (`_sql_constraints unique_email`); a value with no single address is a UserError;
 * - `create` of an address already listed returns the existing record instead of failing, and
 *   leaves it as it is (an archived entry stays archived: only `_add` re-activates);
 * - `_add` and `_remove` are private (a leading underscore): `execute_kw` refuses them;
 * - `action_remove_with_reason(email, reason)` archives the entry, or creates it archived when
 *   the address was never listed;
 * - archived entries are found only with `active_test: False` in the context.
 * Our client lists with create/write and unlists with action_remove_with_reason; both are checked
 * here against the simulator, which follows the same rules.
 */
let sim: OdooSimulator;
let odoo: WorkspaceOdoo;

beforeAll(async () => {
  sim = await startOdooSimulator({ databases: [{ name: "mailing", adminLogin: "admin", adminPassword: "admin", modules: ["contacts"] }] });
  const session = await new OdooClient({ baseUrl: sim.url, maxRetries: 0 }).connect("mailing", "admin", "admin");
  odoo = { session, companyId: null };
});
afterAll(() => sim.stop());

const ALL = { context: { active_test: false } };
const entries = () => odoo.session.searchRead("mail.blacklist", [], { fields: ["email", "active"], order: "id asc", ...ALL });

describe("mail.blacklist as Odoo defines it", () => {
  it("stores the normalised address and returns the existing entry for an address already listed", async () => {
    const id = await odoo.session.create("mail.blacklist", { email: "Jane Tan <JANE.TAN@Example.com>" });
    expect(await odoo.session.read("mail.blacklist", [id], ["email", "active"])).toEqual([{ id, email: "jane.tan@example.com", active: true }]);
    expect(await odoo.session.create("mail.blacklist", { email: "jane.tan@example.COM" })).toBe(id);
    expect((await entries()).filter((e) => e.email === "jane.tan@example.com")).toHaveLength(1);
  });

  it("refuses a value that is not one address, and a second entry with the same address", async () => {
    await expect(odoo.session.create("mail.blacklist", { email: "not an address" })).rejects.toBeInstanceOf(OdooUserError);
    const other = await odoo.session.create("mail.blacklist", { email: "other@example.com" });
    await expect(odoo.session.write("mail.blacklist", [other], { email: "JANE.TAN@example.com" })).rejects.toBeInstanceOf(OdooValidationError);
  });

  it("keeps _add and _remove private", async () => {
    for (const method of ["_add", "_remove"]) {
      await expect(odoo.session.call("mail.blacklist", method, ["x@example.com"])).rejects.toBeInstanceOf(OdooAccessError);
    }
  });

  it("archives with action_remove_with_reason, and stores an unknown address archived", async () => {
    await odoo.session.call("mail.blacklist", "action_remove_with_reason", [[], "jane.tan@example.com", "asked to be mailed again"]);
    await odoo.session.call("mail.blacklist", "action_remove_with_reason", [[], "never@example.com", null]);
    expect(await odoo.session.searchRead("mail.blacklist", [["email", "in", ["jane.tan@example.com", "never@example.com"]]])).toEqual([]);
    const all = await entries();
    expect(all.filter((e) => ["jane.tan@example.com", "never@example.com"].includes(String(e.email))).map((e) => [e.email, e.active])).toEqual([
      ["jane.tan@example.com", false],
      ["never@example.com", false],
    ]);
    // create does not re-activate an archived entry: only _add (or a write of active) does
    const id = await odoo.session.create("mail.blacklist", { email: "jane.tan@example.com" });
    expect((await odoo.session.read("mail.blacklist", [id], ["active"], ALL))[0]!.active).toBe(false);
  });
});

describe("our client's blacklist calls", () => {
  it("lists addresses: archived ones are re-activated, missing ones created, none twice", async () => {
    await blacklistEmails(odoo, ["jane.tan@example.com", "new.person@example.com", "new.person@example.com"]);
    const listed = await blacklistEntries(odoo, ["jane.tan@example.com", "new.person@example.com"]);
    expect([...listed.values()].map((e) => [e.email, e.active]).sort()).toEqual([
      ["jane.tan@example.com", true],
      ["new.person@example.com", true],
    ]);
    await blacklistEmails(odoo, ["new.person@example.com"]);
    expect((await entries()).filter((e) => e.email === "new.person@example.com")).toHaveLength(1);
  });

  it("unlists addresses by archiving their entries", async () => {
    await unblacklistEmails(odoo, ["new.person@example.com"], "removed from the suppression list");
    expect((await blacklistEntries(odoo, ["new.person@example.com"])).get("new.person@example.com")?.active).toBe(false);
  });
});
