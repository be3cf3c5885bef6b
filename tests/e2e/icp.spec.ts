import { expect, test } from "./support/test";

/**
 * The ICP editor in a real browser: the preview follows unsaved edits,
 * invalid input is explained on its field and kept, a save adds a version
 * whose diff shows in the history; viewers read only.
 */
const matches = async (text: string) => Number(text.replace(/[^\d]/g, ""));

test.describe("ICP editor for ops", () => {
  test.use({ signedInAs: "ops" });

  test("ops edits the rules, watches the preview, fixes an error and sees the diff in the history", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/app/icp");
    await expect(page.getByRole("heading", { name: "Ideal customer profile" })).toBeVisible();
    const count = page.getByTestId("preview-count");
    await expect(count).toHaveText(/^Matches [\d,]+ compan/);
    await page.screenshot({ path: "test-results/screenshots/icp.png", fullPage: true });

    // Start from a known state: software only.
    const targets = page.getByRole("group", { name: /^Target industries/ });
    await targets.getByRole("checkbox", { name: "Software and SaaS" }).check();
    for (const other of await targets.getByRole("checkbox", { checked: true }).all()) {
      if ((await other.getAttribute("value")) !== "software") await other.uncheck();
    }
    await expect(page.getByText("Updating…")).toHaveCount(0);
    const softwareOnly = await matches(await count.innerText());

    await targets.getByRole("checkbox", { name: "Logistics and transport" }).check();
    await expect.poll(async () => matches(await count.innerText())).toBeGreaterThan(softwareOnly);
    const wider = await matches(await count.innerText());

    await page.getByLabel("Name contains").fill("codigo");
    await expect.poll(async () => matches(await count.innerText())).toBeLessThan(wider);
    await expect(page.getByRole("table").getByText("CODIGO PTE. LTD.")).toBeVisible();
    await page.getByLabel("Name contains").fill("");
    await expect.poll(async () => matches(await count.innerText())).toBe(wider);

    // An inverted range is explained on the field, live and after saving, and the input is kept.
    await page.getByLabel("Employees at least").fill("300");
    await page.getByLabel("Employees at most").fill("30");
    await expect(page.getByText("min must not exceed max")).toBeVisible();
    await expect(page.getByLabel("Employees at most")).toHaveAttribute("aria-invalid", "true");
    await page.getByRole("button", { name: /^Save as version/ }).click();
    await expect(page.getByRole("alert")).toContainText("Not saved");
    await expect(page.getByLabel("Employees at least")).toHaveValue("300");
    await expect(page.getByLabel("Employees at most")).toHaveValue("30");
    await page.screenshot({ path: "test-results/screenshots/icp-error.png", fullPage: true });

    await page.getByLabel("Employees at most").fill("3000");
    await expect(page.getByText("min must not exceed max")).toHaveCount(0);
    const save = page.getByRole("button", { name: /^Save as version/ });
    const next = Number((await save.innerText()).replace(/\D/g, ""));
    await save.click();
    await expect(page.getByRole("status")).toContainText(`Saved version ${next}`);
    const latest = page.getByTestId(`icp-version-${next}`);
    await expect(latest).toContainText("ops@acme.test");
    await expect(latest.getByRole("list", { name: `Changes in version ${next}` })).toContainText("Industries: + Logistics and transport");
    await expect(latest).toContainText("Employees (min): ");
    await expect(latest).toContainText("→ 300");
    await expect(page.getByLabel("Employees at most")).toHaveValue("3000");
    await page.screenshot({ path: "test-results/screenshots/icp-history.png", fullPage: true });
  });
});

test.describe("ICP editor for a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("a viewer sees the rules read-only and a forged save is refused", async ({ page }) => {
    await page.goto("/app/icp");
    await expect(page.getByRole("note")).toContainText("Read-only");
    const targets = page.getByRole("group", { name: /^Target industries/ });
    await expect(targets.getByRole("checkbox", { name: "Software and SaaS" })).toBeDisabled();
    await expect(page.getByRole("button", { name: /^Save as version/ })).toHaveCount(0);
    const forged = await page.request.post("/app/icp", { form: { intent: "save", industries: "fintech" }, headers: { origin: new URL(page.url()).origin } });
    expect(forged.status()).toBe(403);
    await page.reload();
    await expect(page.getByRole("group", { name: /^Target industries/ }).getByRole("checkbox", { name: "Fintech" })).not.toBeChecked();
  });
});
