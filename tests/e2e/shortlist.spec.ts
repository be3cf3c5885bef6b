import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { EXPORT_COLUMNS } from "../../app/exports/shortlist-export";
import { queryE2eDatabase } from "./support/database";
import { ensureTodaysShortlist } from "./support/shortlist";
import { expect, test } from "./support/test";

/**
 * The shortlist journey on the real flow: an ops user gets today's shortlist
 * (starting a run from the empty state when there is none yet and waiting for
 * the worker to finish it), filters it, opens a High company, reads why it is
 * High, re-enriches it with its careers page while the stage chips move, and
 * downloads the CSV. A viewer sees the same pages with personal data masked
 * and no Re-enrich, and a forged POST is refused; another tenant sees none of
 * it. Screenshots: test-results/screenshots/{shortlist,company,company-viewer}.png.
 */
let highCompany: { name: string; uen: string };

// Every journey here reads today's shortlist; the first to run makes sure there is one.
test.beforeAll(async ({ browser, signedInState }, testInfo) => {
  test.setTimeout(10 * 60_000);
  highCompany = await ensureTodaysShortlist(browser, { baseURL: testInfo.project.use.baseURL, storageState: await signedInState("ops") });
});

test.describe("ops", () => {
  test.use({ signedInAs: "ops" });

  test("ops filters the shortlist, explains a High company, re-enriches it and downloads the CSV", async ({ page }) => {
    test.setTimeout(5 * 60_000);
    await page.goto("/app/shortlist");
    await expect(page.getByRole("heading", { name: "Shortlist" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/shortlist.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/shortlist-phone.png" });
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByLabel("Bucket").selectOption("High");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/bucket=High/);
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows.nth(1)).toBeVisible();
    const buckets = await rows.locator("td:nth-child(3)").allInnerTexts();
    expect(buckets.length).toBeGreaterThan(0);
    expect(new Set(buckets)).toEqual(new Set(["High"]));

    const first = rows.nth(1).getByRole("link");
    const name = (await first.innerText()).trim();
    await first.click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Why High" })).toBeVisible();
    await expect(page.getByTestId("rationale")).not.toBeEmpty();
    const breakdown = page.getByRole("table", { name: "Score breakdown" });
    await expect(breakdown.getByRole("row", { name: /Decision-makers/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Crawl sources" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/company.png", fullPage: true });

    await page.getByLabel("Include careers page").check();
    await page.getByRole("button", { name: "Re-enrich" }).click();
    const progress = page.getByTestId("run-progress");
    await expect(progress).toBeVisible();
    await expect(progress.locator('[data-stage="crawl"]')).toBeVisible();
    await expect(progress).toHaveAttribute("data-outcome", "succeeded", { timeout: 3 * 60_000 });
    await expect(progress.locator('[data-state="done"]')).toHaveCount(5);
    await page.screenshot({ path: "test-results/screenshots/company-re-enriched.png", fullPage: true });

    await page.goto("/app/shortlist?bucket=High");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^acme-shortlist-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, "utf8");
    const [header, ...records] = parse(text) as string[][];
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r[3] === "High")).toBe(true);
    expect(text.split("\r\n")[1]).toMatch(/^"1",/);
    const emails = records.map((r) => r[11]).filter(Boolean);
    expect(emails.every((e) => /^[^*]+@/.test(e!))).toBe(true);
  });
});

test.describe("a viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("a viewer sees masked personal data, no Re-enrich, and a forged POST is refused", async ({ page, baseURL }) => {
    await page.goto(`/app/companies/${highCompany.uen}`);
    await expect(page.getByRole("heading", { level: 1, name: highCompany.name })).toBeVisible();
    await expect(page.getByText("Personal data (names, emails, phone numbers) is masked for your role.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Re-enrich" })).toHaveCount(0);
    await page.screenshot({ path: "test-results/screenshots/company-viewer.png", fullPage: true });

    // A company whose stored addresses the viewer must see masked (the High one when it has any).
    const [withEmails] = await queryE2eDatabase<{ uen: string; emails: string[] }>(
      `SELECT e.uen, array_agg(e.email ORDER BY e.email) AS emails FROM lead_emails e JOIN tenants t ON t.id = e.tenant_id
        WHERE t.slug = 'acme' GROUP BY e.uen ORDER BY (e.uen = $1) DESC, e.uen LIMIT 1`,
      [highCompany.uen],
    );
    expect(withEmails?.emails.length ?? 0, "the run stored no email for any acme company").toBeGreaterThan(0);
    await page.goto(`/app/companies/${withEmails!.uen}`);
    for (const email of withEmails!.emails) {
      await expect(page.locator("main")).toContainText(`${email[0]}***@${email.slice(email.lastIndexOf("@") + 1)}`);
      await expect(page.locator("body")).not.toContainText(email);
    }

    const forged = await page.request.post(`/app/companies/${highCompany.uen}`, { form: { intent: "re_enrich" }, headers: { Origin: baseURL! } });
    expect(forged.status()).toBe(403);

    const csv = await page.request.get("/api/export/shortlist.csv");
    expect(csv.status()).toBe(200);
    const csvText = await csv.text();
    const [, ...records] = parse(csvText) as string[][];
    for (const r of records) if (r[11]) expect(r[11]).toMatch(/^.\*\*\*@/);
    for (const email of withEmails!.emails) expect(csvText).not.toContain(email);
  });
});

test.describe("another tenant", () => {
  // A company that is not globex's answers 404, which the browser logs for the document itself.
  test.use({ signedInAs: "globexAdmin", expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/] });

  test("another tenant sees none of this tenant's findings about these companies", async ({ page }) => {
    // The registry is public and shared: the company may be globex's candidate too. Acme's
    // enrichment, contacts, score and rationale are acme's alone.
    const [own] = await queryE2eDatabase<{ known: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM icp_candidate_companies c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'globex' AND c.uen = $1)
           OR EXISTS (SELECT 1 FROM run_companies c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'globex' AND c.uen = $1) AS known`,
      [highCompany.uen],
    );
    const response = await page.goto(`/app/companies/${highCompany.uen}`);
    expect(response?.status()).toBe(own!.known ? 200 : 404);
    await expect(page.getByRole("heading", { name: /^Why (High|Medium|Low)$/ })).toHaveCount(0);
    await expect(page.getByTestId("rationale")).toHaveCount(0);
    if (own!.known) await expect(page.getByText("Not enriched yet.")).toBeVisible();
    const [globex] = await queryE2eDatabase<{ finished: number }>(
      `SELECT count(*)::int AS finished FROM runs r JOIN tenants t ON t.id = r.tenant_id
        WHERE t.slug = 'globex' AND r.status = 'succeeded' AND r.kind <> 're_enrich' AND r.finished_at IS NOT NULL`,
    );
    const csv = await page.request.get("/api/export/latest_scores.csv");
    // Globex's own latest scores when it has a finished run, else "no shortlist": never acme's.
    expect(csv.status()).toBe(globex!.finished > 0 ? 200 : 404);
    expect(await csv.text()).not.toContain(highCompany.uen);
    await page.goto(`/app/shortlist?q=${highCompany.uen}`);
    await expect(page.getByRole("link", { name: highCompany.name })).toHaveCount(0);
    await page.screenshot({ path: "test-results/screenshots/shortlist-other-tenant.png", fullPage: true });
  });
});
