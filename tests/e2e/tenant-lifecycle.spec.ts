import { execFileSync } from "node:child_process";
import { queryE2eDatabase } from "./support/database";
import { expect, test } from "./support/test";

/**
 * A tenant's life in the control plane: the owner creates it through the
 * wizard (a refused answer, a reload halfway) and watches it become ready,
 * then decommissions it and downloads its export, whose contents are read
 * with tar rather than trusted from the page.
 */
test.describe.serial("the tenant lifecycle", () => {
  test.use({ signedInAs: "owner" });
  const slug = `lifecycle-${Date.now().toString(36)}`;
  // Its own database: a ready copy from the warm pool (the e2e platform keeps two), or one made for it when none was ready.
  let dbName = `nexius_${slug.replace(/-/g, "_")}`;

  test("the owner creates a tenant through the wizard and watches it become ready", async ({ page }) => {
    await page.goto("/admin/tenants");
    await page.getByRole("link", { name: "Create tenant" }).first().click();
    await expect(page).toHaveURL(/\/admin\/tenants\/new/);

    await page.getByLabel("Name").fill("Lifecycle Co");
    await page.getByLabel("Slug").fill("Not A Slug");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByText("Lower-case letters, digits and dashes, 2–63 long")).toBeVisible();
    await expect(page.getByLabel("Slug")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Slug").fill(slug);
    await page.getByRole("button", { name: "Next" }).click();

    // The plan step by keyboard alone: a radio group answers Space, Enter submits.
    await expect(page.getByText("Step 2 of 6: Plan")).toBeVisible();
    await page.getByRole("radio", { name: /Starter/ }).focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Enter");
    await expect(page.getByText("Step 3 of 6: Bundle")).toBeVisible();

    // A reload keeps the draft: same step, and going back shows the answer given.
    await page.reload();
    await expect(page.getByText("Step 3 of 6: Bundle")).toBeVisible();
    await page.getByRole("link", { name: "Back" }).click();
    await expect(page.getByRole("radio", { name: /Starter/ })).toBeChecked();
    await page.getByRole("button", { name: "Next" }).click();

    await page.getByRole("radio", { name: /Sales core/ }).check();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("radio", { name: "sg-1" }).check();
    await page.getByRole("radio", { name: "A database of its own" }).check();
    await page.getByRole("radio", { name: "small" }).check();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("radio", { name: /platform's sign-in/ }).check();
    await page.getByRole("button", { name: "Next" }).click();

    await expect(page.getByText("Step 6 of 6: Review")).toBeVisible();
    await expect(page.getByText(slug)).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/create-tenant-review.png", fullPage: true });
    await page.getByRole("button", { name: "Create tenant" }).click();

    await expect(page).toHaveURL(/\/admin\/tenants\/[0-9a-f-]{36}\?operation=/);
    await expect(page.getByTestId("operation-panel")).toContainText("create");
    // The page reads again while the create operation runs, until the workspace is active.
    await expect(page.getByTestId("operation-panel")).toContainText("succeeded", { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: "Lifecycle Co" })).toBeVisible();
    await expect(page.getByText("active", { exact: true }).first()).toBeVisible();
    const [tenant] = await queryE2eDatabase<{ status: string; plan: string; db_name: string; warm_db: string | null }>(
      `SELECT t.status, t.plan, o.db_name, (SELECT w.db_name FROM odoo_warm_databases w WHERE w.tenant_id = t.id AND w.state = 'claimed') AS warm_db
         FROM tenants t JOIN odoo_connections o ON o.tenant_id = t.id WHERE t.slug = $1`,
      [slug],
    );
    dbName = tenant?.warm_db ?? dbName;
    expect(tenant).toMatchObject({ status: "active", plan: "starter", db_name: dbName });
  });

  test("the owner decommissions the tenant and downloads its export", async ({ page }, testInfo) => {
    const [tenant] = await queryE2eDatabase<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [slug]);
    await page.goto(`/admin/tenants/${tenant!.id}`);
    await page.locator("summary", { hasText: "Decommission" }).click();
    const confirm = page.getByRole("dialog", { name: "Decommission this workspace?" });
    await expect(confirm).toContainText("irreversible");
    await expect(confirm).toContainText("The grace period is 7 days");
    await confirm.getByLabel(`Type ${slug} to confirm`).fill(slug);
    await confirm.getByRole("button", { name: "Confirm decommission" }).click();
    await expect(page.getByRole("status")).toContainText("Decommission queued");

    const download = page.getByRole("link", { name: "Download the export" });
    await expect(async () => {
      await page.reload();
      await expect(download).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    await expect(page.getByText("decommissioning", { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/tenant-decommissioning.png", fullPage: true });

    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    const archive = testInfo.outputPath("export.tar");
    await file.saveAs(archive);
    const entries = execFileSync("tar", ["-tf", archive]).toString().trim().split("\n");
    expect(entries).toEqual(expect.arrayContaining(["tenant.json", "tables/icp_rules.csv", "tables/audit_log.csv", `odoo/${dbName}.zip`]));
    expect(entries).not.toContain("tables/odoo_connections.csv");
    const tenantJson = JSON.parse(execFileSync("tar", ["-xOf", archive, "tenant.json"]).toString()) as { slug: string; status: string };
    expect(tenantJson.slug).toBe(slug);
    expect(execFileSync("tar", ["-xOf", archive, "tables/audit_log.csv"]).toString()).toContain("tenant.created");
  });

  test("the owner cancels the decommission during its grace period and the workspace reopens untouched", async ({ page }) => {
    const [tenant] = await queryE2eDatabase<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [slug]);
    await page.goto(`/admin/tenants/${tenant!.id}`);
    await page.locator("summary", { hasText: "Cancel decommission" }).click();
    const confirm = page.getByRole("dialog", { name: "Cancel this decommission?" });
    await expect(confirm).toContainText("Nothing has been deleted yet");
    await confirm.getByRole("button", { name: "Confirm: keep the workspace" }).click();
    await expect(page.getByRole("status")).toContainText("Decommission cancelled: the workspace is active again");
    const [after] = await queryE2eDatabase<{ status: string; purge_after: Date | null; operation: string; odoo_db: boolean }>(
      `SELECT t.status, t.purge_after,
              (SELECT status FROM tenant_operations WHERE tenant_id = t.id AND type = 'decommission' ORDER BY created_at DESC LIMIT 1) AS operation,
              EXISTS (SELECT 1 FROM odoo_connections WHERE tenant_id = t.id) AS odoo_db
       FROM tenants t WHERE t.id = $1`,
      [tenant!.id],
    );
    expect(after).toEqual({ status: "active", purge_after: null, operation: "cancelled", odoo_db: true });
    await expect(page.locator("summary", { hasText: "Cancel decommission" })).toHaveCount(0);
  });
});
