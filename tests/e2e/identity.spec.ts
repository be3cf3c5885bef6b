import { signIn, signOut, signUp, uniqueEmail } from "./support/sign-in";
import { expect, test } from "./support/test";

test.describe("sign-in and first-login provisioning", () => {
  test("a brand-new user watches the workspace being set up, then lands in it", async ({ page }) => {
    const email = uniqueEmail("founder");
    await signUp(page, "Dana Founder", email);

    await expect(page).toHaveURL(/\/app\/setup$/);
    await expect(page.getByRole("heading", { name: "Setting up your workspace…" })).toBeVisible();
    await expect(page.locator('[data-phase="creating_odoo"]')).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/setup.png", fullPage: true });

    await page.waitForURL(/\/app$/, { timeout: 30_000 });
    await expect(page.getByTestId("header-email")).toHaveText(email);
    await expect(page.getByTestId("header-tenant")).toContainText("Dana Founder's workspace");
    await expect(page.getByTestId("header-tenant")).toContainText("admin");
    await page.screenshot({ path: "test-results/screenshots/workspace.png", fullPage: true });
  });

  test("the platform never shows a password field of its own", async ({ page }) => {
    await page.goto("/auth/login");
    expect(new URL(page.url()).port).not.toBe(new URL(test.info().project.use.baseURL!).port);
  });

  test("a user in two tenants lands in the one chosen at the IdP", async ({ page }) => {
    await signIn(page, "multi@example.com", { tenant: "globex" });
    await page.goto("/app");
    await expect(page.getByTestId("header-tenant")).toContainText("Globex");
    await expect(page.getByTestId("header-tenant")).toContainText("viewer");
  });

  test.describe("the control plane refused", () => {
    // The browser logs the refused document itself as a console error; nothing else may be.
    test.use({ signedInAs: "viewer", expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 403/] });

    test("a viewer sees their role and cannot open the control plane", async ({ page }) => {
      await page.goto("/app");
      await expect(page.getByTestId("header-tenant")).toContainText("Acme · viewer");
      await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
      const response = await page.goto("/admin");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    });
  });

  test.describe("signed in as ops", () => {
    test.use({ signedInAs: "ops" });

    test("a cross-site POST carrying the session cookie is refused and changes nothing", async ({ page }) => {
      const forged = await page.request.post("/auth/logout", {
        headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
      expect(await forged.json()).toMatchObject({ error: "cross_site_request" });
      // Still signed in: the forged logout did nothing.
      await page.goto("/app");
      await expect(page.getByTestId("header-email")).toHaveText("ops@acme.test");
    });

    test("an export download another site starts is refused: each download counts against the plan", async ({ page }) => {
      const forged = await page.request.get("/api/export/shortlist.csv", { headers: { "Sec-Fetch-Site": "cross-site" } });
      expect(forged.status()).toBe(403);
      expect(await forged.json()).toMatchObject({
        error: "cross_site_request",
        message: "Refused: export download from another site (Sec-Fetch-Site: cross-site)",
      });
    });
  });

  test("after signing out, the back button does not reveal the workspace", async ({ page }) => {
    await signIn(page, "ops@acme.test");
    await page.goto("/app");
    await expect(page.getByTestId("header-email")).toHaveText("ops@acme.test");
    await signOut(page);
    await page.goBack();
    await expect(page.getByTestId("header-email")).toHaveCount(0);
    await page.goto("/app");
    // Signed out everywhere: the IdP asks for credentials again.
    await expect(page.getByLabel("Password")).toBeVisible();
  });

  test("the platform owner sees new tenants in the admin pages", async ({ page, browser }) => {
    const founder = await browser.newPage();
    const email = uniqueEmail("admin-check");
    await signUp(founder, "Quinn Admincheck", email);
    await founder.waitForURL(/\/app$/, { timeout: 30_000 });
    await founder.close();

    await signIn(page, "owner@nexius.test");
    await expect(page).toHaveURL(/\/admin$/);
    await page.getByRole("link", { name: "All tenants" }).click();
    await page.getByRole("searchbox", { name: "Search" }).fill("Quinn");
    await page.getByRole("button", { name: "Apply" }).click();
    const row = page.getByRole("row", { name: /Quinn Admincheck's workspace/ });
    await expect(row).toContainText("active");
    await expect(row).toContainText("company_per_tenant");
    await page.screenshot({ path: "test-results/screenshots/admin-tenants.png", fullPage: true });
    await row.getByRole("link", { name: /Quinn Admincheck.s workspace/ }).click();
    await expect(page.getByRole("heading", { name: "Provisioning" })).toBeVisible();
    await expect(page.getByText("tenant.provisioned")).toBeVisible();
    await page.getByRole("button", { name: "Verify now" }).click();
    await expect(page.getByRole("status")).toContainText("Odoo answered");
    await page.screenshot({ path: "test-results/screenshots/admin-tenant.png", fullPage: true });
  });
});
