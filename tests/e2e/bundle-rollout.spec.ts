import { standInsEnv } from "./support/database";
import { odooSession, type OdooSession } from "./support/odoo-rpc";
import { expect, test, type Page } from "./support/test";

/**
 * The owner makes a module bundle, rolls it out to acme and globex in waves,
 * changes it, rolls the change out with globex as the canary while Odoo fails
 * one of its modules for globex's company, sees the wave stop (acme left
 * pending) and rolls back. Module states are read from the simulated Odoo
 * (one database shared by the demo workspaces, a company each).
 */
test.describe("bundle rollout", () => {
  test.use({ signedInAs: "owner" });

  const FAULTS_PATH = "/simulator/module-install-faults";

  async function moduleStates(odoo: OdooSession, names: string[]): Promise<Record<string, string>> {
    const rows = await odoo.searchRead<{ name: string; state: string }>("ir.module.module", [["name", "in", names]], ["name", "state"]);
    return Object.fromEntries(rows.map((r) => [r.name, r.state]).sort(([a], [b]) => a!.localeCompare(b!)));
  }

  async function saveBundle(page: Page, modules: string[], edit: boolean) {
    await page.goto(edit ? "/admin/catalog?bundle=crm-plus" : "/admin/catalog");
    const editor = page.getByRole("region", { name: edit ? /Edit crm-plus/ : "New bundle" });
    if (!edit) {
      await editor.getByLabel("Code", { exact: true }).fill("crm-plus");
      await editor.getByLabel("Name", { exact: true }).fill("CRM plus");
      await editor.getByLabel("Type", { exact: true }).selectOption("vertical");
    }
    await editor.getByLabel("Description", { exact: true }).fill(edit ? "Leads with codes, sales orders and split names" : "The CRM and its contacts");
    for (const name of modules) await editor.getByRole("checkbox", { name, exact: true }).check();
    await editor.getByRole("button", { name: edit ? "Save bundle" : "Create bundle" }).click();
    await expect(page).toHaveURL(/\/admin\/catalog\?bundle=crm-plus/);
  }

  async function startRollout(page: Page, canary: string) {
    await page.goto("/admin/catalog");
    const form = page.getByRole("region", { name: "Roll out a bundle" });
    await form.getByLabel("Bundle", { exact: true }).selectOption("crm-plus");
    await form.getByRole("checkbox", { name: /^Acme/ }).check();
    await form.getByRole("checkbox", { name: /^Globex/ }).check();
    await form.getByLabel("Canary", { exact: true }).selectOption({ label: canary });
    await form.getByLabel("Batch size", { exact: true }).fill("1");
    await form.getByRole("button", { name: "Start rollout" }).click();
    await expect(page).toHaveURL(/\/admin\/catalog\/rollouts\/[0-9a-f-]{36}$/);
  }

  const row = (page: Page, tenant: string) => page.getByRole("row", { name: new RegExp(tenant) });

  test("the owner rolls a bundle out in waves, a simulated module failure stops the wave, and a rollback undoes the change", async ({
    page,
    signedInState,
  }) => {
    test.setTimeout(240_000);
    // Both demo workspaces set up (their first sign-in provisions them).
    await signedInState("ops");
    await signedInState("globexAdmin");
    const acme = await odooSession("acme");
    const globex = await odooSession("globex");
    const { ODOO_URL } = await standInsEnv();
    const fault = (method: "POST" | "DELETE", body: unknown) =>
      fetch(`${ODOO_URL}${FAULTS_PATH}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    // Version 1: what the workspaces already run.
    await saveBundle(page, ["crm", "contacts"], false);
    await expect(page.getByRole("region", { name: "Bundles" })).toContainText("CRM plus");
    await startRollout(page, "Acme");
    await expect(page.getByText("succeeded")).toBeVisible({ timeout: 90_000 });
    await expect(row(page, "Acme")).toContainText("Canary");
    await expect(row(page, "Acme")).toContainText("installed");
    await expect(row(page, "Globex")).toContainText("installed");

    // Version 2 adds two modules; Odoo fails sale_management on globex's company.
    await saveBundle(page, ["partner_firstname", "sale_management"], true);
    await expect(page.getByRole("region", { name: "Bundles" })).toContainText("v2");
    expect(await moduleStates(acme, ["partner_firstname", "sale_management"])).toEqual({ partner_firstname: "uninstalled", sale_management: "uninstalled" });
    expect((await fault("POST", { db: "odoo", module: "sale_management", companyId: globex.companyId })).status).toBe(200);
    try {
      await startRollout(page, "Globex");
      await expect(page.getByText("stopped")).toBeVisible({ timeout: 90_000 });
      await expect(row(page, "Globex")).toContainText("failed");
      await expect(row(page, "Globex")).toContainText('Module "sale_management" could not be installed');
      await expect(row(page, "Acme")).toContainText("pending");
      await expect(page.getByTestId("count-pending")).toHaveText("1");
      await page.screenshot({ path: "test-results/screenshots/bundle-rollout-stopped.png", fullPage: true });
      // Odoo holds what globex's apply did before the failure: the first module in, the failing one rolled back.
      expect(await moduleStates(acme, ["partner_firstname", "sale_management"])).toEqual({ partner_firstname: "installed", sale_management: "uninstalled" });

      await page.getByRole("button", { name: "Roll back to v1" }).click();
      await expect(page.getByText("rolled back")).toBeVisible({ timeout: 90_000 });
      await expect(row(page, "Globex")).toContainText("removed");
      await expect(row(page, "Acme")).toContainText("pending");
    } finally {
      await fault("DELETE", { db: "odoo" });
    }
    expect(await moduleStates(globex, ["crm", "partner_firstname", "sale_management"])).toEqual({
      crm: "installed",
      partner_firstname: "uninstalled",
      sale_management: "uninstalled",
    });
  });
});
