import { queryE2eDatabase } from "./support/database";
import { expect, test, type Page } from "./support/test";

/**
 * The Data page in a real browser: an admin presses "Sync now" for Odoo and
 * watches the sync appear and come to its end, the page showing what the
 * database holds for it (its status, its error when it failed); a viewer
 * sees the sources, runs and entities without the buttons.
 */
type StoredRun = { id: string; status: string; error: string | null };

async function latestOdooRun(slug: string): Promise<StoredRun | undefined> {
  const [run] = await queryE2eDatabase<StoredRun>(
    `SELECT r.id, r.status, r.error FROM lake_sync_runs r JOIN tenants t ON t.id = r.tenant_id
      WHERE t.slug = $1 AND r.source = 'odoo' ORDER BY r.created_at DESC LIMIT 1`,
    [slug],
  );
  return run;
}

/** The newest Odoo run once it has ended, or as it stands after `ms` (a source that keeps failing waits queued between retries). */
async function runOnceSettled(slug: string, ms: number): Promise<StoredRun> {
  const deadline = Date.now() + ms;
  for (;;) {
    const run = (await latestOdooRun(slug))!;
    if (!["queued", "running"].includes(run.status) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function storedAccounts(slug: string): Promise<number> {
  const [row] = await queryE2eDatabase<{ accounts: number }>(
    `SELECT count(*)::int AS accounts FROM lake_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = $1 AND a.deleted_at IS NULL`,
    [slug],
  );
  return row!.accounts;
}

/** The entity browser shows the accounts the lake holds, or says it has none. */
async function expectAccounts(page: Page, slug: string) {
  const entities = page.getByRole("region", { name: "Canonical entities" });
  await expect(entities.getByRole("link", { name: "accounts" })).toHaveAttribute("aria-current", "page");
  if ((await storedAccounts(slug)) > 0) await expect(entities.getByRole("table", { name: "Canonical accounts" })).toBeVisible();
  else await expect(entities).toContainText("No accounts in the lake yet.");
}

test.describe("admin", () => {
  test.use({ signedInAs: "globexAdmin" });

  test("an admin presses Sync now and watches the Odoo sync to the status the database records", async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    const [connection] = await queryE2eDatabase<{ n: number }>(
      "SELECT count(*)::int AS n FROM odoo_connections c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'globex'",
    );
    expect(connection!.n, "globex's set-up gave it an Odoo connection").toBe(1);

    await page.goto("/app");
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Data" }).click();
    await expect(page.getByRole("heading", { name: "Data", level: 1 })).toBeVisible();
    const odoo = page.getByRole("region", { name: "Odoo" });
    await expect(odoo).not.toContainText("no Odoo connection");
    // The platform's stand-ins connect each demo workspace to its directory in the Graph simulator.
    const [m365] = await queryE2eDatabase<{ n: number }>(
      "SELECT count(*)::int AS n FROM lake_sources s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'globex' AND s.source = 'm365' AND s.directory_id IS NOT NULL",
    );
    expect(m365!.n, "globex's Microsoft 365 directory is connected").toBe(1);
    const microsoft = page.getByRole("region", { name: "Microsoft 365" });
    await expect(microsoft).not.toContainText("not connected");
    await expect(microsoft.getByRole("button", { name: "Sync now" })).toBeVisible();
    await expectAccounts(page, "globex");

    await odoo.getByRole("button", { name: "Sync now" }).click();
    // A sync the scheduler queued first is the one shown; otherwise ours is queued.
    await expect(page.getByRole("status").filter({ hasText: /Sync of Odoo queued|already in progress/ })).toBeVisible();
    const run = await latestOdooRun("globex");
    expect(run?.id, "the sync run the button queued, or the one already active").toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const runs = page.getByRole("table", { name: "Sync runs, newest first" });
    const newest = runs.getByRole("row").nth(1);
    await expect(newest).toContainText("Odoo");
    await page.screenshot({ path: "test-results/screenshots/data-sync-started.png", fullPage: true });

    // The page polls while the sync is queued or running; it then shows whatever the run came to.
    const stored = await runOnceSettled("globex", 90_000);
    expect(stored.id).toBe(run!.id);
    await expect(newest.getByTestId("run-status")).toHaveText(stored.status, { timeout: 15_000 });
    if (stored.status === "queued" || stored.status === "running") {
      await expect(odoo.getByTestId("sync-progress-odoo")).toContainText(stored.status);
    } else {
      await expect(odoo.getByTestId("sync-progress-odoo")).toHaveCount(0);
      await expect(odoo).toContainText(`Last sync: ${stored.status}`);
    }
    if (stored.error) {
      await newest.locator("summary").click();
      await expect(newest.getByTestId("run-error")).toHaveText(stored.error);
    }
    await page.screenshot({ path: "test-results/screenshots/data-sync-ended.png", fullPage: true });
  });
});

test.describe("viewer", () => {
  test.use({ signedInAs: "viewer" });

  test("a viewer sees the sources, runs and entities without the sync buttons", async ({ page }) => {
    await page.goto("/app/data");
    await expect(page.getByRole("heading", { name: "Data", level: 1 })).toBeVisible();
    for (const name of ["Odoo", "Microsoft 365"]) await expect(page.getByRole("region", { name })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sync now" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Full reconcile" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Sync runs" })).toBeVisible();
    await expectAccounts(page, "acme");

    const entities = page.getByRole("region", { name: "Canonical entities" });
    await entities.getByRole("link", { name: "contacts" }).click();
    await expect(entities.getByRole("link", { name: "contacts" })).toHaveAttribute("aria-current", "page");
    await entities.getByRole("searchbox", { name: "Search contacts" }).fill("no such contact anywhere");
    await entities.getByRole("button", { name: "Search" }).click();
    await expect(entities).toContainText("No contacts match “no such contact anywhere”.");
  });
});
