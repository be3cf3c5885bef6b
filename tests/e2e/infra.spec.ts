import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { queryE2eDatabase } from "./support/database";
import { expect, test, type Page } from "./support/test";

/**
 * Infra templates and an image upgrade: the owner saves a new version of the
 * Odoo template (untested, so no upgrade offers it), marks it tested, opens
 * acme's Infra tab, downloads its compose file, upgrades it and downloads the
 * file again. The images are checked in the downloaded YAML, parsed here,
 * against what the owner typed.
 */
test.describe("infra templates", () => {
  test.use({ signedInAs: "owner" });

  async function composeImage(page: Page, outputPath: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download docker-compose.yaml" }).click()]);
    await download.saveAs(outputPath);
    const compose = parse(await readFile(outputPath, "utf8")) as { services: Record<string, { image?: string }> };
    return Object.values(compose.services)
      .map((service) => service.image ?? "")
      .find((image) => image.startsWith("odoo:"))!;
  }

  test("the owner tests a new template version and upgrades a workspace onto it", async ({ page, signedInState }, testInfo) => {
    test.setTimeout(120_000);
    await signedInState("ops");
    const [acme] = await queryE2eDatabase<{ id: string }>("SELECT id FROM tenants WHERE slug = 'acme'");
    const newImage = `odoo:18.0-${Date.now().toString(36)}`;

    await page.goto("/admin/infra/templates");
    const current = page
      .getByRole("row", { name: /odoo-18 v\d+/ })
      .filter({ hasText: "tested" })
      .first();
    await current.getByRole("link", { name: "New version" }).click();
    const form = page.getByRole("region", { name: /New version of odoo-18/ });
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("odoo-18");
    await form.getByLabel("Odoo image", { exact: true }).fill(newImage);
    await form.getByLabel("Environment defaults", { exact: true }).fill("ODOO_WORKERS=4\nDB_PASSWORD=x");
    await form.getByRole("button", { name: "Save new version" }).click();
    await expect(page.getByText("DB_PASSWORD looks like a secret")).toBeVisible();
    await form.getByLabel("Environment defaults", { exact: true }).fill("ODOO_WORKERS=4");
    await form.getByRole("button", { name: "Save new version" }).click();
    await expect(page.getByRole("status")).toContainText("It is untested until you mark it");
    const created = page.getByRole("row").filter({ hasText: newImage });
    await expect(created.getByRole("cell", { name: "untested", exact: true })).toBeVisible();
    const version = (await created.getByRole("cell").first().innerText()).trim();

    // Untested, it is not offered to the workspace.
    await page.goto(`/admin/tenants/${acme!.id}?tab=infra`);
    await expect(page.getByRole("radio", { name: new RegExp(newImage) })).toHaveCount(0);
    const before = await composeImage(page, testInfo.outputPath("before.yaml"));
    expect(before).not.toBe(newImage);

    await page.goto("/admin/infra/templates");
    await page.getByRole("button", { name: `Mark tested: ${version}` }).click();
    await expect(page.getByRole("row").filter({ hasText: newImage }).getByRole("cell", { name: "tested", exact: true })).toBeVisible();

    await page.goto(`/admin/tenants/${acme!.id}?tab=infra`);
    await page.getByRole("radio", { name: new RegExp(newImage) }).check();
    await page.locator("summary", { hasText: "Upgrade image" }).click();
    await page.getByRole("dialog", { name: "Upgrade this workspace's Odoo image?" }).getByRole("button", { name: "Confirm upgrade" }).click();
    await expect(page.getByRole("status")).toContainText("Image upgrade queued");
    await expect(async () => {
      await page.goto(`/admin/tenants/${acme!.id}?tab=infra`);
      await expect(page.getByText(newImage.split(":")[1]!, { exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    expect(await composeImage(page, testInfo.outputPath("after.yaml"))).toBe(newImage);
    // The tag is recorded before Odoo is checked: the operation finishes a moment later.
    await expect
      .poll(async () => {
        const [operation] = await queryE2eDatabase<{ status: string }>(
          "SELECT status FROM tenant_operations WHERE tenant_id = $1 AND type = 'upgrade_image' ORDER BY created_at DESC LIMIT 1",
          [acme!.id],
        );
        return operation?.status;
      })
      .toBe("succeeded");
  });
});
