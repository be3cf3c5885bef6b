import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signIn } from "./support/sign-in";

/**
 * Browser-side protections: the sign-in never sends the browser to another
 * site, and the Content-Security-Policy lets every page of ours run (a
 * blocked script or style shows as a console error and a
 * securitypolicyviolation event).
 */
/** Console errors and uncaught exceptions on our pages (the IdP's pages are not ours). */
function watchForProblems(page: Page, origin: string) {
  const problems: string[] = [];
  const ours = () => page.url().startsWith(origin);
  page.on("console", (message) => {
    if (message.type() === "error" && ours()) problems.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => ours() && problems.push(`${page.url()}: ${error.message} ${error.stack?.split("\n")[1] ?? ""}`));
  return problems;
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

test("workspace pages run under the CSP without a console error", async ({ page, baseURL }) => {
  const problems = watchForProblems(page, baseURL!);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  await page.goto("/");
  await signIn(page, "ops@acme.test");
  for (const path of ["/app", "/app/shortlist", "/app/runs", "/app/icp", "/app/settings", "/app/chat"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  // Hydrated: client-side navigation works (it needs the scripts the CSP must allow).
  await page.goto("/app");
  await page.getByRole("link", { name: "Shortlist" }).first().click();
  await expect(page).toHaveURL(/\/app\/shortlist/);
  expect(problems).toEqual([]);
});

test("the control plane runs under the CSP without a console error", async ({ page, baseURL }) => {
  const problems = watchForProblems(page, baseURL!);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  await signIn(page, "owner@nexius.test");
  await page.goto("/admin");
  await page.waitForLoadState("networkidle");
  expect(problems).toEqual([]);
});
