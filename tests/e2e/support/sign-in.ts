import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo";

/** Signs in through the dev IdP's real login page, choosing a tenant when the IdP asks. */
export async function signIn(page: Page, email: string, options: { tenant?: string; returnTo?: string } = {}) {
  await page.goto(`/auth/login${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ""}`);
  await expect(page.getByLabel("Email")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (options.tenant) {
    await page.getByLabel(new RegExp(`^${options.tenant}\\b`)).check();
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await page.waitForURL((url) => url.port === new URL(page.url()).port && !url.pathname.startsWith("/auth/"));
}

/** Creates a brand-new account at the IdP (self-serve sign-up) and signs in with it. */
export async function signUp(page: Page, name: string, email: string, password = "correct horse battery") {
  await page.goto("/auth/login");
  await page.getByRole("link", { name: "Create account" }).click();
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account and continue" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  // The IdP asks for confirmation before ending its own session.
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

export function uniqueEmail(prefix: string) {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}
