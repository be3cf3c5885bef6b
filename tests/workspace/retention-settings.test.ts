import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { activeTenant, memberCookie } from "../support/workspace-users";

/**
 * Settings → Retention in-process: everyone who sees Settings reads each
 * class's window (default or override) and the last sweep with its counts;
 * an admin sets and clears overrides (audited); a window out of bounds is
 * refused with the reason and nothing is stored; ops cannot change them.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
const users: Record<string, { cookie: string; email: string }> = {};

async function loadApp() {
  const [db, settings, sweep] = await Promise.all([import("~/db.server"), import("~/routes/app+/settings"), import("~/retention/retention-sweep.server")]);
  return { db: db.db, platformDb: db.platformDb, settings, sweepRetention: sweep.sweepRetention };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  acme = await activeTenant("retention-acme", "Acme");
  for (const [key, roles] of [
    ["admin", ["admin"]],
    ["ops", ["ops"]],
  ] as const) {
    users[key] = await memberCookie(`retention-${key}`, [...roles], acme.id);
  }
});

afterAll(async () => {
  await standIns?.stop();
});

type Result = { intent: string | null; ok: boolean; message: string; submission?: { error?: Record<string, string[]> } };
type SettingsData = Awaited<ReturnType<typeof app.settings.loader>>;

const load = async (who: string) =>
  (await (await invoke(app.settings.loader, appRequest("/app/settings", { cookie: users[who]!.cookie }))).json()) as SettingsData;
const post = (who: string, form: Record<string, string>) => invoke(app.settings.action, appRequest("/app/settings", { cookie: users[who]!.cookie, form }));
const empty = { intent: "retention", crawl_text: "", step_logs: "", vendor_payloads: "", chat_threads: "", lake_raw: "" };
const overrides = () =>
  app.db.$withTenant(acme.id, (tx) => tx.retentionOverride.findMany({ orderBy: { dataClass: "asc" }, select: { dataClass: true, days: true } }));
const windows = (data: SettingsData) => data.retention.classes.map((c) => [c.dataClass, c.days, c.overrideDays]);

describe("Settings → Retention", () => {
  it("shows the platform defaults and no sweep yet", async () => {
    const data = await load("ops");
    expect(windows(data)).toEqual([
      ["crawl_text", 90, null],
      ["step_logs", 180, null],
      ["vendor_payloads", 90, null],
      ["chat_threads", 365, null],
      ["lake_raw", null, null],
    ]);
    expect(data.retention.lastSweepAt).toBeNull();
  });

  it("refuses a window out of bounds with the reason, storing nothing", async () => {
    const refused = (await (await post("admin", { ...empty, step_logs: "30", chat_threads: "3" })).json()) as Result;
    expect(refused).toMatchObject({
      intent: "retention",
      ok: false,
      submission: { error: { chat_threads: ["Enter whole days from 7 to 3,650, or leave it empty for the default"] } },
    });
    expect(await overrides()).toEqual([]);
    const words = (await (await post("admin", { ...empty, lake_raw: "a year" })).json()) as Result;
    expect(words.submission?.error).toEqual({ lake_raw: ["Enter whole days from 7 to 3,650, or leave it empty for the default"] });
    expect(await overrides()).toEqual([]);
  });

  it("lets an admin set and clear overrides, audited, and refuses ops", async () => {
    expect((await post("ops", { ...empty, step_logs: "30" })).status).toBe(403);
    expect(await overrides()).toEqual([]);

    const saved = (await (await post("admin", { ...empty, step_logs: "30", lake_raw: "730" })).json()) as Result;
    expect(saved).toMatchObject({ ok: true, message: "Retention windows saved; the next daily sweep applies them." });
    expect(await overrides()).toEqual([
      { dataClass: "lake_raw", days: 730 },
      { dataClass: "step_logs", days: 30 },
    ]);
    expect(windows(await load("ops"))).toEqual(
      expect.arrayContaining([
        ["step_logs", 30, 30],
        ["lake_raw", 730, 730],
      ]),
    );

    await post("admin", { ...empty, lake_raw: "730" });
    expect(await overrides()).toEqual([{ dataClass: "lake_raw", days: 730 }]);
    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, action: "retention.updated" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.details)).toEqual([
      { before: { step_logs: null, lake_raw: null }, after: { step_logs: 30, lake_raw: 730 } },
      { before: { step_logs: 30 }, after: { step_logs: null } },
    ]);
  });

  it("shows the date of the last sweep and what it removed per class", async () => {
    const at = new Date("2026-12-04T19:40:00.000Z");
    const run = await app.platformDb.run.create({ data: { tenantId: acme.id, kind: "nightly", runDate: at } });
    await app.platformDb.runEventLog.create({
      data: { tenantId: acme.id, runId: run.id, stage: "crawl", event: "crawl", status: "ok", createdAt: new Date("2026-01-01T00:00:00Z") },
    });
    await app.sweepRetention({ clock: () => at });
    const data = await load("ops");
    expect(new Date(data.retention.lastSweepAt!)).toEqual(at);
    expect(data.retention.classes.find((c) => c.dataClass === "step_logs")!.lastSweep).toMatchObject({ rowsDeleted: 1, rowsCleared: 0 });
    expect(data.retention.classes.find((c) => c.dataClass === "crawl_text")!.lastSweep).toMatchObject({ rowsDeleted: 0, rowsCleared: 0 });
  });
});
