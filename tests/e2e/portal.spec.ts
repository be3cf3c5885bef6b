import { randomUUID } from "node:crypto";
import { type Browser, type BrowserContext, type BrowserContextOptions } from "@playwright/test";
import { parseKeyRing, seal } from "../../app/crypto/secret-box.server";
import { queryE2eDatabase, standInsEnv } from "./support/database";
import { odooSession } from "./support/odoo-rpc";
import { expect, test, type DemoUser, type Page } from "./support/test";

/**
 * The tenant portal: Globex's admin opens it from the workspace's navigation,
 * sees the plan (checked against the platform's database) and the modules
 * installed on Globex's Odoo (checked over JSON-RPC against the simulator),
 * changes the role mapping of the workspace's own identity provider (the
 * issuer and the sealed secret stay as the platform set them), and files a
 * support request with the keyboard; the owner answers and resolves it in
 * the operators' queue; the admin reads the reply. A Globex member who is not
 * an admin gets the portal's 403 page.
 */
const SECRET = "globex-portal-client-secret";

/**
 * Globex's own provider as a platform owner registers it, unless an earlier
 * journey already did; `restore` puts back what was there (the SSO journey
 * sets Globex's provider up from nothing).
 */
async function ensureGlobexProvider(): Promise<{ issuer: string; tenantId: string; restore: () => Promise<unknown> }> {
  const [tenant] = await queryE2eDatabase<{ id: string }>("SELECT id FROM tenants WHERE slug = 'globex'");
  const [existing] = await queryE2eDatabase<{ issuer: string; role_mapping: unknown }>(
    "SELECT issuer, role_mapping FROM tenant_identity_providers WHERE tenant_id = $1",
    [tenant!.id],
  );
  if (existing) {
    const restore = () =>
      queryE2eDatabase("UPDATE tenant_identity_providers SET role_mapping = $2 WHERE tenant_id = $1", [tenant!.id, JSON.stringify(existing.role_mapping)]);
    return { issuer: existing.issuer, tenantId: tenant!.id, restore };
  }
  const id = randomUUID();
  const sealed = seal(parseKeyRing((await standInsEnv()).SECRET_KEYS), SECRET, `tenant-idp-secret:${id}`);
  const issuer = "https://login.globex-corp.test/realms/globex";
  await queryE2eDatabase(
    `INSERT INTO tenant_identity_providers (id, tenant_id, kind, issuer, client_id, client_secret_cipher, client_secret_key_id, email_domains, roles_claim, role_mapping, enabled)
     VALUES ($1, $2, 'oidc', $3, 'globex-portal', $4, $5, ARRAY['globex-corp.test'], 'roles', '{"Globex.Admin": "admin"}', false)`,
    [id, tenant!.id, issuer, sealed.cipher, sealed.keyId],
  );
  return { issuer, tenantId: tenant!.id, restore: () => queryE2eDatabase("DELETE FROM tenant_identity_providers WHERE id = $1", [id]) };
}

type SignedInState = (user: DemoUser) => Promise<Exclude<BrowserContextOptions["storageState"], string | undefined>>;

/** Console errors of a context the fixture does not watch (a second user's), except the ones a journey provokes. */
function consoleErrors(context: BrowserContext, expected: RegExp[] = []): string[] {
  const errors: string[] = [];
  context.on("page", (page) => page.on("console", (m) => m.type() === "error" && !expected.some((e) => e.test(m.text())) && errors.push(m.text())));
  return errors;
}

test.describe("the tenant portal", () => {
  test.use({ signedInAs: "globexAdmin" });

  test("a tenant admin sees plan and modules, changes SSO, files a request the owner resolves; a non-admin gets 403", async ({
    page,
    browser,
    signedInState,
  }) => {
    test.setTimeout(180_000);
    const { issuer, tenantId, restore } = await ensureGlobexProvider();
    try {
      await portalJourney(page, browser, signedInState, issuer, tenantId);
    } finally {
      await restore();
    }
  });
});

async function portalJourney(page: Page, browser: Browser, signedInState: SignedInState, issuer: string, tenantId: string) {
  // Overview, from the workspace's navigation.
  await page.goto("/app");
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Portal" }).click();
  await expect(page.getByRole("heading", { name: "Tenant portal", level: 1 })).toBeVisible();
  const [plan] = await queryE2eDatabase<{ name: string | null; code: string }>(
    "SELECT p.name, t.plan AS code FROM tenants t LEFT JOIN plans p ON p.code = t.plan WHERE t.slug = 'globex'",
  );
  await expect(page.getByTestId("portal-plan")).toHaveText(plan!.name ?? plan!.code);
  const tabs = page.getByRole("navigation", { name: "Portal sections" });
  await expect(tabs.getByRole("link")).toHaveText(["Overview", "Billing", "Modules", "SSO", "Support"]);
  const [limits] = await queryE2eDatabase<{ runs_per_day: number | null }>(
    "SELECT p.runs_per_day FROM tenants t JOIN plans p ON p.code = t.plan WHERE t.slug = 'globex'",
  );
  await expect(
    page
      .getByRole("definition")
      .filter({ hasText: limits!.runs_per_day === null ? "unlimited" : String(limits!.runs_per_day) })
      .first(),
  ).toBeVisible();

  // Modules: what Globex's Odoo has installed, as the simulator answers over JSON-RPC.
  await tabs.getByRole("link", { name: "Modules" }).click();
  const odoo = await odooSession("globex");
  const installed = (await odoo.searchRead<{ name: string }>("ir.module.module", [["state", "=", "installed"]], ["name"])).map((m) => m.name).sort();
  expect(installed.length).toBeGreaterThan(2);
  const table = page.getByRole("table", { name: "Installed modules" });
  await expect(table).toBeVisible();
  expect((await table.locator("tbody tr > :first-child").allTextContents()).sort()).toEqual(installed);

  // SSO: the role mapping is the admin's to change; the platform's part is shown, the secret never.
  const [sealedBefore] = await queryE2eDatabase<{ cipher: Buffer; key_id: string }>(
    "SELECT client_secret_cipher AS cipher, client_secret_key_id AS key_id FROM tenant_identity_providers WHERE tenant_id = $1",
    [tenantId],
  );
  await tabs.getByRole("link", { name: "SSO" }).click();
  const sso = page.getByRole("form", { name: "Your members' sign-in" });
  const mapping = sso.getByLabel("Role mapping");
  const before = await mapping.inputValue();
  await mapping.fill(`${before}\nGlobex.Readers = viewer`);
  await sso.getByRole("button", { name: "Save sign-in settings" }).click();
  await expect(page.getByText("Saved. Your members' next sign-in uses these settings.")).toBeVisible();
  await expect(page.getByText(issuer)).toBeVisible();
  expect(await page.content()).not.toContain(SECRET);
  const [provider] = await queryE2eDatabase<{ id: string; issuer: string; role_mapping: Record<string, string>; cipher: Buffer; key_id: string }>(
    "SELECT id, issuer, role_mapping, client_secret_cipher AS cipher, client_secret_key_id AS key_id FROM tenant_identity_providers WHERE tenant_id = $1",
    [tenantId],
  );
  expect(provider!.role_mapping).toMatchObject({ "Globex.Readers": "viewer" });
  expect(provider!.issuer).toBe(issuer);
  // The sealed secret is the platform's: byte for byte what it was before the admin saved.
  expect(provider!.cipher.equals(sealedBefore!.cipher)).toBe(true);
  expect(provider!.key_id).toBe(sealedBefore!.key_id);

  // Support: an empty form is refused with reasons; then a request is filed with the keyboard.
  await tabs.getByRole("link", { name: "Support" }).click();
  const form = page.getByRole("form", { name: "New support request" });
  await form.getByRole("button", { name: "File request" }).click();
  await expect(form.getByText("Write the subject")).toBeVisible();
  const subject = `Invoices module missing ${Date.now().toString(36)}`;
  await form.getByLabel("Subject").fill(subject);
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowUp"); // Category: from "Something else" to "Data and runs"
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowDown"); // Severity: from normal to high
  await page.keyboard.press("Tab");
  await page.keyboard.type("Since this morning the invoices menu is gone from our Odoo.");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Filed. The platform's operators answer here")).toBeVisible();
  const mine = page.getByRole("article", { name: subject });
  await expect(mine).toContainText("open");
  await expect(mine).toContainText("high");
  await expect(mine).toContainText("Data and runs");

  // The owner answers it in the operators' queue.
  const ownerContext = await browser.newContext({ storageState: await signedInState("owner") });
  const ownerErrors = consoleErrors(ownerContext);
  const owner = await ownerContext.newPage();
  await owner.goto("/admin/support-requests?status=open");
  const request = owner.getByRole("article", { name: subject });
  await expect(request).toBeVisible();
  await request.getByLabel("New status").selectOption("resolved");
  await request.getByLabel("Reply to the tenant").fill("The invoicing module is back; reload Odoo.");
  await request.getByRole("button", { name: "Update request" }).click();
  await expect(owner.getByText("The request is resolved now.")).toBeVisible();
  await owner.goto(`/admin/tenants/${tenantId}`);
  await expect(owner.getByRole("region", { name: "Support requests" }).getByRole("article", { name: subject })).toContainText("resolved");
  await ownerContext.close();
  expect(ownerErrors).toEqual([]);

  // The admin reads the reply.
  await page.reload();
  await expect(mine).toContainText("resolved");
  await expect(mine.getByTestId("support-reply")).toHaveText("The invoicing module is back; reload Odoo.");

  // A Globex member who is not an admin: no Portal link, and a 403 page that says why.
  const memberContext = await browser.newContext({ storageState: await signedInState("globexManager") });
  const memberErrors = consoleErrors(memberContext, [/^Failed to load resource: the server responded with a status of 403/]);
  const member = await memberContext.newPage();
  await member.goto("/app");
  await expect(member.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Dashboard" })).toBeVisible();
  await expect(member.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Portal" })).toHaveCount(0);
  const response = await member.goto("/app/portal/support");
  expect(response?.status()).toBe(403);
  await expect(member.getByRole("heading", { name: "The tenant portal is for your workspace's admins" })).toBeVisible();
  await memberContext.close();
  expect(memberErrors).toEqual([]);
}
