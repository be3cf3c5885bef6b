import pg from "pg";
import { queryE2eDatabase, standInsEnv } from "./support/database";
import { expect, test } from "./support/test";

/**
 * The owner gives a tenant's BI tool its login on the tenant's Analytics
 * tab: the password is shown once, a Postgres client connects with what the
 * page shows and reads the analytics views, and after a revoke it cannot.
 */
async function connectWith(user: string, password: string): Promise<pg.Client> {
  const url = new URL((await standInsEnv()).DATABASE_URL);
  url.username = user;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

test.describe("a tenant's analytics hub", () => {
  test.use({ signedInAs: "owner" });

  test("the owner enables the BI login, a client connects with it, and a revoke shuts it out", async ({ page }) => {
    await page.goto("/admin/tenants?q=globex");
    await page.getByRole("link", { name: "Globex", exact: true }).click();
    await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Analytics" }).click();
    await expect(page.getByRole("heading", { name: "Globex · Analytics" })).toBeVisible();
    await expect(page.getByText("Not enabled: no BI tool can read this workspace's data.")).toBeVisible();

    await page.getByRole("button", { name: "Enable BI login" }).click();
    await expect(page.getByText("Copy the password now")).toBeVisible();
    const password = (await page.getByTestId("analytics-password").locator("p").nth(1).textContent())!.trim();
    const details = page.getByTestId("analytics-connection");
    const user = (await details.locator("dd").nth(3).textContent())!.trim();
    const [stored] = await queryE2eDatabase<{ role_name: string }>(
      "SELECT role_name FROM analytics_roles WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'globex')",
    );
    expect(user).toBe(stored!.role_name);

    const client = await connectWith(user, password);
    const [expected] = await queryE2eDatabase<{ n: number }>(
      "SELECT count(*)::int AS n FROM lake_pipeline_summary WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'globex')",
    );
    expect((await client.query("SELECT count(*)::int AS n FROM pipeline_summary")).rows[0].n).toBe(expected!.n);

    // A reload shows the connection but never the password again.
    await page.reload();
    await expect(details).toContainText(user);
    expect(await page.content()).not.toContain(password);

    await page.getByLabel("Dashboard address").fill("ftp://bi.example.test");
    await page.getByRole("button", { name: "Save address" }).click();
    await expect(page.getByText("Use an http:// or https:// address")).toBeVisible();
    await page.getByLabel("Dashboard address").fill("https://bi.example.test/superset/dashboard/3/");
    await page.getByRole("button", { name: "Save address" }).click();
    await expect(page.getByRole("link", { name: "https://bi.example.test/superset/dashboard/3/" })).toBeVisible();

    await page.getByRole("button", { name: "Revoke access" }).click();
    await expect(page.getByText("Analytics access revoked")).toBeVisible();
    await client.end().catch(() => undefined);
    await expect(connectWith(user, password)).rejects.toThrow();

    // Every tenant's hub in one list: Globex's revoked login, under the name the database holds, with its dashboard.
    await page.getByRole("link", { name: "Every tenant's analytics" }).click();
    await page.getByLabel("Search").fill("globex");
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.getByRole("row", { name: /Globex/ });
    await expect(row).toContainText("revoked");
    await expect(row).toContainText(stored!.role_name);
    await expect(row.getByRole("link", { name: "https://bi.example.test/superset/dashboard/3/" })).toBeVisible();
    await row.getByRole("link", { name: "Globex: Analytics tab" }).click();
    await expect(page.getByRole("heading", { name: "Globex · Analytics" })).toBeVisible();
  });
});
