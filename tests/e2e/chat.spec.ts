import { queryE2eDatabase } from "./support/database";
import { expect, test, type Locator, type Page } from "./support/test";

/**
 * The agent chat in a real browser against the built app and its worker:
 * an ops user changes the ICP in plain English and watches the candidate
 * count change, runs the nightly job and watches it stream to the end, reads
 * the shortlist and an explanation, re-enriches a company; a viewer is refused.
 */
async function ask(page: Page, text: string): Promise<Locator> {
  const replies = page.getByRole("article", { name: "Assistant reply" });
  const before = await replies.count();
  const box = page.getByLabel("Message");
  await box.fill(text);
  await box.press("Enter");
  // Focus stays in the box for the next message.
  await expect(box).toBeFocused();
  await expect(replies).toHaveCount(before + 1, { timeout: 30_000 });
  return replies.last();
}

async function refreshedCount(card: Locator): Promise<number> {
  const refreshed = card.getByTestId("candidates-refreshed");
  await expect(refreshed).toContainText("done:", { timeout: 60_000 });
  return Number((await refreshed.locator("strong").innerText()).replace(/,/g, ""));
}

const count = async (locator: Locator) => Number((await locator.innerText()).replace(/[^\d]/g, ""));

test.describe("agent chat for ops", () => {
  test.use({ signedInAs: "ops" });

  test("ops changes the ICP through the chat and sees the candidate count change", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/app/chat");
    await expect(page.getByRole("heading", { name: "Ask the agent" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/chat-start.png", fullPage: true });

    const narrow = await ask(page, "Refresh ICP to logistics, 20 to 500 staff");
    await expect(page).toHaveURL(/\/app\/chat\/[0-9a-f-]{36}$/);
    await expect(narrow).toContainText(/ICP (updated to version \d+|unchanged; refreshing candidates)/);
    const logistics = await refreshedCount(narrow);

    const prd = await ask(page, "Refresh ICP to software, 10–200 employees; run nightly.");
    await expect(prd).toContainText(/ICP updated to version \d+/);
    await expect(prd.getByRole("list", { name: "Changes" })).toContainText("Industries");
    expect(await count(prd.getByTestId("candidates-before"))).toBe(logistics);
    const preview = await count(prd.getByTestId("candidates-preview"));
    expect(preview).not.toBe(logistics);
    expect(await refreshedCount(prd)).toBe(preview);
    await page.screenshot({ path: "test-results/screenshots/chat-icp.png", fullPage: true });

    await page.goto("/app/icp");
    const targets = page.getByRole("group", { name: /^Target industries/ });
    await expect(targets.getByRole("checkbox", { name: "Software and SaaS" })).toBeChecked();
    await expect(targets.getByRole("checkbox", { name: "Logistics and transport" })).not.toBeChecked();
  });

  test("ops runs the nightly job from the chat and watches it, reads the shortlist and an explanation, then re-enriches a company", async ({ page }) => {
    test.setTimeout(480_000);
    await page.goto("/app/chat");
    await ask(page, "Refresh ICP to software; run nightly.");

    const nightly = await ask(page, "Run nightly now");
    const runCard = nightly.getByTestId("run-card");
    await expect(runCard.getByRole("list", { name: "Run stages" })).toBeVisible();
    await expect(runCard.locator('[data-stage="crawl"]')).toHaveAttribute("data-state", /running|done/, { timeout: 60_000 });
    await page.screenshot({ path: "test-results/screenshots/chat-run-progress.png", fullPage: true });
    await expect(runCard).toHaveAttribute("data-status", "succeeded", { timeout: 300_000 });

    const shortlist = await ask(page, "Show today's shortlist (top 50).");
    const table = shortlist.getByRole("table");
    await expect(table.getByRole("columnheader")).toHaveText(["Rank", "Company", "Bucket", "Score", "Domain", "Contact"]);
    await expect(table.getByRole("row").nth(1)).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/chat-shortlist.png", fullPage: true });

    const why = await ask(page, "Explain why Codigo is High.");
    await expect(why.getByRole("heading", { name: /^Why CODIGO PTE\. LTD\. is (High|Medium|Low)$/ })).toBeVisible();
    await expect(why.getByRole("table", { name: "Score breakdown" })).toBeVisible();
    await expect(why.getByRole("link", { name: "Open CODIGO PTE. LTD." })).toHaveAttribute("href", "/app/companies/201190001C");
    await page.screenshot({ path: "test-results/screenshots/chat-explain.png", fullPage: true });

    const run = await ask(page, "Re-enrich Codigo; include careers page.");
    const card = run.getByTestId("run-card");
    await expect(card).toContainText("Re-enriching CODIGO PTE. LTD.");
    await expect(card).toContainText("careers page included");
    await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
    for (const stage of ["crawl", "merge", "extract", "verify", "score"]) {
      await expect(card.locator(`[data-stage="${stage}"]`)).toHaveAttribute("data-state", "done");
    }
    // The card reports the score the re-enrich run stored for Codigo, which the nightly run scored, so it must be scored again.
    const runId = (await card.getByRole("link", { name: "Open the run" }).getAttribute("href"))!.split("/").pop();
    const [stored] = await queryE2eDatabase<{ status: string; bucket: string | null; score: number | null }>(
      `SELECT r.status, s.bucket, s.score FROM runs r
         LEFT JOIN lead_scores s ON s.tenant_id = r.tenant_id AND s.run_id = r.id AND s.uen = '201190001C'
        WHERE r.id = $1 AND r.kind = 're_enrich'`,
      [runId],
    );
    expect(stored?.status).toBe("succeeded");
    expect(stored?.bucket).toMatch(/^(High|Medium|Low)$/);
    await expect(card.getByTestId("run-result")).toContainText(`Done: CODIGO PTE. LTD. is now ${stored!.bucket} with a score of ${stored!.score!.toFixed(0)}`);
  });
});

test.describe("agent chat for a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("a viewer asking to change the ICP is refused, and a typo gets suggestions", async ({ page }) => {
    await page.goto("/app/icp");
    const before = await page.getByTestId("preview-count").innerText();
    const description = await page.locator("main p").first().innerText();

    await page.goto("/app/chat");
    const refusal = await ask(page, "Refresh ICP to logistics, 10–200 employees; run nightly.");
    await expect(refusal.getByRole("heading", { name: "Not allowed for your role" })).toBeVisible();
    await expect(refusal).toContainText("nothing was changed");
    await page.screenshot({ path: "test-results/screenshots/chat-viewer-refused.png", fullPage: true });

    const typo = await ask(page, "shortlst please");
    await typo.getByRole("button", { name: "Show today's shortlist (top 50)." }).click();
    await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText(/shortlist/i);

    await page.goto("/app/icp");
    await expect(page.getByTestId("preview-count")).toHaveText(before);
    await expect(page.locator("main p").first()).toHaveText(description);
  });

  test("threads can be renamed and deleted, and work at phone width", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/app/chat");
    await ask(page, "help");
    await expect(page.getByRole("heading", { name: "What I can do" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/chat-phone.png", fullPage: true });

    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByLabel("Chat title").fill("Viewer questions");
    await page.getByLabel("Chat title").press("Enter");
    await expect(page.getByRole("heading", { name: "Viewer questions" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Chat threads" })).toContainText("Viewer questions");

    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await expect(page).toHaveURL(/\/app\/chat$/);
    await expect(page.getByRole("link", { name: /Viewer questions/ })).toHaveCount(0);
  });
});
