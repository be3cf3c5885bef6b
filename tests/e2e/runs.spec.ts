import { queryE2eDatabase } from "./support/database";
import { ensureTodaysShortlist } from "./support/shortlist";
import { expect, test, type Locator } from "./support/test";

/**
 * The dashboard and the runs pages in a real browser against the dev world:
 * an ops user starts a run from the dashboard, watches its live progress on
 * the run page until it finishes, and finds it in the history; a viewer sees
 * the same pages without the controls.
 */
/** What the run stored: its status and how its companies' scores split into buckets. */
async function storedRun(runId: string) {
  const [run] = await queryE2eDatabase<{ status: string }>("SELECT status FROM runs WHERE id = $1", [runId]);
  const buckets = await queryE2eDatabase<{ bucket: string; companies: number }>(
    `SELECT s.bucket, count(*)::int AS companies FROM run_companies rc
       JOIN lead_scores s ON s.tenant_id = rc.tenant_id AND s.run_id = rc.run_id AND s.uen = rc.uen
      WHERE rc.run_id = $1 GROUP BY s.bucket`,
    [runId],
  );
  return { status: run?.status, buckets, scored: buckets.reduce((sum, b) => sum + b.companies, 0) };
}

/** The distribution chart shows exactly the stored split (its summary names every bucket's count and the total). */
async function expectDistribution(region: Locator, stored: Awaited<ReturnType<typeof storedRun>>) {
  const figure = region.getByRole("figure", { name: /Score distribution/ });
  await expect(figure).toContainText(`of ${stored.scored} scored companies`);
  for (const { bucket, companies } of stored.buckets) await expect(figure).toContainText(`${bucket} ${companies} (`);
}

test.describe("ops", () => {
  test.use({ signedInAs: "ops" });

  test("ops starts a run from the dashboard and watches it to completion", async ({ page }) => {
    test.setTimeout(600_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/app");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/dashboard-before-run.png", fullPage: true });

    await page.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/app\/runs\/[0-9a-f-]{36}$/);
    const live = page.getByTestId("live-progress");
    await expect(live).toBeVisible();
    await expect(page.getByRole("heading", { name: "Live progress" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Companies per stage" })).toBeVisible();
    await expect(page.getByTestId("stream-state")).toHaveText(/Live|Finished/, { timeout: 30_000 });
    // The stream delivers the run's first steps and counters without a reload.
    await expect(page.getByTestId("event-feed").locator("li").first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("progressbar", { name: "Run progress" })).toBeVisible();
    await expect(page.getByTestId("run-progress-text")).toContainText(/companies settled/, { timeout: 120_000 });
    await page.screenshot({ path: "test-results/screenshots/run-live.png", fullPage: true });

    // When the stream says done, the page reloads its data and shows the final figures.
    await expect(page.getByRole("heading", { name: "Run figures" })).toBeVisible({ timeout: 540_000 });
    await expect(page.getByText("succeeded").first()).toBeVisible();
    await expect(page.getByTestId("run-progress-text")).toContainText("(100 %)");
    await expect(page.getByRole("heading", { name: "Vendor usage and cost" })).toBeVisible();
    // The dev world always has companies to score: a run that scored none did not work.
    const stored = await storedRun(new URL(page.url()).pathname.split("/").pop()!);
    expect(stored.status).toBe("succeeded");
    expect(stored.scored).toBeGreaterThan(0);
    await expectDistribution(page.getByRole("region", { name: "Shortlist" }), stored);
    await page.screenshot({ path: "test-results/screenshots/run-finished.png", fullPage: true });

    await page.getByRole("link", { name: "← All runs" }).click();
    await expect(page.getByRole("heading", { name: "Runs", level: 1 })).toBeVisible();
    await expect(page.getByRole("table").getByRole("row")).not.toHaveCount(1);
    await expect(page.getByRole("table")).toContainText("ops@acme.test");
    await page.screenshot({ path: "test-results/screenshots/runs.png", fullPage: true });

    await page.getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByRole("heading", { name: "Latest run" })).toBeVisible();
    await expectDistribution(page.getByRole("region", { name: "Latest shortlist" }), stored);
    const trend = page.getByRole("figure", { name: /Shortlist and verified emails/ });
    await expect(trend).toBeVisible();
    await expect(page.getByRole("meter", { name: "LLM tokens today" })).toBeVisible();
    // Charts are readable without the picture: the same figures as a table.
    await trend.getByText("Show as table").click();
    await expect(trend.getByRole("table")).toContainText(/\d+ %|—/);
    await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByRole("heading", { name: "Latest run" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/dashboard-phone.png", fullPage: true });
  });

  test("Run now while a run is active points to that run instead of starting another", async ({ page }) => {
    // A run held active in the database: a real one may finish before the page reloads.
    const [held] = await queryE2eDatabase<{ id: string }>(
      `INSERT INTO runs (tenant_id, kind, status, run_date, started_at, target_count)
       SELECT id, 'manual', 'running', current_date, now(), 1 FROM tenants WHERE slug = 'acme' RETURNING id`,
    );
    const runId = held!.id;
    try {
      await page.goto("/app");
      await expect(page.getByRole("link", { name: "Watch the run in progress" })).toHaveAttribute("href", `/app/runs/${runId}`);
      await expect(page.getByRole("button", { name: "Run now" })).toHaveCount(0);
      // A Run now posted anyway (a stale tab) starts nothing.
      const posted = await page.request.post("/app?index", { headers: { Origin: new URL(page.url()).origin }, form: { intent: "run-now" } });
      expect(posted.status()).toBe(200);
      const active = await queryE2eDatabase<{ id: string }>(
        `SELECT r.id FROM runs r JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = 'acme' AND r.status IN ('queued', 'running', 'finalizing')`,
      );
      expect(active.map((r) => r.id)).toEqual([runId]);
    } finally {
      await queryE2eDatabase("UPDATE runs SET status = 'failed', finished_at = now() WHERE id = $1", [runId]);
    }
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  // The run pages need a finished run to show.
  test.beforeAll(async ({ browser, signedInState }, testInfo) => {
    test.setTimeout(10 * 60_000);
    await ensureTodaysShortlist(browser, { baseURL: testInfo.project.use.baseURL, storageState: await signedInState("ops") });
  });

  test("a viewer sees the dashboard and runs without Run now, resolve or QA controls", async ({ page }) => {
    await page.goto("/app");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Run now" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Resolve/ })).toHaveCount(0);
    await page.getByRole("link", { name: "Runs", exact: true }).click();
    await page.getByRole("table").getByRole("link").last().click();
    await expect(page.getByRole("heading", { name: /QA sample/ })).toBeVisible();
    await expect(page.getByRole("button", { name: "Mark checked" })).toHaveCount(0);
    // Same-origin (a viewer with devtools), so the role guard answers, not the cross-site check.
    const forged = await page.request.post(page.url(), {
      headers: { Origin: new URL(page.url()).origin },
      form: { intent: "qa-check", uen: "201912345K", verdict: "ok" },
    });
    expect(forged.status()).toBe(403);
  });
});
