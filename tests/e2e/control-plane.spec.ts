import { queryE2eDatabase } from "./support/database";
import { signUp, uniqueEmail } from "./support/sign-in";
import { expect, test } from "./support/test";

test.describe("the control plane", () => {
  // The paused workspace's page answers 423, which the browser logs as a failed resource; nothing else may be.
  test.use({ signedInAs: "owner", expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 423/] });

  test("the owner filters the tenants, pauses one (its user sees the paused page), resumes it and watches the operation finish", async ({ page, browser }) => {
    // A workspace of its own, so pausing it disturbs no other journey.
    const founder = await browser.newPage({ storageState: { cookies: [], origins: [] } });
    const email = uniqueEmail("paused");
    await signUp(founder, "Pia Pauseme", email);
    await founder.waitForURL(/\/app$/, { timeout: 30_000 });

    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Tenant health" })).toBeVisible();
    await page
      .getByRole("navigation", { name: "Tenants by status" })
      .getByRole("link", { name: /active/i })
      .click();
    await expect(page).toHaveURL(/\/admin\/tenants\?status=active$/);
    // The search runs by itself once typing stops.
    await page.getByRole("searchbox", { name: "Search" }).fill("Pia Pauseme");
    await expect(page).toHaveURL(/q=Pia\+Pauseme/);
    const row = page.getByRole("row", { name: /Pia Pauseme's workspace/ });
    await expect(row).toContainText("active");
    await expect(page.getByRole("row")).toHaveCount(2);
    await page.screenshot({ path: "test-results/screenshots/control-plane-tenants.png", fullPage: true });
    await row.getByRole("link", { name: /Pia Pauseme's workspace/ }).click();

    await page.getByText("Pause", { exact: true }).click();
    const confirm = page.getByRole("dialog", { name: "Pause this workspace?" });
    await expect(confirm).toContainText("Nothing is deleted");
    await confirm.getByRole("button", { name: "Confirm pause" }).click();
    await expect(page.getByRole("status")).toContainText("Pause queued");
    const [tenant] = await queryE2eDatabase<{ id: string }>("SELECT id FROM tenants WHERE name = $1", ["Pia Pauseme's workspace"]);
    await expect
      .poll(async () => (await queryE2eDatabase<{ status: string }>("SELECT status FROM tenants WHERE id = $1", [tenant!.id]))[0]!.status)
      .toBe("paused");

    const refused = await founder.goto("/app");
    expect(refused?.status()).toBe(423);
    await expect(founder.getByRole("heading", { name: "This workspace is paused" })).toBeVisible();
    await founder.screenshot({ path: "test-results/screenshots/workspace-paused.png", fullPage: true });

    await page.reload();
    await page.getByText("Resume", { exact: true }).click();
    await page.getByRole("dialog", { name: "Resume this workspace?" }).getByRole("button", { name: "Confirm resume" }).click();
    await expect(page.getByRole("status")).toContainText("Resume queued");

    await page.goto("/admin");
    const timeline = page.getByRole("list", { name: "Operations timeline" });
    const resume = timeline.getByRole("listitem").filter({ hasText: "Resume Pia Pauseme's workspace" }).first();
    // The overview reads again while the operation runs, until it has finished.
    await expect(resume).toContainText("succeeded", { timeout: 30_000 });
    await resume.getByRole("link").click();
    const drawer = page.getByRole("dialog", { name: "Operation" });
    await expect(drawer.getByRole("list", { name: "Operation log" })).toContainText("resume finished");
    await page.screenshot({ path: "test-results/screenshots/admin-overview.png", fullPage: true });

    await founder.goto("/app");
    await expect(founder.getByTestId("header-email")).toHaveText(email);
    await founder.close();
  });
});
