import { readFile } from "node:fs/promises";
import { type APIRequestContext } from "@playwright/test";
import { normalizeLinkedinUrl } from "../../app/settings/suppression";
import { tarTextFiles } from "../support/tar-files";
import { adminToken } from "./support/crm";
import { queryE2eDatabase } from "./support/database";
import { odooSession, type OdooSession } from "./support/odoo-rpc";
import { expect, test, type Page } from "./support/test";

/**
 * A data-subject request, end to end, on globex: a run finds contacts and
 * pushes them to Odoo; the admin finds one of them from Settings → Data-subject
 * requests, downloads the archive (and finds the person in it), erases them
 * and follows the job to its receipt. Odoo itself (read over JSON-RPC, not our
 * tables) then holds the partner archived and anonymised and the address on
 * mail.blacklist; the address and profile are suppressed; and the company's
 * next run (a forced re-crawl) collects neither the person nor the address,
 * and pushes nobody new to Odoo.
 */
test.use({ signedInAs: "globexAdmin" });

type Person = { email: string; name: string; uen: string; linkedin: string };
type Partner = { id: number; name: string | false; email: string | false; phone: string | false; active: boolean };

async function runState(runId: string): Promise<{ status: string; pushed: boolean }> {
  const [row] = await queryE2eDatabase<{ status: string; pushed: boolean }>(
    `SELECT r.status,
            (COALESCE((r.metrics->>'companies')::int, 0) = 0 OR EXISTS (
               SELECT 1 FROM run_event_logs e WHERE e.tenant_id = r.tenant_id AND e.run_id = r.id AND e.stage = 'odoo_push' AND e.event = 'finished')) AS pushed
       FROM runs r WHERE r.id = $1`,
    [runId],
  );
  return row ?? { status: "missing", pushed: false };
}

async function waitForRun(runId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const state = await runState(runId);
        return state.status === "succeeded" && state.pushed ? "done" : state.status;
      },
      { timeout: 9 * 60_000, intervals: [3000] },
    )
    .toBe("done");
}

/** A finished run of globex with its push to Odoo, started through the API (or the one already under way). */
async function runAndPush(request: APIRequestContext, headers: Record<string, string>): Promise<void> {
  for (;;) {
    const response = await request.post("/api/runs", { headers, data: { limit: 12 } });
    const body = (await response.json()) as { run_id: string };
    expect([202, 409], JSON.stringify(body)).toContain(response.status());
    await waitForRun(body.run_id);
    if (response.status() === 202) return;
  }
}

/** A contact of globex with an address that the push put into Odoo as a partner. */
async function pushedPerson(odoo: OdooSession): Promise<{ person: Person; partners: Partner[] }> {
  const people = await queryE2eDatabase<Person>(
    `SELECT e.email, c.full_name AS name, c.uen, c.linkedin_url AS linkedin
       FROM lead_emails e JOIN lead_contacts c ON c.tenant_id = e.tenant_id AND c.id = e.contact_id
       JOIN tenants t ON t.id = e.tenant_id
      WHERE t.slug = 'globex' AND e.verification_status IN ('verified', 'catch_all')
      ORDER BY e.verification_status DESC, e.email`,
  );
  for (const person of people) {
    const partners = await odoo.searchRead<Partner>("res.partner", [["email", "=ilike", person.email]], ["name", "email", "phone", "active"]);
    if (partners.some((p) => p.active)) return { person, partners };
  }
  throw new Error(`None of globex's ${people.length} contacts with an address is a partner in its Odoo`);
}

async function download(page: Page, link: string): Promise<string> {
  const waiting = page.waitForEvent("download");
  await page.getByRole("link", { name: link }).click();
  return (await (await waiting).path())!;
}

test("an admin finds a contact, exports and erases their data, and the next run does not collect them again", async ({ page, playwright, baseURL }) => {
  test.setTimeout(25 * 60_000);
  const headers = { authorization: `Bearer ${await adminToken("globex")}` };
  // The API with the admin's token only: a request with the page's session cookie would be a cross-site one.
  await using api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  await runAndPush(api, headers);
  const odoo = await odooSession("globex");
  const { person, partners } = await pushedPerson(odoo);

  // Find the person from Settings, with the keyboard.
  await page.goto("/app/settings");
  await page.getByRole("link", { name: "Data-subject requests" }).click();
  await expect(page.getByRole("heading", { name: "Data-subject requests", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Recent erasures" })).toContainText("No erasure has been requested yet.");
  const field = page.getByLabel("Email, full name or LinkedIn URL");
  await field.focus();
  await page.keyboard.type("Jane");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Enter the person's full name (first and last name)")).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await field.fill(person.email.toUpperCase());
  await page.keyboard.press("Enter");
  const found = page.getByRole("region", { name: `What the workspace holds about ${person.email.toUpperCase()}` });
  await expect(found).toBeVisible();
  await expect(found.getByRole("table", { name: "Contacts", exact: true })).toContainText(person.name);
  await expect(found.getByRole("table", { name: "Email addresses" })).toContainText(person.email);
  await expect(found.getByRole("table", { name: "Odoo partners" })).toContainText(person.email);
  await page.screenshot({ path: "test-results/screenshots/privacy-found.png", fullPage: true });

  // The access request: the archive holds the person, as JSON and as CSV.
  const files = await tarTextFiles(await readFile(await download(page, "Download archive (JSON + CSV)")));
  expect(Object.keys(files)).toEqual(expect.arrayContaining(["subject.json", "contacts.csv", "emails.csv", "odoo_partners.csv"]));
  const subject = JSON.parse(files["subject.json"]!) as { tenant: string; contacts: Array<{ fullName: string }>; emails: Array<{ email: string }> };
  expect(subject.tenant).toBe("globex");
  expect(subject.contacts.map((c) => c.fullName)).toContain(person.name);
  expect(subject.emails.map((e) => e.email)).toContain(person.email);
  expect(files["emails.csv"]).toContain(`"${person.email}"`);
  expect(files["odoo_partners.csv"]).toContain(`"${person.email}"`);

  // The deletion request, followed to its receipt.
  await page.getByRole("checkbox", { name: /I confirm this deletion request/ }).check();
  await page.getByRole("button", { name: "Erase this person's data" }).click();
  const erasure = page.getByRole("region", { name: `Erasure of ${person.email}` });
  await expect(erasure).toBeVisible();
  await expect(erasure.getByText("succeeded")).toBeVisible({ timeout: 120_000 });
  await expect(erasure.getByRole("progressbar", { name: "Erasure progress" })).toHaveAttribute("aria-valuenow", "4");
  await expect(page.getByText(/^On the suppression list/)).toContainText(person.email);
  await page.screenshot({ path: "test-results/screenshots/privacy-erased.png", fullPage: true });
  const receipt = JSON.parse(await readFile(await download(page, "Download the receipt"), "utf8")) as {
    subject: string;
    requestedBy: string;
    found: Record<string, number>;
    erased: Record<string, number>;
    suppressed: string[];
  };
  expect(receipt).toMatchObject({ subject: person.email, requestedBy: "admin@globex.test", suppressed: expect.arrayContaining([person.email]) });
  expect(receipt.found.contacts).toBeGreaterThan(0);
  expect(receipt.erased.odooPartners).toBeGreaterThanOrEqual(partners.length);

  // Odoo itself: the partner archived and anonymised, the address on mail.blacklist.
  const after = await odoo.searchRead<Partner>("res.partner", [["id", "in", partners.map((p) => p.id)]], ["name", "email", "phone", "active"]);
  expect(after.map((p) => [p.name, p.email, p.phone, p.active])).toEqual(partners.map(() => ["Erased contact", false, false, false]));
  const blacklist = await odoo.searchRead<{ email: string; active: boolean }>("mail.blacklist", [["email", "=", person.email]], ["email", "active"]);
  expect(blacklist.map((b) => [b.email, b.active])).toEqual([[person.email, true]]);
  const suppressed = await queryE2eDatabase<{ kind: string }>(
    `SELECT s.kind FROM suppression_entries s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'globex' AND s.value IN ($1, lower($2)) ORDER BY s.kind`,
    [person.email, normalizeLinkedinUrl(person.linkedin)],
  );
  expect(suppressed.map((s) => s.kind)).toEqual(["email", "linkedin"]);

  // The next run of the company, re-crawled from scratch, collects neither the person nor the address.
  await page.goto(`/app/companies/${person.uen}`);
  await page.getByRole("checkbox", { name: "Force re-crawl" }).check();
  await page.getByRole("button", { name: "Re-enrich" }).click();
  await expect
    .poll(
      async () =>
        (
          await queryE2eDatabase<{ id: string }>(`SELECT r.id FROM runs r JOIN run_companies c ON c.run_id = r.id WHERE r.kind = 're_enrich' AND c.uen = $1`, [
            person.uen,
          ])
        ).length,
    )
    .toBe(1);
  const [rerun] = await queryE2eDatabase<{ id: string }>(
    `SELECT r.id FROM runs r JOIN run_companies c ON c.run_id = r.id WHERE r.kind = 're_enrich' AND c.uen = $1`,
    [person.uen],
  );
  await waitForRun(rerun!.id);
  const [collected] = await queryE2eDatabase<{ emails: number; contacts: number; refused: number }>(
    `SELECT (SELECT count(*)::int FROM lead_emails e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = 'globex' AND lower(e.email) = $1) AS emails,
            (SELECT count(*)::int FROM lead_contacts c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'globex' AND c.linkedin_url = $2) AS contacts,
            (SELECT coalesce(sum((l.args->>'suppressedPeople')::int), 0)::int FROM run_event_logs l
              WHERE l.run_id = $3 AND l.stage = 'emails' AND l.event = 'queued') AS refused`,
    [person.email, person.linkedin, rerun!.id],
  );
  // The vendors found the person again, and the run refused them.
  expect(collected).toEqual({ emails: 0, contacts: 0, refused: 1 });
  const stillErased = await odoo.searchRead<Partner>(
    "res.partner",
    ["|", ["email", "=ilike", person.email], ["name", "=ilike", person.name]],
    ["name", "email", "phone", "active"],
  );
  expect(stillErased.filter((p) => p.active)).toEqual([]);
});
