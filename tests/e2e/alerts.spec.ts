import { randomUUID } from "node:crypto";
import { queryE2eDatabase, standInsEnv } from "./support/database";
import { expect, test } from "./support/test";

/**
 * An operator's alert journey: the platform owner adds a platform-wide email
 * channel, a workspace raises an alert (written as raiseAlert writes it: the
 * row and its delivery job), the mail catcher's inbox receives the email,
 * and on /admin/alerts the owner acknowledges and then resolves it, which the
 * database records with who and when.
 */
test.use({ signedInAs: "owner" });

type CaughtMail = { subject: string; text: string; envelope: { to: string[] } };

async function inbox(address: string): Promise<CaughtMail[]> {
  const response = await fetch(`${(await standInsEnv()).MAIL_CATCHER_URL}/messages?to=${encodeURIComponent(address)}`);
  return (await response.json()) as CaughtMail[];
}

test("an operator is emailed a raised alert, then acknowledges and resolves it on /admin/alerts", async ({ page }) => {
  const tag = randomUUID().slice(0, 8);
  const address = `oncall-${tag}@nexius.test`;
  const message = `Only 40 % of the websites could be crawled (journey ${tag}).`;

  await page.goto("/admin/alerts/channels");
  const form = page.getByRole("form", { name: "Add an email channel" });
  await form.getByLabel("Name").fill(`On-call ${tag}`);
  await form.getByLabel("Recipients").fill(address);
  await form.getByLabel("From severity").selectOption("warning");
  await form.getByLabel("De-duplication window (minutes)").fill("60");
  await form.getByRole("button", { name: "Add email channel" }).click();
  await expect(form.getByRole("status")).toHaveText(`Alerts now reach ${address}.`);
  await expect(page.getByRole("table", { name: "Alert channels" }).getByRole("row", { name: new RegExp(`On-call ${tag}`) })).toContainText(address);

  const [acme] = await queryE2eDatabase<{ id: string }>("SELECT id FROM tenants WHERE slug = 'acme'");
  const [alert] = await queryE2eDatabase<{ id: string }>(
    `INSERT INTO alerts (tenant_id, kind, alert_key, severity, message) VALUES ($1, 'crawl_error_rate', $2, 'warning', $3) RETURNING id`,
    [acme!.id, `crawl_error_rate:${tag}`, message],
  );
  await queryE2eDatabase("SELECT graphile_worker.add_job('deliver_alert', json_build_object('tenantId', $1::text, 'alertId', $2::text), job_key => $3)", [
    acme!.id,
    alert!.id,
    `alert:${alert!.id}:deliver`,
  ]);

  // The channel hears of every workspace's alerts meanwhile: this journey's is the one carrying its tag.
  const ours = async () => (await inbox(address)).filter((m) => m.subject.includes(tag));
  await expect.poll(async () => (await ours()).map((m) => m.subject), { timeout: 30_000 }).toEqual([`[Nexius Leads] WARNING · Acme: ${message}`]);
  const [mail] = await ours();
  expect(mail!.text).toContain("Workspace: Acme (acme)");

  await page.goto("/admin/alerts");
  await page.getByLabel("Workspace").selectOption("acme");
  await page.getByLabel("State").selectOption("open");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/tenant=acme/);
  const row = page.getByRole("row", { name: new RegExp(`journey ${tag}`) });
  await expect(row).toContainText("open");
  await row.getByRole("button", { name: `Acknowledge: ${message}` }).click();
  await expect(page.getByRole("status").first()).toHaveText("Alert acknowledged.");
  // The open filter no longer lists it; all states do, with who acknowledged it.
  await page.goto("/admin/alerts?tenant=acme");
  await expect(row).toContainText("acknowledged");
  await expect(row).toContainText("by owner@nexius.test");
  await page.screenshot({ path: "test-results/screenshots/admin-alerts.png", fullPage: true });

  await row.getByRole("button", { name: `Resolve: ${message}` }).click();
  await expect(page.getByRole("status").first()).toHaveText("Alert resolved.");
  await expect(row).toContainText("resolved");
  await expect(row.getByRole("button")).toHaveCount(0);

  const [stored] = await queryE2eDatabase<{ acknowledged_by: string; resolved_by: string; acknowledged_at: Date; resolved_at: Date }>(
    "SELECT acknowledged_by, acknowledged_at, resolved_by, resolved_at FROM alerts WHERE id = $1",
    [alert!.id],
  );
  expect(stored).toMatchObject({ acknowledged_by: "owner@nexius.test", resolved_by: "owner@nexius.test" });
  expect(stored!.resolved_at.getTime()).toBeGreaterThanOrEqual(stored!.acknowledged_at.getTime());

  await page.goto("/admin/alerts/channels");
  await page.getByRole("button", { name: `Remove On-call ${tag}` }).click();
  await expect(page.getByRole("status").first()).toHaveText("Channel removed.");
});

test.describe("a workspace admin", () => {
  test.use({ signedInAs: "globexAdmin" });

  test("adds a signed webhook in Settings → Alert delivery, sees its secret once, and removes it", async ({ page }) => {
    await page.goto("/app/settings");
    await page.getByRole("link", { name: "Alert delivery" }).click();
    await expect(page.getByRole("heading", { name: "Alert delivery", level: 1 })).toBeVisible();
    const form = page.getByRole("form", { name: "Add a webhook channel" });
    await form.getByLabel("Name").fill("Globex pager");
    await form.getByLabel("Receiver URL").fill("http://hooks.globex.example/nexius");
    await form.getByLabel("From severity").selectOption("critical");
    await form.getByRole("button", { name: "Add webhook channel" }).click();
    // Production sends webhooks over https only.
    await expect(form.getByRole("alert")).toHaveText("A webhook URL must use https.");

    await form.getByLabel("Receiver URL").fill("https://hooks.globex.example/nexius");
    await form.getByRole("button", { name: "Add webhook channel" }).click();
    await expect(form.getByRole("status")).toHaveText("Webhook added. Copy its signing secret now: it is not shown again.");
    const secret = await form.getByLabel("Signing secret").textContent();
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    const [stored] = await queryE2eDatabase<{ secret_cipher: Buffer }>(
      "SELECT e.secret_cipher FROM webhook_endpoints e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = 'globex' AND e.url = $1",
      ["https://hooks.globex.example/nexius"],
    );
    expect(stored!.secret_cipher.toString("latin1")).not.toContain(secret!);

    await page.reload();
    await expect(page.getByLabel("Signing secret")).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Alert channels" })).toContainText("Webhook https://hooks.globex.example/nexius");
    await page.getByRole("button", { name: "Remove Globex pager" }).click();
    await expect(page.getByRole("status").first()).toHaveText("Channel removed.");
    await expect(page.getByText("No channels yet")).toBeVisible();
  });
});
