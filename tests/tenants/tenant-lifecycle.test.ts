import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, ODOO_SETTINGS, startStandIns, type StandIns } from "../support/platform";
import { tarTextFiles } from "../support/tar-files";
import { memberCookie } from "../support/workspace-users";

/**
 * The tenant lifecycle of the control plane against real Postgres and the
 * Odoo simulator over HTTP: a tenant created by the API and the wizard and
 * provisioned by its `create` operation, Odoo backups and a restore, and a
 * decommission that exports, waits out its grace period, then drops Odoo and
 * purges every tenant table the catalog lists.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let ownerCookie: string;
let operatorCookie: string;
let ownerToken: string;
let operatorToken: string;

async function loadApp() {
  const [db, operations, api, wizard, detail, files, decommission, client] = await Promise.all([
    import("~/db.server"),
    import("~/tenants/operations.server"),
    import("~/routes/api+/tenants._index"),
    import("~/routes/admin+/tenants.new"),
    import("~/routes/admin+/tenants.$id"),
    import("~/routes/admin+/tenants.$id_.files.$fileId"),
    import("~/tenants/decommission.server"),
    import("~/odoo/connection.server"),
  ]);
  return {
    platformDb: db.platformDb,
    runOperation: operations.runOperation,
    requestOperation: operations.requestOperation,
    createApi: api.action,
    wizardLoader: wizard.loader,
    wizardAction: wizard.action,
    detailAction: detail.action,
    fileLoader: files.loader,
    tenantTables: decommission.tenantTables,
    odooClient: client.odooClient,
  };
}

const owner = { sub: "lifecycle-owner-sub", email: "lifecycle-owner@example.test" };

beforeAll(async () => {
  standIns = await startStandIns({ env: { DECOMMISSION_GRACE_DAYS: "7" } });
  app = await loadApp();
  ownerCookie = (await memberCookie("lifecycle-owner", ["platform_owner"], null)).cookie;
  operatorCookie = (await memberCookie("lifecycle-operator", ["platform_operator"], null)).cookie;
  ownerToken = await mintToken(standIns.idp, { sub: "api-owner-sub", email: "api-owner@example.test", roles: ["platform_owner"] });
  operatorToken = await mintToken(standIns.idp, { sub: "api-operator-sub", email: "api-operator@example.test", roles: ["platform_operator"] });
});

afterAll(async () => {
  await standIns?.stop();
});

const answers = (slug: string, extra: Record<string, unknown> = {}) => ({
  name: `Tenant ${slug}`,
  slug,
  agency_group: "north",
  plan: "starter",
  bundle: "sales-core",
  region: "sg-1",
  odoo_mode: "db_per_tenant",
  size_profile: "small",
  sso_mode: "platform",
  ...extra,
});

async function postTenant(body: unknown, token = ownerToken) {
  const request = new Request("http://localhost:3999/api/tenants", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const response = await invoke(app.createApi, request);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A tenant created through the API and provisioned by its create operation. */
async function createdTenant(slug: string, extra: Record<string, unknown> = {}) {
  const { status, body } = await postTenant(answers(slug, extra));
  expect(status).toBe(201);
  await app.runOperation(String(body.operation_id));
  return app.platformDb.tenant.findUniqueOrThrow({ where: { id: String(body.tenant_id) }, include: { odooConnection: true } });
}

async function operationOf(tenantId: string, type: string, payload?: Record<string, unknown>) {
  const result = await app.requestOperation(tenantId, { type: type as never, source: "ui", actor: owner, payload });
  if (!result.ok) throw new Error(result.reason);
  return result.operationId;
}

describe("POST /api/tenants", () => {
  it("creates the tenant provisioning with its create operation, which provisions its own Odoo database and opens it", async () => {
    const { status, body } = await postTenant(answers("api-made"));
    expect(status).toBe(201);
    const tenantId = String(body.tenant_id);
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId } })).toMatchObject({
      status: "provisioning",
      plan: "starter",
      bundleCode: "sales-core",
      region: "sg-1",
      agencyGroup: "north",
      odooMode: "db_per_tenant",
      sizeProfile: "small",
      ssoMode: "platform",
    });
    const operation = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: String(body.operation_id) } });
    expect(operation).toMatchObject({ type: "create", status: "queued", triggerSource: "api", tenantId });

    await app.runOperation(operation.id);
    expect(await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({
      status: "succeeded",
      stepsDone: ["starting", "creating_odoo", "configuring_oidc", "seeding", "activate"],
    });
    const tenant = await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, include: { odooConnection: true, onboardingStatus: true } });
    expect(tenant.status).toBe("active");
    expect(tenant.onboardingStatus?.status).toBe("ready");
    // The wizard's Odoo mode wins over the platform's (a shared database here).
    expect(tenant.odooConnection).toMatchObject({ mode: "db_per_tenant", database: "nexius_api_made" });
    expect(standIns.odoo.state.databases.has("nexius_api_made")).toBe(true);
  });

  it("answers 409 for a taken slug, 400 with each field's reason, and 403 to an operator", async () => {
    expect(await postTenant(answers("api-made"))).toMatchObject({ status: 409, body: { error: "slug_taken" } });
    const invalid = await postTenant(answers("Bad Slug", { plan: "platinum", size_profile: "huge" }));
    expect(invalid.status).toBe(400);
    expect(Object.keys((invalid.body as { fields: Record<string, string[]> }).fields).sort()).toEqual(["size_profile", "slug"]);
    const unknownPlan = await postTenant(answers("fine-slug", { plan: "platinum" }));
    expect(unknownPlan).toMatchObject({ status: 400, body: { fields: { plan: ["No such plan"] } } });
    expect((await postTenant(answers("operator-made"), operatorToken)).status).toBe(403);
    expect(await app.platformDb.tenant.findUnique({ where: { slug: "operator-made" } })).toBeNull();
  });
});

describe("the create-tenant wizard", () => {
  const step = (form: Record<string, string>, cookie = ownerCookie) =>
    invoke(app.wizardAction, appRequest("/admin/tenants/new", { cookie, form: { intent: "next", ...form } }));
  const page = async (query = "") =>
    (await (await invoke(app.wizardLoader, appRequest(`/admin/tenants/new${query}`, { cookie: ownerCookie }))).json()) as {
      step: string;
      answers: Record<string, string>;
    };

  it("checks each step, keeps the answers in a server-side draft across reloads, and creates the tenant from the review", async () => {
    const errorsOf = async (form: Record<string, string>) =>
      ((await (await step(form)).json()) as { result: { error: Record<string, string[]> } }).result.error;
    expect(await errorsOf({ step: "identity", name: "W", slug: "Wizard Co" })).toEqual({
      name: ["At least 2 characters"],
      slug: ["Lower-case letters, digits and dashes, 2–63 long, starting with a letter or digit"],
    });
    expect(await errorsOf({ step: "identity", name: "Wizard Co", slug: "api-made" })).toEqual({ slug: ["This slug is taken by another workspace"] });

    expect((await step({ step: "identity", name: "Wizard Co", slug: "wizard-co" })).headers.get("location")).toBe("/admin/tenants/new?step=plan");
    // A reload (or a jump ahead) lands on the first step still unanswered, with what was answered.
    expect(await page("?step=review")).toMatchObject({ step: "plan", answers: { name: "Wizard Co", slug: "wizard-co" } });
    await step({ step: "plan", plan: "growth" });
    await step({ step: "bundle", bundle: "sales-core" });
    expect(await errorsOf({ step: "infra", region: "sg-1", odoo_mode: "db_per_tenant" })).toEqual({ size_profile: ["Choose a size"] });
    await step({ step: "infra", region: "eu-1", odoo_mode: "shared_db", size_profile: "medium" });
    await step({ step: "sso", sso_mode: "own" });
    expect(await page()).toMatchObject({ step: "review", answers: { plan: "growth", odoo_mode: "shared_db", sso_mode: "own" } });

    const created = await invoke(app.wizardAction, appRequest("/admin/tenants/new", { cookie: ownerCookie, form: { intent: "create" } }));
    const tenant = await app.platformDb.tenant.findUniqueOrThrow({ where: { slug: "wizard-co" } });
    const operation = await app.platformDb.tenantOperation.findFirstOrThrow({ where: { tenantId: tenant.id, type: "create" } });
    expect(created.headers.get("location")).toBe(`/admin/tenants/${tenant.id}?operation=${operation.id}`);
    expect(tenant).toMatchObject({ plan: "growth", region: "eu-1", odooMode: "shared_db", sizeProfile: "medium", ssoMode: "own", status: "provisioning" });
    expect(await app.platformDb.tenantDraft.findUnique({ where: { ownerSub: "lifecycle-owner-sub" } })).toBeNull();
    await app.runOperation(operation.id);
    expect((await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("active");
  });

  it("is the platform owner's alone", async () => {
    expect((await invoke(app.wizardLoader, appRequest("/admin/tenants/new", { cookie: operatorCookie }))).status).toBe(403);
    expect((await step({ step: "identity", name: "Nope", slug: "nope" }, operatorCookie)).status).toBe(403);
  });
});

function unzipList(archive: Buffer): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "nexius-zip-"));
  const file = path.join(dir, "archive.zip");
  writeFileSync(file, archive);
  // Python's zipfile reads the archive independently of the code that wrote it.
  return JSON.parse(
    execFileSync("python3", ["-c", "import json,sys,zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))", file]).toString(),
  ) as string[];
}

describe("Odoo backups", () => {
  it("dumps the tenant's database as a zip, lists it, and restores it (what changed since is gone)", async () => {
    const tenant = await createdTenant("backed-up");
    await app.runOperation(await operationOf(tenant.id, "backup"));
    const backup = await app.platformDb.tenantFile.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "backup" } });
    expect(backup.filename).toMatch(/^nexius_backed_up-.*\.zip$/);
    expect(backup.sizeBytes).toBe(backup.content.length);
    expect(unzipList(Buffer.from(backup.content)).sort()).toEqual(["dump.sql", "manifest.json"]);

    // A partner created after the backup is gone once the backup is restored.
    const admin = await app
      .odooClient()
      .connect("nexius_backed_up", "admin", (await import("~/odoo/connection.server")).openOdooSecret(tenant.odooConnection!, "admin"));
    const late = (await admin.create("res.partner", { name: "After the backup" })) as number;
    const restore = await operationOf(tenant.id, "restore", { backupId: backup.id });
    await app.runOperation(restore);
    expect((await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: restore } })).status).toBe("succeeded");
    const restored = await app
      .odooClient()
      .connect("nexius_backed_up", "admin", (await import("~/odoo/connection.server")).openOdooSecret(tenant.odooConnection!, "admin"));
    expect(await restored.search("res.partner", [["id", "=", late]])).toEqual([]);

    const download = await invoke(app.fileLoader, appRequest(`/admin/tenants/${tenant.id}/files/${backup.id}`, { cookie: operatorCookie }), {
      id: tenant.id,
      fileId: backup.id,
    });
    expect(download.headers.get("content-disposition")).toContain(backup.filename);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(backup.content))).toBe(true);
  });

  it("refuses a backup of a workspace in the shared database", async () => {
    const shared = await createdTenant("shared-backup", { odoo_mode: "shared_db" });
    const answer = await invoke(app.detailAction, appRequest(`/admin/tenants/${shared.id}`, { cookie: operatorCookie, form: { intent: "backup" } }), {
      id: shared.id,
    });
    expect(await answer.json()).toMatchObject({ ok: false, message: expect.stringContaining("shares the Odoo database") });
  });
});

describe("decommissioning", () => {
  async function rowsOf(tenantId: string) {
    const counts: Record<string, number> = {};
    for (const table of await app.tenantTables()) {
      const [row] = await app.platformDb.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table}" WHERE tenant_id = $1::uuid`, tenantId);
      counts[table] = Number(row!.n);
    }
    return counts;
  }

  it("exports first, waits out the grace period, then drops its Odoo database, purges every tenant table (a table added later too) and writes a receipt", async () => {
    const tenant = await createdTenant("going-away");
    const bystander = await createdTenant("staying");
    // A table someone adds later: the catalog finds it, nobody has to list it.
    await app.platformDb.$executeRawUnsafe(`CREATE TABLE "zz_later_tenant_notes" (tenant_id uuid NOT NULL, note text)`);
    await app.platformDb.$executeRawUnsafe(
      `INSERT INTO "zz_later_tenant_notes" VALUES ($1::uuid, '=HYPERLINK("x")'), ($2::uuid, 'kept')`,
      tenant.id,
      bystander.id,
    );
    // The platform's automation hears of the decommission (the tenant's own endpoints go with its rows).
    const endpoint = await app.platformDb.webhookEndpoint.create({
      data: { tenantId: null, url: "https://automation.test/hook", eventTypes: ["tenant.decommissioned"], secretCipher: new Uint8Array([1]), secretKeyId: "k" },
    });
    const before = await rowsOf(tenant.id);
    const bystanderBefore = await rowsOf(bystander.id);
    expect(before.icp_rules).toBeGreaterThan(0);

    // The owner must type the slug; an operator may not decommission at all.
    const detail = (cookie: string, form: Record<string, string>) =>
      invoke(app.detailAction, appRequest(`/admin/tenants/${tenant.id}`, { cookie, form }), { id: tenant.id });
    expect((await detail(operatorCookie, { intent: "decommission", confirmSlug: "going-away" })).status).toBe(403);
    expect(await (await detail(ownerCookie, { intent: "decommission", confirmSlug: "nope" })).json()).toMatchObject({ ok: false });
    const asked = (await (await detail(ownerCookie, { intent: "decommission", confirmSlug: "going-away" })).json()) as { operationId: string };

    await app.runOperation(asked.operationId);
    let operation = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: asked.operationId } });
    expect(operation).toMatchObject({ status: "queued", stepsDone: ["export_data"] });
    const closed = await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(closed.status).toBe("decommissioning");
    expect(closed.purgeAfter!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    // The job comes back when the grace period ends; nothing is deleted meanwhile.
    const [job] = await app.platformDb.$queryRaw<Array<{ run_at: Date }>>`
      SELECT run_at FROM graphile_worker._private_jobs WHERE key = ${`operation:${asked.operationId}`}`;
    expect(job!.run_at.getTime()).toBe(closed.purgeAfter!.getTime());
    expect(standIns.odoo.state.databases.has("nexius_going_away")).toBe(true);
    await app.runOperation(asked.operationId);
    expect((await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: asked.operationId } })).stepsDone).toEqual(["export_data"]);

    const exported = await app.platformDb.tenantFile.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "export" } });
    const files = await tarTextFiles(Buffer.from(exported.content));
    expect(files["tables/icp_rules.csv"]).toContain(tenant.id);
    expect(files["tables/zz_later_tenant_notes.csv"]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(files["tables/zz_later_tenant_notes.csv"]).not.toContain("kept");
    expect(files["tables/odoo_connections.csv"]).toBeUndefined();
    expect(Object.keys(files)).toContain("odoo/nexius_going_away.zip");

    // The clock moves past the grace period.
    await app.platformDb.tenant.update({ where: { id: tenant.id }, data: { purgeAfter: new Date(Date.now() - 1000) } });
    await app.runOperation(asked.operationId);
    operation = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: asked.operationId } });
    expect(operation.status).toBe("succeeded");
    expect((await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("decommissioned");
    expect(standIns.odoo.state.databases.has("nexius_going_away")).toBe(false);

    const after = await rowsOf(tenant.id);
    for (const [table, count] of Object.entries(after)) {
      if (["tenant_operations", "tenant_files", "audit_log"].includes(table)) continue;
      expect({ table, count }).toEqual({ table, count: 0 });
    }
    // The audit log keeps only what the decommission wrote after the purge.
    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: tenant.id }, select: { action: true } });
    expect(audit.map((a) => a.action).sort()).toEqual(["operation.succeeded", "tenant.decommissioned"]);
    expect(await rowsOf(bystander.id)).toEqual(bystanderBefore);

    const receiptFile = await app.platformDb.tenantFile.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "receipt" } });
    const receipt = JSON.parse(Buffer.from(receiptFile.content).toString("utf8")) as {
      rows_deleted: Record<string, number>;
      odoo: string;
      export: { sha256: string };
    };
    expect(receipt.rows_deleted.icp_rules).toBe(before.icp_rules);
    expect(receipt.rows_deleted.zz_later_tenant_notes).toBe(1);
    expect(receipt.odoo).toBe("Odoo database nexius_going_away dropped");
    expect(receipt.export.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [event] = await app.platformDb.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(event).toMatchObject({ eventType: "tenant.decommissioned", tenantId: null });
    expect(JSON.parse(event!.body)).toMatchObject({
      type: "tenant.decommissioned",
      data: {
        tenant_id: tenant.id,
        slug: "going-away",
        operation_id: asked.operationId,
        rows_deleted: Object.values(receipt.rows_deleted).reduce((a, b) => a + b, 0),
      },
    });
    await app.platformDb.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await app.platformDb.$executeRawUnsafe(`DROP TABLE "zz_later_tenant_notes"`);
  });

  it("is cancelled by the owner during the grace period, reopening the workspace untouched, and not after it", async () => {
    const tenant = await createdTenant("second-thoughts");
    const before = await rowsOf(tenant.id);
    const detail = (cookie: string, form: Record<string, string>) =>
      invoke(app.detailAction, appRequest(`/admin/tenants/${tenant.id}`, { cookie, form }), { id: tenant.id });
    const operationId = await operationOf(tenant.id, "decommission");
    await app.runOperation(operationId);
    expect((await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("decommissioning");

    expect((await detail(operatorCookie, { intent: "cancel_decommission" })).status).toBe(403);
    expect(await (await detail(ownerCookie, { intent: "cancel_decommission" })).json()).toMatchObject({
      ok: true,
      message: expect.stringContaining("active again"),
    });
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ status: "active", purgeAfter: null });
    expect(await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ status: "cancelled" });
    const jobs = await app.platformDb.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker._private_jobs WHERE key = ${`operation:${operationId}`}`;
    expect(jobs).toHaveLength(0);
    // Its job, had it run anyway, finds nothing to do; nothing was deleted and the Odoo database is there.
    await app.runOperation(operationId);
    expect(await rowsOf(tenant.id)).toMatchObject({ icp_rules: before.icp_rules });
    expect(standIns.odoo.state.databases.has("nexius_second_thoughts")).toBe(true);
    expect(await app.platformDb.auditLog.count({ where: { tenantId: tenant.id, action: "tenant.decommission_cancelled" } })).toBe(1);

    // A second decommission whose grace period is over cannot be stopped.
    const again = await operationOf(tenant.id, "decommission");
    await app.runOperation(again);
    await app.platformDb.tenant.update({ where: { id: tenant.id }, data: { purgeAfter: new Date(Date.now() - 1000) } });
    expect(await (await detail(ownerCookie, { intent: "cancel_decommission" })).json()).toMatchObject({
      ok: false,
      message: expect.stringContaining("can no longer be cancelled"),
    });
    expect(await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: again } })).toMatchObject({ status: "queued" });
  });

  it("archives the company of a workspace in the shared database and exports its records", async () => {
    const tenant = await createdTenant("shared-leaving", { odoo_mode: "shared_db" });
    const operationId = await operationOf(tenant.id, "decommission");
    await app.runOperation(operationId);
    await app.platformDb.tenant.update({ where: { id: tenant.id }, data: { purgeAfter: new Date(Date.now() - 1000) } });
    await app.runOperation(operationId);
    expect((await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: operationId } })).status).toBe("succeeded");
    const company = standIns.odoo.state.database(ODOO_SETTINGS.database).table("res.company")[tenant.odooConnection!.companyId!];
    expect(company?.active).toBe(false);
    const exported = await app.platformDb.tenantFile.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "export" } });
    const files = await tarTextFiles(Buffer.from(exported.content));
    expect(JSON.parse(files["odoo/company.json"]!)).toMatchObject({ company: [{ id: tenant.odooConnection!.companyId }] });
  });
});
