import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { answerAdminConsent } from "../../sims/graph/consent-client";
import { startGraphSimulator, type GraphSim } from "../../sims/graph/server";
import { appRequest, invoke } from "../../support/app-requests";
import { startStandIns, type StandIns } from "../../support/platform";
import { activeTenant, memberCookie } from "../../support/workspace-users";

/**
 * Microsoft 365 and the sync schedules on /app/settings, in-process against
 * Postgres and the Graph simulator over HTTP: an admin connects through the
 * admin-consent round trip (the state checked, used once, bound to the
 * workspace and the admin), tests and disconnects the connection; a refusal
 * or a bad state changes nothing; ops see it all and change none of it,
 * viewers get 403; no secret reaches the page.
 */
const APP = { clientId: "nexius-lake-test", clientSecret: "platform-graph-secret-value" };
const DIRECTORY = { directoryId: "3c9a5e71-2b4d-4f60-8a1b-c2d3e4f5a6b7", domain: "acme.onmicrosoft.com", ...APP };
/** A directory whose admin registered an app of their own instead of consenting to the platform's. */
const OWN = {
  directoryId: "8f1d2c3b-4a5e-4f60-9b7c-0d1e2f3a4b5c",
  domain: "globex.onmicrosoft.com",
  clientId: "d2a7f0c4-6b1e-4c9d-8e3f-5a4b3c2d1e0f",
  clientSecret: "globex-own-secret-value~Qx8",
};

let sim: GraphSim;
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;
const users: Record<string, { cookie: string; email: string }> = {};

async function loadApp() {
  const [db, settings, consent, sweep] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/settings"),
    import("~/routes/app+/settings_.m365.consent"),
    import("~/lake/sync-sweep.server"),
  ]);
  return { db: db.db, platformDb: db.platformDb, settings, consent, sweep };
}

beforeAll(async () => {
  sim = await startGraphSimulator({ directories: [DIRECTORY, OWN], demo: false });
  sim.directory(DIRECTORY.directoryId).addUser({ displayName: "Mei Ling Tan" });
  standIns = await startStandIns({
    env: { MS_GRAPH_BASE_URL: sim.url, MS_LOGIN_BASE_URL: sim.url, MS_CLIENT_ID: APP.clientId, MS_CLIENT_SECRET: APP.clientSecret },
  });
  app = await loadApp();
  acme = await activeTenant("m365-acme", "Acme");
  globex = await activeTenant("m365-globex", "Globex");
  for (const [key, roles, tenant] of [
    ["admin", ["admin"], acme],
    ["admin2", ["admin"], acme],
    ["ops", ["ops"], acme],
    ["viewer", ["viewer"], acme],
    ["globex", ["admin"], globex],
  ] as const) {
    users[key] = await memberCookie(`m365-${key}`, [...roles], tenant.id);
  }
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
  await sim?.close();
});

type SettingsData = Awaited<ReturnType<typeof app.settings.loader>>;
type Result = { intent: string | null; ok: boolean; message: string; submission?: { error?: Record<string, string[]> } };

const load = (who: string, query = "") => invoke(app.settings.loader, appRequest(`/app/settings${query}`, { cookie: users[who]!.cookie }));
const post = (who: string, form: Record<string, string>) => invoke(app.settings.action, appRequest("/app/settings", { cookie: users[who]!.cookie, form }));
const callback = (who: string, url: string) => invoke(app.consent.loader, new Request(url, { headers: { cookie: users[who]!.cookie } }));
const m365Row = (tenantId = acme.id) => app.db.$withTenant(tenantId, (tx) => tx.lakeSource.findFirst({ where: { source: "m365" } }));
/** What the connection is, leaving out the nonce of a Connect still in flight. */
const connectionOf = async (tenantId = acme.id) => {
  const row = await m365Row(tenantId);
  return row && { ...row, consentNonceHash: undefined, updatedAt: undefined };
};

/** Connect pressed: the redirect to Microsoft's admin-consent page. */
async function connect(who: string): Promise<string> {
  const response = await post(who, { intent: "m365-connect" });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

/** The admin's browser back from Microsoft: the settings address the callback sends it to. */
async function returnFrom(who: string, callbackUrl: string) {
  const response = await callback(who, callbackUrl);
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get("location")!, "http://app");
  return Object.fromEntries(back.searchParams);
}

describe("connecting Microsoft 365 from Settings", () => {
  it("sends the admin to the admin-consent link and, after consent, stores the directory, tests it and shows it connected", async () => {
    const consentUrl = new URL(await connect("admin"));
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(`${sim.url}/organizations/adminconsent`);
    expect(consentUrl.searchParams.get("client_id")).toBe(APP.clientId);
    expect(consentUrl.searchParams.get("redirect_uri")).toBe("http://localhost:3999/app/settings/m365/consent");

    const callbackUrl = await answerAdminConsent(consentUrl.toString(), "accept");
    expect(await returnFrom("admin", callbackUrl)).toEqual({ m365: "connected" });
    const row = await m365Row();
    expect(row).toMatchObject({ directoryId: DIRECTORY.directoryId, status: "connected", statusDetail: null, connectedBy: users.admin!.email });
    expect(row!.checkedAt).toBeInstanceOf(Date);
    // The check asked for a token and read the directory's users over HTTP.
    expect(sim.requests.filter((r) => r.path === "/v1.0/users").at(-1)).toMatchObject({ status: 200 });

    const data = (await (await load("admin", "?m365=connected")).json()) as SettingsData;
    expect(data.lake.m365).toMatchObject({ directoryId: DIRECTORY.directoryId, status: "connected", lastError: null, connectedBy: users.admin!.email });
    expect(data.consentNotice).toMatchObject({ ok: true });

    // The same answer again (a reload, a replay) is refused and changes nothing.
    expect(await returnFrom("admin", callbackUrl)).toEqual({ m365: "used" });
    expect((await m365Row())!.connectedAt).toEqual(row!.connectedAt);
  });

  it("refuses a declined consent, a forged, another admin's or another workspace's state, changing nothing stored", async () => {
    const before = await connectionOf();
    const declined = await answerAdminConsent(await connect("admin"), "cancel");
    expect(await returnFrom("admin", declined)).toEqual({ m365: "declined", error: "permission_denied" });

    const accepted = new URL(await answerAdminConsent(await connect("admin"), "accept"));
    const forged = new URL(accepted);
    forged.searchParams.set("tenant", "00000000-0000-4000-8000-00000000dead");
    forged.searchParams.set("state", `${accepted.searchParams.get("state")!.slice(0, -4)}AAAA`);
    expect(await returnFrom("admin", forged.toString())).toEqual({ m365: "bad_state" });
    expect(await returnFrom("admin2", accepted.toString())).toEqual({ m365: "other_user" });
    expect(await returnFrom("globex", accepted.toString())).toEqual({ m365: "bad_state" });
    expect(await m365Row(globex.id)).toBeNull();
    expect(await connectionOf()).toEqual(before);

    const notice = (await (await load("admin", "?m365=declined&error=permission_denied")).json()) as SettingsData;
    expect(notice.consentNotice).toEqual({ ok: false, message: expect.stringContaining("Nothing was changed.") });
  });

  it("tests the connection on demand and shows a failure as the last error", async () => {
    const passed = (await (await post("admin", { intent: "m365-test" })).json()) as Result;
    expect(passed).toMatchObject({ intent: "m365-test", ok: true });

    sim.directory(DIRECTORY.directoryId).roles.delete("User.Read.All");
    try {
      const failed = (await (await post("admin", { intent: "m365-test" })).json()) as Result;
      expect(failed).toMatchObject({ ok: false, message: expect.stringContaining("Insufficient privileges") });
      const data = (await (await load("ops")).json()) as SettingsData;
      expect(data.lake.m365).toMatchObject({ status: "error", lastError: expect.stringContaining("Insufficient privileges") });
    } finally {
      sim.directory(DIRECTORY.directoryId).roles.add("User.Read.All");
    }
    expect(((await (await post("admin", { intent: "m365-test" })).json()) as Result).ok).toBe(true);
  });

  it("connects through a workspace's own app registration from the form, its secret sealed, write-only and never echoed", async () => {
    const ownApp = { intent: "m365-app", directoryId: OWN.directoryId, clientId: OWN.clientId };
    const refused = await (await post("globex", { ...ownApp, directoryId: "globex.example", clientSecret: OWN.clientSecret })).text();
    expect(refused).not.toContain(OWN.clientSecret);
    expect(JSON.parse(refused)).toMatchObject({ ok: false, submission: { error: { directoryId: [expect.stringContaining("is a GUID")] } } });
    const noSecret = (await (await post("globex", ownApp)).json()) as Result;
    expect(noSecret).toMatchObject({ ok: false, message: expect.stringContaining("Enter the app's client secret") });
    expect(await m365Row(globex.id)).toBeNull();

    const wrong = (await (await post("globex", { ...ownApp, clientSecret: "not-the-secret" })).json()) as Result;
    expect(wrong).toMatchObject({ ok: false, message: expect.stringContaining("but the connection test failed") });
    expect(await m365Row(globex.id)).toMatchObject({ clientId: OWN.clientId, status: "error" });
    const saved = (await (await post("globex", { ...ownApp, clientSecret: OWN.clientSecret })).json()) as Result;
    expect(saved).toMatchObject({ ok: true, message: "The app registration is saved, its secret encrypted, and the connection test passed." });
    const stored = await m365Row(globex.id);
    expect(stored).toMatchObject({ directoryId: OWN.directoryId, clientId: OWN.clientId, status: "connected", statusDetail: null });
    expect(Buffer.from(stored!.secretCipher!).toString("utf8")).not.toContain(OWN.clientSecret);

    const kept = (await (await post("globex", ownApp)).json()) as Result;
    expect(kept).toMatchObject({ ok: true, message: expect.stringContaining("the stored secret was kept") });
    const otherApp = (await (await post("globex", { ...ownApp, clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" })).json()) as Result;
    expect(otherApp).toMatchObject({ ok: false, submission: { error: { clientSecret: [expect.stringContaining("none is stored for this app")] } } });
    expect(await m365Row(globex.id)).toMatchObject({ clientId: OWN.clientId, status: "connected" });

    // Connect asks the admin to consent to the workspace's own app, and consenting again keeps it.
    const consentUrl = new URL(await connect("globex"));
    expect(consentUrl.pathname).toBe(`/${OWN.directoryId}/adminconsent`);
    expect(consentUrl.searchParams.get("client_id")).toBe(OWN.clientId);
    expect(await returnFrom("globex", await answerAdminConsent(consentUrl.toString(), "accept"))).toEqual({ m365: "connected" });
    expect(await m365Row(globex.id)).toMatchObject({ directoryId: OWN.directoryId, clientId: OWN.clientId, status: "connected" });

    for (const [who, query] of [
      ["globex", ""],
      ["admin", "?m365=connected"],
    ] as const) {
      const page = await (await load(who, query)).text();
      for (const secret of [OWN.clientSecret, APP.clientSecret, "secretCipher", "consentNonceHash"]) expect(page).not.toContain(secret);
    }
    const data = (await (await load("globex")).json()) as SettingsData;
    expect(data.lake.m365).toMatchObject({ ownClientId: OWN.clientId, directoryId: OWN.directoryId, status: "connected" });
    const audit = await app.platformDb.auditLog.findMany({
      where: { tenantId: globex.id, action: "lake.m365.app_registration_saved" },
      select: { details: true, actorEmail: true },
    });
    expect(JSON.stringify(audit)).not.toContain(OWN.clientSecret);
    expect(audit).toHaveLength(3);
  });

  it("lets ops see the connection but change nothing, and gives viewers 403", async () => {
    const data = (await (await load("ops")).json()) as SettingsData;
    expect(data.canManageSources).toBe(false);
    expect(data.lake.m365.directoryId).toBe(DIRECTORY.directoryId);
    const forms: Array<Record<string, string>> = [
      { intent: "m365-connect" },
      { intent: "m365-test" },
      { intent: "m365-disconnect" },
      { intent: "m365-app", directoryId: OWN.directoryId, clientId: OWN.clientId, clientSecret: OWN.clientSecret },
      { intent: "sync-schedule", source: "odoo", incrementalEveryMinutes: "15", fullReconcileHour: "off", freshnessSlaMinutes: "60" },
    ];
    for (const form of forms) {
      expect((await post("ops", form)).status).toBe(403);
      expect((await post("viewer", form)).status).toBe(403);
    }
    expect((await load("viewer")).status).toBe(403);
    const accepted = await answerAdminConsent(await connect("admin"), "accept");
    expect((await callback("ops", accepted)).status).toBe(403);
    expect(await m365Row()).toMatchObject({ directoryId: DIRECTORY.directoryId, status: "connected" });
  });

  it("disconnects: the directory id is forgotten, the source is not connected and the sweep leaves it alone", async () => {
    const result = (await (await post("admin", { intent: "m365-disconnect" })).json()) as Result;
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining("the data already in the lake stays") });
    expect(await m365Row()).toMatchObject({
      directoryId: null,
      clientId: null,
      secretCipher: null,
      status: "not_connected",
      connectedAt: null,
      checkedAt: null,
    });
    const requested = await app.sweep.sweepLakeSyncs();
    expect(requested.filter((r) => r.tenantId === acme.id && r.source === "m365")).toEqual([]);
    const data = (await (await load("admin")).json()) as SettingsData;
    expect(data.lake.m365).toMatchObject({ directoryId: null, status: "not_connected", connectedBy: null });
    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, action: { startsWith: "lake.m365." } }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["lake.m365.connected", "lake.m365.consent_declined", "lake.m365.disconnected"]));
  });
});

describe("the sync schedule in Settings", () => {
  it("saves a source's interval, reconcile hour (or off) and freshness target, refusing a target shorter than the interval", async () => {
    const defaults = (await (await load("ops")).json()) as SettingsData;
    expect(defaults.lake.schedules).toEqual([
      { source: "odoo", incrementalEveryMinutes: 60, fullReconcileHour: 2, freshnessSlaMinutes: 120 },
      { source: "m365", incrementalEveryMinutes: 60, fullReconcileHour: 2, freshnessSlaMinutes: 120 },
    ]);
    const saved = (await (
      await post("admin", { intent: "sync-schedule", source: "odoo", incrementalEveryMinutes: "15", fullReconcileHour: "off", freshnessSlaMinutes: "60" })
    ).json()) as Result;
    expect(saved).toMatchObject({ ok: true, message: "Odoo now syncs every 15 min, nightly reconcile Off, stale after 1 h." });
    const refused = (await (
      await post("admin", { intent: "sync-schedule", source: "m365", incrementalEveryMinutes: "360", fullReconcileHour: "3", freshnessSlaMinutes: "120" })
    ).json()) as Result;
    expect(refused).toMatchObject({ ok: false, submission: { error: { freshnessSlaMinutes: ["The freshness target must be at least the sync interval"] } } });
    const after = (await (await load("ops")).json()) as SettingsData;
    expect(after.lake.schedules).toEqual([
      { source: "odoo", incrementalEveryMinutes: 15, fullReconcileHour: null, freshnessSlaMinutes: 60 },
      { source: "m365", incrementalEveryMinutes: 60, fullReconcileHour: 2, freshnessSlaMinutes: 120 },
    ]);
  });
});
