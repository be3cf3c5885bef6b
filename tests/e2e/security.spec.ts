import { DEMO_PASSWORD } from "./support/sign-in";
import { expect, test, type Page } from "./support/test";

/**
 * Browser-side protections: the sign-in never sends the browser to another
 * site, and the Content-Security-Policy lets every page of ours run (a
 * blocked script or style shows as a console error and a
 * securitypolicyviolation event).
 */
/**
 * Reports every CSP violation of the page as a console error, which fails
 * the journey (tests/e2e/support/test.ts), with the directive and the source.
 */
async function reportCspViolations(page: Page) {
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
}

test("a returnTo that a browser would read as another site ends on our own origin", async ({ page, baseURL }) => {
  // A tab inside "//": the check of the raw string saw a path, the browser drops the tab and sees //evil.example.
  await page.goto("/auth/login?returnTo=%2F%09%2Fevil.example");
  await page.getByLabel("Email").fill("ops@acme.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/auth/") && url.port === new URL(baseURL!).port, { timeout: 15_000 }).catch(() => {});
  await page.waitForLoadState("load");
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(new URL(page.url()).pathname).toBe("/app");
  await expect(page.getByTestId("header-email")).toHaveText("ops@acme.test");
});

test("pages carry the security headers, with a fresh script nonce each time", async ({ request }) => {
  const first = await request.get("/");
  const second = await request.get("/");
  const csp = first.headers()["content-security-policy"]!;
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(csp).not.toContain("'unsafe-inline' 'unsafe-eval'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(second.headers()["content-security-policy"]).not.toBe(csp);
  expect(first.headers()["x-content-type-options"]).toBe("nosniff");
  expect(first.headers()["referrer-policy"]).toBe("same-origin");
  // The inline hydration scripts carry this response's nonce.
  const nonce = csp.match(/'nonce-([^']+)'/)![1]!;
  expect(await first.text()).toContain(`nonce="${nonce}"`);
});

test.describe("ops", () => {
  test.use({ signedInAs: "ops" });

  test("workspace pages run under the CSP without a console error", async ({ page }) => {
    await reportCspViolations(page);
    await page.goto("/");
    for (const path of ["/app", "/app/shortlist", "/app/runs", "/app/icp", "/app/settings", "/app/chat"]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
    }
    // Hydrated: client-side navigation works (it needs the scripts the CSP must allow).
    await page.goto("/app");
    await page.getByRole("link", { name: "Shortlist" }).first().click();
    await expect(page).toHaveURL(/\/app\/shortlist/);
  });
});

test.describe("the platform owner", () => {
  test.use({ signedInAs: "owner" });

  test("the control plane runs under the CSP without a console error", async ({ page }) => {
    await reportCspViolations(page);
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Tenant health" })).toBeVisible();
    await page.goto("/admin/tenants");
    await expect(page.getByRole("searchbox", { name: "Search" })).toBeVisible();
    await page.waitForLoadState("networkidle");
  });
});
