import { expect, test } from "./support/test";

/**
 * /app/settings in a real browser: suppression lists filled by paste and by
 * CSV upload, with the refused rows listed by line; a threshold mistake kept
 * in the form; viewers refused; an admin disconnects Microsoft 365,
 * connects it again through the (simulated) Microsoft admin-consent page and
 * has a malformed own app registration refused in the form.
 */
test.describe("ops", () => {
  test.use({ signedInAs: "ops" });

  test("ops adds suppressions by paste and CSV upload and sees the refused rows", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/app/settings");
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/settings.png", fullPage: true });

    const paste = page.getByRole("textbox", { name: "Values, one per line" });
    await paste.fill(["Jane.Tan@Example-Paste.SG", "https://www.paste-competitor.com/", "not an address", "T98LL0001A"].join("\n"));
    await page.getByLabel("Reason (optional)").nth(1).fill("asked to stop");
    await page.getByRole("button", { name: "Add all" }).click();
    await expect(page.getByTestId("paste-result")).toContainText("3 added, 1 line refused");
    const pasteErrors = page.getByTestId("row-errors");
    await expect(pasteErrors.getByRole("row", { name: /^3 not an address/ })).toBeVisible();
    // Only the refused line is given back, to fix and send again.
    await expect(paste).toHaveValue("not an address");
    const list = page.getByTestId("suppression-list");
    await expect(list).toContainText("jane.tan@example-paste.sg");
    await expect(list).toContainText("paste-competitor.com");
    await expect(list).toContainText("T98LL0001A");

    const csv = [
      "kind,value,reason",
      "email,ops@upload-co.sg,unsubscribed",
      "email,ops@@upload-co.sg,typo",
      "domain,http://upload-co.sg/about,",
      "phone,6123 4567,wrong kind",
      "uen,T19LL1234A,closed",
    ].join("\n");
    await page.getByLabel("CSV file (up to 1 MB)").setInputFiles({ name: "suppress.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByTestId("csv-result")).toContainText("suppress.csv: 3 added, 2 lines refused");
    const csvErrors = page.getByTestId("row-errors");
    await expect(csvErrors.getByRole("row")).toHaveCount(3);
    await expect(csvErrors.getByRole("row", { name: /^3 ops@@upload-co\.sg not an email address/ })).toBeVisible();
    await expect(csvErrors.getByRole("row", { name: /^5 6123 4567 unknown kind "phone"/ })).toBeVisible();
    await expect(list).toContainText("ops@upload-co.sg");
    await expect(list).toContainText("T19LL1234A");
    await expect(list).not.toContainText("ops@@upload-co.sg");
    await page.screenshot({ path: "test-results/screenshots/settings-suppressions.png", fullPage: true });

    await page.getByRole("link", { name: /^UENs \(/ }).click();
    await expect(list.getByRole("row")).toHaveCount(3);
    await page.getByRole("button", { name: "Remove T19LL1234A" }).click();
    await expect(page.getByRole("status").filter({ hasText: "T19LL1234A is no longer suppressed." })).toBeVisible();
    await expect(list).not.toContainText("T19LL1234A");
  });

  test("a threshold mistake is explained inline and the typed values stay", async ({ page }) => {
    await page.goto("/app/settings");
    const high = page.getByLabel("High from");
    const medium = page.getByLabel("Medium from");
    const saved = { high: await high.inputValue(), medium: await medium.inputValue() };
    await high.fill("35");
    await medium.fill("60");
    await page.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByText("The High threshold must be above the Medium one")).toBeVisible();
    await expect(high).toHaveValue("35");
    await expect(medium).toHaveValue("60");
    await expect(high).toHaveAttribute("aria-invalid", "true");
    // Back to the saved values: the form round-trips without creating an ICP version other journeys would see.
    await high.fill(saved.high);
    await medium.fill(saved.medium);
    await page.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByText(/^Score thresholds saved(: nothing changed| as ICP version \d+)\.$/)).toBeVisible();
    await expect(page.getByLabel("High from")).toHaveValue(saved.high);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/screenshots/settings-phone.png", fullPage: true });
  });
});

test.describe("a viewer", () => {
  // The browser logs the refused document itself as a console error; nothing else may be.
  test.use({ signedInAs: "viewer", expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 403/] });

  test("a viewer cannot open the settings", async ({ page }) => {
    const response = await page.goto("/app/settings");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  });
});

test.describe("admin", () => {
  test.use({ signedInAs: "globexAdmin" });

  test("an admin disconnects Microsoft 365, connects it again through Microsoft's consent page and sees it connected", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/app/settings");
    const m365 = page.getByRole("region", { name: "Microsoft 365" });
    // The demo workspaces start connected to their directory in the Graph simulator.
    await expect(m365.getByText("connected", { exact: true })).toBeVisible();
    const directoryId = (await m365.getByRole("definition").first().textContent())!.trim();
    expect(directoryId).toMatch(/^[0-9a-f-]{36}$/);

    await m365.getByText("Disconnect…").click();
    await expect(m365).toContainText("already loaded stay in the lake");
    await m365.getByRole("button", { name: "Disconnect Microsoft 365" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Microsoft 365 is disconnected" })).toBeVisible();
    await expect(m365.getByText("not connected", { exact: true })).toBeVisible();

    await m365.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
    await page.getByLabel("admin@globex.onmicrosoft.com").check();
    await page.getByRole("button", { name: "Accept" }).click();

    await page.waitForURL(/\/app\/settings\?m365=connected/);
    await expect(page.getByRole("status").filter({ hasText: "Microsoft 365 is connected and the connection test passed" })).toBeVisible();
    await expect(m365.getByText("connected", { exact: true })).toBeVisible();
    await expect(m365).toContainText(directoryId);
    await expect(m365).toContainText("by admin@globex.test");

    // The own-app-registration form by keyboard: a malformed id is refused in place and nothing changes.
    await m365.getByText("Use your own app registration…").click();
    await expect(m365.getByLabel("Directory (tenant) ID")).toHaveValue(directoryId);
    const clientId = m365.getByLabel("Application (client) ID");
    await clientId.focus();
    await page.keyboard.type("not-a-guid");
    await page.keyboard.press("Tab");
    await expect(m365.getByLabel("Client secret")).toBeFocused();
    await page.keyboard.type("some-secret-value");
    await page.keyboard.press("Enter");
    await expect(m365.getByText("The application (client) id is a GUID such as 0b8e4c2a-1f3d-4e5a-9b6c-7d8e9f0a1b2c")).toBeVisible();
    await expect(clientId).toHaveAttribute("aria-invalid", "true");
    await page.reload();
    await expect(m365.getByRole("definition").filter({ hasText: "The platform's" })).toBeVisible();
    await expect(m365.getByText("connected", { exact: true })).toBeVisible();
  });
});
