import { type BrowserContext } from "@playwright/test";
import { queryE2eDatabase } from "./support/database";
import { expect, test } from "./support/test";

/**
 * Plans, quotas and invoices across the three roles that touch them: the
 * owner creates a plan with no manual runs; finance proposes moving Globex
 * onto it; the owner approves; Globex's admin is refused Run now with the
 * plan's message and no run starts. Then the owner drafts Globex's invoice
 * for this month, issues it and marks it paid, and Globex's admin finds it
 * in the portal with its CSV. The invoice's figures are computed here from
 * the plan's price and the calendar, not read from our tables.
 */
const PILOT = { code: `pilot-${Date.now().toString(36)}`, name: "Pilot", monthly: 3_100, runsPerDay: 0 };

/** Singapore's calendar: today, the month, its length and the days left in it (today included). */
function singaporeMonth() {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [year, month, day] = today.split("-").map(Number) as [number, number, number];
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { today, month: today.slice(0, 7), length, left: length - day + 1 };
}

function consoleErrors(context: BrowserContext, expected: RegExp[] = []): string[] {
  const errors: string[] = [];
  context.on("page", (page) => page.on("console", (m) => m.type() === "error" && !expected.some((e) => e.test(m.text())) && errors.push(m.text())));
  return errors;
}

test.describe("plans, quotas and invoices", () => {
  test.use({ signedInAs: "owner" });

  test("changes a plan and sees the quota enforced in the tenant's workspace, then issues an invoice", async ({ page, browser, signedInState }) => {
    test.setTimeout(240_000);
    const [globex] = await queryE2eDatabase<{ id: string; plan: string }>("SELECT id, plan FROM tenants WHERE slug = 'globex'");
    try {
      // The owner creates a plan: nightly runs only, no manual ones.
      await page.goto("/admin/billing");
      const editor = page.getByRole("region", { name: "New plan" });
      await editor.getByLabel("Code").fill(PILOT.code);
      await editor.getByLabel("Name").fill(PILOT.name);
      await editor.getByLabel("Monthly price (SGD)").fill("abc");
      await editor.getByLabel("Price per company (SGD)").fill("0");
      await editor.getByLabel("Manual runs per day").fill(String(PILOT.runsPerDay));
      await editor.getByRole("button", { name: "Save plan" }).click();
      await expect(page.getByText("Check the plan's fields.")).toBeVisible();
      await expect(editor.getByText("An amount like 490 or 0.15")).toBeVisible();
      await editor.getByLabel("Code").fill(PILOT.code);
      await editor.getByLabel("Name").fill(PILOT.name);
      await editor.getByLabel("Monthly price (SGD)").fill(PILOT.monthly.toFixed(2));
      await editor.getByLabel("Price per company (SGD)").fill("0");
      await editor.getByLabel("Manual runs per day").fill(String(PILOT.runsPerDay));
      await editor.getByRole("button", { name: "Save plan" }).click();
      await expect(page.getByText(`Plan ${PILOT.name} saved: its prices and quotas apply from now.`)).toBeVisible();
      await expect(page.getByRole("table", { name: "Plans, prices and quotas" }).getByRole("row", { name: new RegExp(PILOT.name) })).toContainText(
        "SGD 3,100.00",
      );

      // Finance proposes moving Globex onto it.
      const financeContext = await browser.newContext({ storageState: await signedInState("finance") });
      const financeErrors = consoleErrors(financeContext);
      const finance = await financeContext.newPage();
      await finance.goto("/admin");
      await expect(finance).toHaveURL(/\/admin\/billing$/);
      await finance
        .getByRole("table", { name: /Plans of \d+ tenants/ })
        .getByRole("link", { name: "Globex" })
        .click();
      await expect(finance.getByRole("heading", { name: "Billing · Globex", level: 1 })).toBeVisible();
      await finance.getByLabel("New plan").selectOption(PILOT.code);
      await finance.getByLabel("Reason").fill("Pilot of the nightly engine only");
      await expect(finance.getByRole("button", { name: "Change plan now" })).toHaveCount(0);
      await finance.getByRole("button", { name: "Propose change" }).click();
      await expect(finance.getByText("Plan change proposed: a platform owner approves it.")).toBeVisible();
      await financeContext.close();
      expect(financeErrors).toEqual([]);

      // The owner approves it on the overview.
      await page.goto("/admin/billing");
      await page.getByRole("button", { name: `Approve ${globex!.plan} → ${PILOT.code} for Globex` }).click();
      await expect(page.getByText("Plan change approved: the workspace is on its new plan.")).toBeVisible();
      const [moved] = await queryE2eDatabase<{ plan: string }>("SELECT plan FROM tenants WHERE id = $1", [globex!.id]);
      expect(moved!.plan).toBe(PILOT.code);

      // Globex's admin: Run now is refused with the plan's reason, and no run starts.
      const adminContext = await browser.newContext({ storageState: await signedInState("globexAdmin") });
      const adminErrors = consoleErrors(adminContext, [/^Failed to load resource: the server responded with a status of 402/]);
      const admin = await adminContext.newPage();
      const runsBefore = await queryE2eDatabase<{ n: number }>("SELECT count(*)::int AS n FROM runs WHERE tenant_id = $1", [globex!.id]);
      const [usedToday] = await queryE2eDatabase<{ n: number }>(
        "SELECT count(*)::int AS n FROM runs WHERE tenant_id = $1 AND kind = 'manual' AND run_date = $2::date",
        [globex!.id, singaporeMonth().today],
      );
      await admin.goto("/app");
      await admin.getByRole("button", { name: "Run now" }).click();
      await expect(admin.getByText(`The ${PILOT.name} plan allows 0 manual runs per day (${usedToday!.n} used today).`, { exact: false })).toBeVisible();
      const runsAfter = await queryE2eDatabase<{ n: number }>("SELECT count(*)::int AS n FROM runs WHERE tenant_id = $1", [globex!.id]);
      expect(runsAfter[0]!.n).toBe(runsBefore[0]!.n);

      // The owner drafts this month's invoice, issues it and records the payment.
      const { month, length, left } = singaporeMonth();
      const [{ since }] = (await queryE2eDatabase<{ since: string }>(
        "SELECT to_char(created_at AT TIME ZONE 'Asia/Singapore', 'YYYY-MM-DD') AS since FROM tenants WHERE id = $1",
        [globex!.id],
      )) as [{ since: string }];
      const [{ price: oldPrice }] = (await queryE2eDatabase<{ price: number }>("SELECT monthly_price_cents AS price FROM plans WHERE code = $1", [
        globex!.plan,
      ])) as [{ price: number }];
      const oldDays = length - left - (since.startsWith(month) ? Number(since.slice(8, 10)) - 1 : 0);
      const subtotal = Math.round((PILOT.monthly * 100 * left) / length) + (oldDays > 0 ? Math.round((oldPrice * oldDays) / length) : 0);
      const total = subtotal + Math.round((subtotal * 900) / 10_000);
      const money = (cents: number) => `SGD ${(cents / 100).toLocaleString("en-SG", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

      await page.goto(`/admin/billing/tenants/${globex!.id}`);
      await page.getByLabel("Month").fill(month);
      await page.getByRole("button", { name: "Draft invoice" }).click();
      await expect(page.getByText(`Draft for ${month} computed: ${money(total)} including GST.`)).toBeVisible();
      await page
        .getByRole("table", { name: "Invoices of Globex" })
        .getByRole("link", { name: /^Draft for / })
        .click();
      const invoice = page.getByRole("article", { name: "Invoice" });
      const stretch = left === length ? "" : `.*\\(${left} of ${length} days\\)`;
      await expect(invoice.getByRole("row", { name: new RegExp(`${PILOT.name} plan, ${stretch}`) })).toBeVisible();
      await expect(invoice.getByRole("row", { name: /^Total/ })).toContainText(money(total));
      await page.getByRole("button", { name: "Issue invoice" }).click();
      const heading = page.getByRole("heading", { level: 1 });
      await expect(heading).toHaveText(/^INV-\d{4}-\d{5}$/);
      const number = (await heading.textContent())!;
      await page.getByLabel("Payment reference").fill("PAYNOW-E2E-1");
      await page.getByRole("button", { name: "Mark paid" }).click();
      await expect(invoice).toContainText("Paid");
      await expect(invoice).toContainText("reference PAYNOW-E2E-1");

      // Globex's admin finds it in the portal, with the same total, and downloads the CSV.
      await admin.goto("/app/portal/billing");
      await admin.getByRole("link", { name: number }).click();
      await expect(admin.getByRole("article", { name: "Invoice" }).getByRole("row", { name: /^Total/ })).toContainText(money(total));
      const download = admin.waitForEvent("download");
      await admin.getByRole("link", { name: "Download CSV" }).click();
      const csv = await (await download).createReadStream().then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
      });
      expect(csv.split("\r\n").at(-2)).toBe(
        `"${number}","paid","globex","${month}-01","${month}-${length}","","total","Total","","","${(total / 100).toFixed(2)}","SGD"`,
      );
      await adminContext.close();
      expect(adminErrors).toEqual([]);
    } finally {
      // Back on its plan for the other journeys; the paid invoice stays, as the law keeps it.
      await queryE2eDatabase("UPDATE tenants SET plan = $2 WHERE id = $1", [globex!.id, globex!.plan]);
      await queryE2eDatabase("UPDATE plans SET active = false WHERE code = $1", [PILOT.code]);
    }
  });
});
