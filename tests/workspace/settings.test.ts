import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { APP_URL, startStandIns, type StandIns } from "../support/platform";
import { activeTenant, memberCookie } from "../support/workspace-users";

/**
 * /app/settings in-process: suppression lists (one value, a pasted list and
 * a CSV with row errors, removal), the free-mail policy and score
 * thresholds (saved as ICP versions), the Odoo push mode and the token
 * budget; every write audited; viewers refused on the page and on forged
 * POSTs, with nothing changed.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
const users: Record<string, { cookie: string; email: string }> = {};

async function loadApp() {
  const [db, settings, icp] = await Promise.all([import("~/db.server"), import("~/routes/app+/settings"), import("~/icp/icp.server")]);
  return { db: db.db, platformDb: db.platformDb, settings, icpHistory: icp.icpHistory };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  acme = await activeTenant("acme", "Acme");
  for (const [key, roles] of [
    ["ops", ["ops"]],
    ["admin", ["admin"]],
    ["viewer", ["viewer"]],
  ] as const) {
    users[key] = await memberCookie(key, [...roles], acme.id);
  }
});

afterAll(async () => {
  await standIns?.stop();
});

type Result = {
  intent: string | null;
  ok: boolean;
  message: string;
  submission?: { error?: Record<string, string[]>; initialValue?: Record<string, unknown> };
  rowErrors?: Array<{ line: number; value: string; reason: string }>;
};
type SettingsData = Awaited<ReturnType<typeof app.settings.loader>>;

const load = (who: string, query = "") => invoke(app.settings.loader, appRequest(`/app/settings${query}`, { cookie: users[who]!.cookie }));
const post = (who: string, form: Record<string, string>) => invoke(app.settings.action, appRequest("/app/settings", { cookie: users[who]!.cookie, form }));

async function upload(who: string, name: string, csv: string, kind = "auto") {
  const body = new FormData();
  body.set("intent", "suppress-csv");
  body.set("kind", kind);
  body.set("file", new File([csv], name, { type: "text/csv" }));
  return invoke(app.settings.action, new Request(new URL("/app/settings", APP_URL), { method: "POST", headers: { cookie: users[who]!.cookie }, body }));
}

async function ok(response: Response): Promise<Result> {
  expect(response.status).toBe(200);
  return (await response.json()) as Result;
}

const suppressed = () =>
  app.db.$withTenant(acme.id, (tx) =>
    tx.suppressionEntry.findMany({ orderBy: [{ kind: "asc" }, { value: "asc" }], select: { kind: true, value: true, reason: true } }),
  );
const auditOf = (action: string) => app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, action }, orderBy: { id: "asc" } });

describe("who may use the settings", () => {
  it("shows the page to ops and admins with the defaults", async () => {
    for (const who of ["ops", "admin"]) {
      const response = await load(who);
      expect(response.status).toBe(200);
    }
    const data = (await (await load("ops")).json()) as SettingsData;
    const { defaultIcpRules } = await import("~/icp/rules");
    expect(data.settings).toMatchObject({
      odooPushMode: "after_run",
      dailyTokenBudget: 200_000,
      freeMail: "exclude",
      scoreThresholds: defaultIcpRules().scoreThresholds,
      icpVersion: null,
    });
    expect(data.suppressions).toMatchObject({ total: 0, counts: { email: 0, domain: 0, uen: 0, linkedin: 0 } });
  });

  it("refuses the viewer's page with 403", async () => {
    expect((await load("viewer")).status).toBe(403);
  });

  it.each([
    [{ intent: "suppress-one", kind: "email", value: "jane@acme.sg" }],
    [{ intent: "suppress-paste", kind: "auto", values: "a@acme.sg\nacme.sg" }],
    [{ intent: "thresholds", high: "80", medium: "50" }],
    [{ intent: "free-mail", freeMail: "allow" }],
    [{ intent: "push-mode", odooPushMode: "on_approval" }],
    [{ intent: "budget", dailyTokenBudget: "1" }],
    [{ intent: "website-contacts", minWebsiteContacts: "3" }],
  ])("refuses the viewer's forged POST %j with 403 and changes nothing", async (form) => {
    const response = await post("viewer", form);
    expect(response.status).toBe(403);
    expect(await suppressed()).toEqual([]);
    expect(await app.icpHistory(acme.id)).toEqual([]);
    expect(await app.db.$withTenant(acme.id, (tx) => tx.tenantSettings.findUnique({ where: { tenantId: acme.id } }))).toBeNull();
  });

  it("refuses a viewer's forged CSV upload with 403 and stores nothing", async () => {
    expect((await upload("viewer", "list.csv", "email\njane@acme.sg\n")).status).toBe(403);
    expect(await suppressed()).toEqual([]);
  });
});

describe("suppression lists", () => {
  it("adds one value normalised, and refuses a bad one keeping what was typed", async () => {
    expect(
      await ok(await post("ops", { intent: "suppress-one", kind: "domain", value: "https://www.Globex.com/about", reason: "competitor\u0000" })),
    ).toMatchObject({ ok: true, message: "globex.com is now suppressed." });
    expect(await ok(await post("ops", { intent: "suppress-one", kind: "auto", value: "globex.com" }))).toMatchObject({
      ok: true,
      message: "globex.com was already on the list.",
    });
    const bad = await ok(await post("ops", { intent: "suppress-one", kind: "uen", value: "12345", reason: "typo" }));
    expect(bad).toMatchObject({
      ok: false,
      submission: { error: { value: [expect.stringContaining("not a UEN")] }, initialValue: { kind: "uen", value: "12345", reason: "typo" } },
    });
    expect(await suppressed()).toEqual([{ kind: "domain", value: "globex.com", reason: "competitor" }]);
  });

  it("adds a pasted list: good lines stored, bad lines reported by number and given back to fix", async () => {
    const result = await ok(
      await post("ops", {
        intent: "suppress-paste",
        kind: "auto",
        reason: "complaint",
        values: ["Jane.Tan@Acme.SG", "not-a-thing", "", "www.initech.sg", "201912345k", "bob@", "globex.com"].join("\n"),
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.message).toBe("3 added, 1 already on the list, 2 lines refused (nothing stored from them).");
    expect(result.rowErrors!.map((e) => [e.line, e.value])).toEqual([
      [2, "not-a-thing"],
      [6, "bob@"],
    ]);
    expect(result.submission?.initialValue).toMatchObject({ kind: "auto", values: "not-a-thing\nbob@", reason: "complaint" });
    expect((await suppressed()).map((s) => `${s.kind}:${s.value}`)).toEqual([
      "domain:globex.com",
      "domain:initech.sg",
      "email:jane.tan@acme.sg",
      "uen:201912345K",
    ]);
  });

  it("imports a CSV with mixed good and bad rows: row-level errors, nothing from a bad row, good rows stored, audited", async () => {
    const csv = [
      "kind,value,reason",
      "email,ops@umbrella.sg,unsubscribed",
      "email,ops@@umbrella.sg,typo",
      "domain,http://umbrella.sg/contact,",
      "fax,6123 4567,wrong kind",
      'uen,T19LL1234A,"closed, says the owner"',
      "uen,2019X,too short",
      'email,"broken@umbrella.sg,',
    ].join("\r\n");
    const result = await ok(await upload("admin", "suppress.csv", csv));
    expect(result.message).toBe("suppress.csv: 3 added, 4 lines refused (nothing stored from them).");
    expect(result.rowErrors!.map((e) => [e.line, e.reason])).toEqual([
      [3, expect.stringContaining("not an email address")],
      [5, 'unknown kind "fax" (use email, domain or uen)'],
      [7, expect.stringContaining("not a UEN")],
      [8, expect.stringMatching(/^unreadable CSV/)],
    ]);
    const rows = await suppressed();
    expect(rows).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "ops@umbrella.sg", reason: "unsubscribed" },
        { kind: "domain", value: "umbrella.sg", reason: null },
        { kind: "uen", value: "T19LL1234A", reason: "closed, says the owner" },
      ]),
    );
    expect(rows.some((r) => r.value.includes("broken") || r.value === "2019X" || r.value.startsWith("6123"))).toBe(false);
    const audit = await auditOf("suppression.added");
    expect(audit.at(-1)).toMatchObject({ actorEmail: users.admin!.email, details: expect.objectContaining({ source: "csv", submitted: 3, added: 3 }) });
  });

  it("refuses an empty upload and says why", async () => {
    const body = new FormData();
    body.set("intent", "suppress-csv");
    body.set("kind", "domain");
    const result = await ok(
      await invoke(app.settings.action, new Request(new URL("/app/settings", APP_URL), { method: "POST", headers: { cookie: users.ops!.cookie }, body })),
    );
    // The kind the user chose comes back for the form to keep.
    expect(result).toMatchObject({ ok: false, submission: { error: { file: ["Choose a CSV file"] }, initialValue: { kind: "domain" } } });
  });

  it("filters the list by kind and search, and removes an entry (audited)", async () => {
    const emails = (await (await load("ops", "?kind=email")).json()) as SettingsData;
    expect(emails.suppressions.entries.map((e) => e.value).sort()).toEqual(["jane.tan@acme.sg", "ops@umbrella.sg"]);
    expect(emails.suppressions.counts).toEqual({ email: 2, domain: 3, uen: 2, linkedin: 0 });
    const search = (await (await load("ops", "?q=UMBRELLA")).json()) as SettingsData;
    expect(search.suppressions.entries.map((e) => e.value).sort()).toEqual(["ops@umbrella.sg", "umbrella.sg"]);
    // A NUL byte in the search box is dropped rather than sent to Postgres (which refuses it with a 500).
    const nul = (await (await load("ops", "?q=%00UMBRELLA%00")).json()) as SettingsData;
    expect(nul.suppressions.entries.map((e) => e.value).sort()).toEqual(["ops@umbrella.sg", "umbrella.sg"]);
    // A page past the end goes to the last page instead of claiming the list is empty.
    const past = await load("ops", "?kind=email&page=9");
    expect(past.status).toBe(302);
    expect(past.headers.get("location")).toBe("/app/settings?kind=email");

    const target = search.suppressions.entries.find((e) => e.value === "umbrella.sg")!;
    expect((await post("viewer", { intent: "suppress-remove", id: target.id })).status).toBe(403);
    expect((await suppressed()).some((s) => s.value === "umbrella.sg")).toBe(true);
    expect(await ok(await post("ops", { intent: "suppress-remove", id: target.id }))).toMatchObject({
      ok: true,
      message: "umbrella.sg is no longer suppressed.",
    });
    expect((await suppressed()).some((s) => s.value === "umbrella.sg")).toBe(false);
    expect((await auditOf("suppression.removed")).at(-1)).toMatchObject({
      target: `suppression:${target.id}`,
      details: { kind: "domain", value: "umbrella.sg" },
    });
    expect(await ok(await post("ops", { intent: "suppress-remove", id: target.id }))).toMatchObject({ ok: false });
  });
});

describe("policies saved as ICP versions", () => {
  it("refuses thresholds with High not above Medium, keeping the input and saving nothing", async () => {
    const result = await ok(await post("ops", { intent: "thresholds", high: "40", medium: "60" }));
    expect(result).toMatchObject({
      ok: false,
      submission: { error: { high: ["The High threshold must be above the Medium one"] }, initialValue: { high: "40", medium: "60" } },
    });
    const words = await ok(await post("ops", { intent: "thresholds", high: "seventy", medium: "" }));
    expect(words.submission?.error).toEqual({ high: ["The High threshold must be a whole number"], medium: ["The Medium threshold is required"] });
    expect(words.submission?.initialValue).toMatchObject({ high: "seventy" });
    expect(await app.icpHistory(acme.id)).toEqual([]);
  });

  it("saves thresholds as a new ICP version that changes only them", async () => {
    const result = await ok(await post("ops", { intent: "thresholds", high: "80", medium: "50" }));
    expect(result).toMatchObject({ ok: true, message: "Score thresholds saved as ICP version 1." });
    expect(await ok(await post("admin", { intent: "free-mail", freeMail: "allow_low_confidence" }))).toMatchObject({
      ok: true,
      message: "Free-mail policy saved as ICP version 2.",
    });
    const [v2, v1] = await app.icpHistory(acme.id);
    expect(v1!.rules.scoreThresholds).toEqual({ high: 80, medium: 50 });
    expect(v2!.changes).toEqual([{ path: "freeMail", kind: "changed", before: "exclude", after: "allow_low_confidence" }]);
    expect(v2!.authorEmail).toBe(users.admin!.email);
    expect(await auditOf("icp.update")).toHaveLength(2);
    const data = (await (await load("ops")).json()) as SettingsData;
    expect(data.settings).toMatchObject({ freeMail: "allow_low_confidence", scoreThresholds: { high: 80, medium: 50 }, icpVersion: 2 });
  });

  it("does not save a version when nothing changed, and refuses an unknown policy", async () => {
    expect(await ok(await post("ops", { intent: "free-mail", freeMail: "allow_low_confidence" }))).toMatchObject({
      ok: true,
      message: "Free-mail policy saved: nothing changed.",
    });
    expect(await ok(await post("ops", { intent: "free-mail", freeMail: "anything" }))).toMatchObject({
      ok: false,
      submission: { error: { freeMail: ["Choose a free-mail policy"] } },
    });
    expect(await app.icpHistory(acme.id)).toHaveLength(2);
  });
});

describe("workspace settings", () => {
  it("switches the Odoo push mode, audited", async () => {
    expect(await ok(await post("ops", { intent: "push-mode", odooPushMode: "on_approval" }))).toMatchObject({
      ok: true,
      message: "Odoo push mode is now “On approval”.",
    });
    expect(await ok(await post("ops", { intent: "push-mode", odooPushMode: "sometimes" }))).toMatchObject({
      ok: false,
      submission: { error: { odooPushMode: [expect.any(String)] } },
    });
    const row = await app.db.$withTenant(acme.id, (tx) => tx.tenantSettings.findUniqueOrThrow({ where: { tenantId: acme.id } }));
    expect(row).toMatchObject({ odooPushMode: "on_approval", updatedByEmail: users.ops!.email });
    expect(await auditOf("settings.odoo_push_mode_changed")).toEqual([
      expect.objectContaining({ actorEmail: users.ops!.email, details: { mode: "on_approval" } }),
    ]);
    expect(await ok(await post("ops", { intent: "push-mode", odooPushMode: "on_approval" }))).toMatchObject({
      ok: true,
      message: "Odoo push mode was already “On approval”.",
    });
    expect(await auditOf("settings.odoo_push_mode_changed")).toHaveLength(1);
  });

  it("points to the newest finished run, where the dry-run and the Approve button are", async () => {
    expect(((await (await load("ops")).json()) as SettingsData).settings.latestRun).toBeNull();
    const { seedFinishedRun } = await import("../support/lead-fixtures");
    const run = await seedFinishedRun(acme.id, { companies: 3 });
    const data = (await (await load("ops")).json()) as SettingsData;
    expect(data.settings.latestRun).toEqual({ id: run.runId, runDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it("validates and saves the daily token budget, keeping bad input", async () => {
    expect(await ok(await post("admin", { intent: "budget", dailyTokenBudget: "12.5k" }))).toMatchObject({
      ok: false,
      submission: { error: { dailyTokenBudget: ["The daily token budget must be a whole number"] }, initialValue: { dailyTokenBudget: "12.5k" } },
    });
    expect(await ok(await post("admin", { intent: "budget", dailyTokenBudget: "500000000" }))).toMatchObject({
      ok: false,
      submission: { error: { dailyTokenBudget: ["The daily token budget must be at most 100,000,000"] } },
    });
    expect(await ok(await post("admin", { intent: "budget", dailyTokenBudget: "75000" }))).toMatchObject({
      ok: true,
      message: "The daily token budget is now 75,000 tokens.",
    });
    const row = await app.db.$withTenant(acme.id, (tx) => tx.tenantSettings.findUniqueOrThrow({ where: { tenantId: acme.id } }));
    expect(row).toMatchObject({ dailyTokenBudget: 75_000, odooPushMode: "on_approval" });
    expect(await auditOf("settings.daily_token_budget")).toEqual([expect.objectContaining({ details: { before: 200_000, after: 75_000 } })]);
  });

  it("validates and saves the minimum of website contacts that spares the LinkedIn search", async () => {
    expect(await ok(await post("admin", { intent: "website-contacts", minWebsiteContacts: "0" }))).toMatchObject({
      ok: false,
      submission: { error: { minWebsiteContacts: [expect.stringContaining("at least 1")] }, initialValue: { minWebsiteContacts: "0" } },
    });
    expect(await ok(await post("admin", { intent: "website-contacts", minWebsiteContacts: "two" }))).toMatchObject({ ok: false });
    expect(await ok(await post("admin", { intent: "website-contacts", minWebsiteContacts: "3" }))).toMatchObject({
      ok: true,
      message: "The LinkedIn search now runs when a company's website names fewer than 3 role-qualified people.",
    });
    const row = await app.db.$withTenant(acme.id, (tx) => tx.tenantSettings.findUniqueOrThrow({ where: { tenantId: acme.id } }));
    expect(row.minWebsiteContacts).toBe(3);
    expect(await auditOf("settings.min_website_contacts")).toEqual([expect.objectContaining({ details: { before: 2, after: 3 } })]);
  });

  it("answers an unknown intent without changing anything", async () => {
    expect(await ok(await post("ops", { intent: "drop-tables" }))).toEqual({ intent: null, ok: false, message: "Unknown action" });
  });
});
