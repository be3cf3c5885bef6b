import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PushPlanView } from "~/dashboard/odoo-push.server";
import { type OdooSession } from "~/odoo/client.server";
import { type OdooSimulator } from "../sims/odoo";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The run page's Odoo panel for a tenant that pushes on approval: the
 * dry-run streamed into the page, the Approve button's action (ops only; a
 * viewer's forged POST pushes nothing), and the plan after approval.
 */
let standIns: StandIns;
let sim: OdooSimulator;
let admin: OdooSession;
let app: Awaited<ReturnType<typeof loadApp>>;
let tenantId: string;
let runId: string;
const users: Record<string, { cookie: string }> = {};

async function loadApp() {
  const [fixtures, run, pushMode] = await Promise.all([
    import("../support/lead-push-fixtures"),
    import("~/routes/app+/runs.$id"),
    import("~/odoo/push-mode.server"),
  ]);
  return { fixtures, run, pushMode };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  ({ sim, admin } = await app.fixtures.startPushSimulator());
  ({ tenantId } = await app.fixtures.createTenantWithOdoo(sim, admin));
  runId = await app.fixtures.seedRun(tenantId, [...app.fixtures.plainLeads(3, "P"), { uen: "P9999999X", name: "LOW ONE PTE. LTD.", bucket: "Low", score: 20 }]);
  users.ops = await memberCookie("push-ops", ["ops"], tenantId);
  users.viewer = await memberCookie("push-viewer", ["viewer"], tenantId);
});

afterAll(async () => {
  await standIns?.stop();
});

/** The loader itself (not through JSON): the dry-run is a promise the page streams in. */
async function pageData(who: string, id = runId) {
  const request = appRequest(`/app/runs/${id}`, { cookie: users[who]!.cookie });
  return app.run.loader({ request, params: { id }, context: {} });
}

const partnersInOdoo = () => admin.searchCount("res.partner", [["ref", "like", "P%"]]);
const approve = (who: string) =>
  invoke(app.run.action, appRequest(`/app/runs/${runId}`, { cookie: users[who]!.cookie, form: { intent: "approve-push" } }), { id: runId });

describe("the Odoo panel of a run", () => {
  it("is absent in after_run mode", async () => {
    expect((await pageData("ops")).odooPush).toBeNull();
  });

  it("shows ops the dry-run in on_approval mode, and nothing to viewers", async () => {
    await app.pushMode.setPushMode(tenantId, "on_approval", { sub: "setup", email: "setup@example.test" });
    const plan = (await (await pageData("ops")).odooPush) as PushPlanView;
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.approved).toBe(false);
    expect(plan.counts).toMatchObject({ companiesCreate: 3, companiesUpdate: 0, contactsCreate: 3 });
    expect(plan.excluded).toEqual({ bucket: 1 });
    expect(plan.companyCreates.map((c) => c.name).sort()).toEqual(["P COMPANY 0 PTE. LTD.", "P COMPANY 1 PTE. LTD.", "P COMPANY 2 PTE. LTD."]);
    expect(plan.companyCreates[0]!.fields.find((f) => f.field === "ref")).toBeDefined();
    expect(plan.contactCreates.map((c) => c.email).sort()).toEqual(["person0@p0.example.sg", "person1@p1.example.sg", "person2@p2.example.sg"]);
    expect((await pageData("viewer")).odooPush).toBeNull();
    expect(await partnersInOdoo()).toBe(0);
  });

  it("refuses a viewer's forged approval with 403 and pushes nothing", async () => {
    expect((await approve("viewer")).status).toBe(403);
    expect(await partnersInOdoo()).toBe(0);
  });

  it("pushes on an operator's approval and then shows the run as approved and up to date", async () => {
    const response = await approve("ops");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      intent: "approve-push",
      ok: true,
      message: "Approved and pushed to Odoo: 3 companies created, 0 updated, 3 contacts created, 0 updated.",
    });
    expect(await partnersInOdoo()).toBe(3);
    const plan = (await (await pageData("ops")).odooPush) as PushPlanView;
    expect(plan).toMatchObject({ ok: true, approved: true, counts: { companiesCreate: 0, companiesSkipped: 3 } });
  });

  it("turns an unreachable Odoo into a message on the panel instead of a broken page", async () => {
    const next = await app.fixtures.seedRun(tenantId, app.fixtures.plainLeads(1, "Q"));
    await sim.stop();
    const page = await pageData("ops", next);
    expect(page.run.id).toBe(next);
    const plan = (await page.odooPush) as PushPlanView;
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.message).toMatch(/Odoo could not be asked/);
  });
});
