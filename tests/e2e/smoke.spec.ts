import { expect, test } from "./support/test";

test("the home page renders the product and its navigation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("ranked shortlist");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open your workspace" })).toHaveAttribute("href", "/app");
  await page.screenshot({ path: "test-results/screenshots/home.png", fullPage: true });
});

test.describe("a page that does not exist", () => {
  // The browser logs the 404 document itself as a console error; nothing else may be.
  test.use({ expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/] });

  test("an unknown page shows the not-found page with a way back", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Back to the start page" }).click();
    await expect(page).toHaveURL("/");
  });
});

test("/healthz reports the web process live and /readyz the database and the worker up", async ({ request }) => {
  const live = await request.get("/healthz");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ ok: true, db: true });
  const ready = await request.get("/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ ok: true, db: true, worker: true });
});
