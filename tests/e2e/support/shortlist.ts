import { expect, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";

/**
 * Opens acme's shortlist for today with rows in it: from an earlier run, or
 * from one started here through the empty state's "Run now" (the page must
 * belong to an ops user) and waited for until the worker has finished it.
 */
export async function openShortlistWithRows(page: Page) {
  await page.goto("/app/shortlist");
  const empty = page.getByRole("heading", { name: /No shortlist for today yet/ });
  if (await empty.isVisible()) {
    const runNow = page.getByRole("button", { name: "Run now" });
    if (await runNow.isVisible()) await runNow.click();
    await page.waitForLoadState("load");
  }
  await expect(async () => {
    await page.goto("/app/shortlist");
    await expect(page.getByRole("table").getByRole("row").nth(1)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 8 * 60_000, intervals: [3000] });
}

/** The first High company of today's shortlist, as the filtered table lists it. */
export async function firstHighCompany(page: Page): Promise<{ name: string; uen: string }> {
  await page.goto("/app/shortlist?bucket=High");
  const row = page.getByRole("table").getByRole("row").nth(1);
  return { name: (await row.getByRole("link").innerText()).trim(), uen: (await row.locator("td:nth-child(2) div").innerText()).trim() };
}

/**
 * Makes sure acme has today's shortlist before a journey that only reads it,
 * in a page of its own signed in as ops, and returns its first High company.
 */
export async function ensureTodaysShortlist(browser: Browser, opsContext: BrowserContextOptions) {
  const context = await browser.newContext(opsContext);
  try {
    const page = await context.newPage();
    await openShortlistWithRows(page);
    return await firstHighCompany(page);
  } finally {
    await context.close();
  }
}
