import { startEntraSimulator, type EntraSim } from "../sims/entra/server";
import { queryE2eDatabase } from "./support/database";
import { expect, test } from "./support/test";

/**
 * A workspace signs in through its own Microsoft Entra ID: the owner sets
 * the provider up on the tenant's SSO tab and checks it with a test login,
 * then a member types their work email on the sign-in page, signs in at the
 * Entra-style provider and lands in that workspace with the role its app
 * role maps to. The simulator runs in the test process; the owner types its
 * address as the login host, as one would a national cloud's.
 */
const TID = "4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a";
const APP = { clientId: "globex-nexius-e2e", clientSecret: "globex-entra-secret" };
let entra: EntraSim;

test.beforeAll(async ({}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  entra = await startEntraSimulator({
    apps: [{ ...APP, redirectUris: [`${baseURL}/auth/sso/callback`] }],
    directories: [{ tid: TID, domains: ["globex-entra.test"], users: [{ username: "erin@globex-entra.test", name: "Erin Entra", roles: ["Sales.Ops"] }] }],
  });
});

test.afterAll(async () => {
  await entra?.close();
});

test.describe("a tenant's own Entra ID", () => {
  test.use({ signedInAs: "owner" });

  test("the owner configures it, a test login shows the mapped claims, and a member signs in by work email into the right workspace", async ({
    page,
    browser,
  }) => {
    await page.goto("/admin/tenants?q=globex");
    await page.getByRole("link", { name: "Globex", exact: true }).click();
    await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "SSO" }).click();
    await expect(page.getByRole("heading", { name: "Globex · SSO" })).toBeVisible();

    const form = page.getByRole("form", { name: "Identity provider" });
    await expect(form.getByLabel("Kind")).toHaveValue("entra");
    await form.getByLabel("Directory (tenant) id").fill(TID);
    await form.getByLabel("Login host").fill(entra.url);
    await form.getByLabel("Client id").fill(APP.clientId);
    await form.getByLabel("Client secret").fill(APP.clientSecret);
    await form.getByLabel("Email domains").fill("globex-entra.test");
    await form.getByLabel("Role mapping").fill("Sales.Admin = admin\nSales.Ops = ops");
    await form.getByRole("button", { name: "Save provider" }).click();
    await expect(page.getByText("Saved. Run a test login to check it.")).toBeVisible();
    // The secret is write-only: the page never shows it again.
    await expect(form.getByLabel("Client secret")).toHaveValue("");
    expect(await page.content()).not.toContain(APP.clientSecret);

    await page.getByRole("button", { name: "Test login" }).click();
    await page.getByLabel("Email, phone, or Skype").fill("erin@globex-entra.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Test login" })).toBeVisible();
    await expect(page.getByTestId("test-login-tenant")).toHaveText("Globex (globex)");
    await expect(page.getByTestId("test-login-roles")).toHaveText("ops");
    await expect(page.getByRole("row", { name: /^tid/ })).toContainText(TID);
    await page.screenshot({ path: "test-results/screenshots/tenant-sso-test-login.png", fullPage: true });
    const [before] = await queryE2eDatabase<{ count: string }>("SELECT count(*) FROM users WHERE email = 'erin@globex-entra.test'");
    expect(before!.count).toBe("0");

    const member = await browser.newPage({ storageState: { cookies: [], origins: [] } });
    await member.goto("/auth/sso");
    await member.getByLabel("Work email or workspace").fill("erin@globex-entra.test");
    await member.getByRole("button", { name: "Continue" }).click();
    await expect(member.getByLabel("Email, phone, or Skype")).toHaveValue("erin@globex-entra.test");
    await member.getByRole("button", { name: "Sign in" }).click();
    await member.waitForURL((url) => url.pathname.startsWith("/app") && !url.pathname.startsWith("/app/setup"), { timeout: 30_000 });
    await expect(member.getByTestId("header-email")).toHaveText("erin@globex-entra.test");
    await expect(member.getByTestId("header-tenant")).toHaveText("Globex · ops");

    const [joined] = await queryE2eDatabase<{ slug: string; roles: string[]; sub: string }>(
      `SELECT t.slug, tu.roles, u.sub FROM tenant_users tu JOIN users u ON u.id = tu.user_id JOIN tenants t ON t.id = tu.tenant_id WHERE u.email = 'erin@globex-entra.test'`,
    );
    expect(joined).toMatchObject({ slug: "globex", roles: ["ops"], sub: expect.stringMatching(new RegExp(`^entra\\|${TID}\\|`)) });
    await member.close();
  });
});
