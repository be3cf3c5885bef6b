import { startEntraSimulator, type EntraSim } from "../sims/entra/server";
import { queryE2eDatabase } from "./support/database";
import { expect, test } from "./support/test";

/**
 * A workspace's own Microsoft Entra ID: the owner sets the provider up on
 * the tenant's SSO tab (its secret write-only) and checks it with a test
 * login. The simulator runs in the test process and the owner types its
 * address as the login host, as one would a national cloud's; the platform
 * runs its production build, which connects to a tenant's provider only at a
 * public address, so the test login and a member's sign-in by work email say
 * the address is not allowed, and the provider is never asked. The sign-in
 * itself through the simulator is tests/identity/tenant-sso.test.ts's.
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

  test("the owner configures it; a provider on this machine is refused in production, to the owner's test login and to a member", async ({ page, browser }) => {
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

    // The server is in production mode, where a provider on this machine's loopback is no address to connect to:
    // the test login says so and nothing reaches the provider (tests/identity/tenant-sso.test.ts signs in through it).
    await page.getByRole("button", { name: "Test login" }).click();
    await expect(page.getByText(`${entra.url}/${TID}/v2.0/.well-known/openid-configuration is not an address Nexius connects to`)).toBeVisible();
    expect(entra.authorizeRequests).toHaveLength(0);

    const member = await browser.newPage({ storageState: { cookies: [], origins: [] } });
    await member.goto("/auth/sso");
    await member.getByLabel("Work email or workspace").fill("erin@globex-entra.test");
    await member.getByRole("button", { name: "Continue" }).click();
    await expect(member.getByText(/is not an address Nexius connects to: a sign-in service needs a public https address/)).toBeVisible();
    expect(entra.authorizeRequests).toHaveLength(0);
    const [users] = await queryE2eDatabase<{ count: string }>("SELECT count(*) FROM users WHERE email = 'erin@globex-entra.test'");
    expect(users!.count).toBe("0");
    await member.close();
  });
});
