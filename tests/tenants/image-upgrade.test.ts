import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * Image upgrades as operations: only to a tested template version (400
 * otherwise), recording the new tag that the tenant's generated Helm values
 * then carry, and putting the previous tag back when Odoo does not answer.
 */
let standIns: StandIns;
let acme: Tenant;
let token: string;
let operatorCookie: string;
let app: Awaited<ReturnType<typeof loadApp>>;
const templates: Record<string, string> = {};

async function loadApp() {
  const [db, identity, provisioning, operations, api, artifacts] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/tenants/operations.server"),
    import("~/routes/api+/tenants.$id.operations"),
    import("~/routes/admin+/tenants.$id_.infra.$file"),
  ]);
  return { platformDb: db.platformDb, resolveIdentity: identity.resolveIdentity, runProvisioning: provisioning.runProvisioning, ...operations, api, artifacts };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  const resolved = await app.resolveIdentity({ sub: "up-admin-sub", email: "admin@up.test", email_verified: true, tenant_id: "upgrade-co", roles: ["admin"] });
  acme = resolved.tenant!;
  await app.runProvisioning(acme.id, { sub: "up-admin-sub", email: "admin@up.test" });
  const v1 = await app.platformDb.infraTemplate.findFirstOrThrow({ where: { name: "odoo-18", version: 1 } });
  templates.v1 = v1.id;
  for (const [key, version, tag, tested] of [
    ["v2", 2, "18.0-20261201", true],
    ["v3", 3, "18.0-20261215", false],
  ] as const) {
    const created = await app.platformDb.infraTemplate.create({
      data: { name: "odoo-18", version, odooImage: `odoo:${tag}`, postgresImage: "postgres:16.4", sizeProfile: "small", tested },
    });
    templates[key] = created.id;
  }
  await app.platformDb.tenant.update({ where: { id: acme.id }, data: { infraTemplateId: templates.v1 } });
  operatorCookie = (await memberCookie("up-operator", ["platform_operator"], null)).cookie;
  token = await mintToken(standIns.idp, { sub: "up-operator", email: "operator@example.test", roles: ["platform_operator"] });
});

afterEach(() => standIns.odoo.faults.clear());
afterAll(async () => {
  await standIns?.stop();
});

async function post(json: unknown) {
  const request = new Request(new URL(`/api/tenants/${acme.id}/operations`, "http://localhost:3999"), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  const response = await invoke(app.api.action, request, { id: acme.id });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const helmTag = async () => {
  const response = await invoke(app.artifacts.loader, appRequest(`/admin/tenants/${acme.id}/infra/helm-values.yaml`, { cookie: operatorCookie }), {
    id: acme.id,
    file: "helm-values.yaml",
  });
  expect(response.headers.get("content-disposition")).toBe('attachment; filename="upgrade-co-helm-values.yaml"');
  return (parse(await response.text()) as { image: { tag: string } }).image.tag;
};

describe("upgrade_image", () => {
  it("refuses an untested or unknown template with 400", async () => {
    expect(await post({ type: "upgrade_image", params: { templateId: templates.v3 } })).toMatchObject({
      status: 400,
      body: { reason: "untested_or_unknown_image", message: expect.stringContaining("is not a tested image") },
    });
    expect(await post({ type: "upgrade_image", params: {} })).toMatchObject({ status: 400 });
  });

  it("records the tested tag, which the Helm values carry, after Odoo answers", async () => {
    expect(await helmTag()).toBe("18.0-20261101");
    const queued = await post({ type: "upgrade_image", params: { templateId: templates.v2 } });
    expect(queued.status).toBe(202);
    await app.runOperation(queued.body.operation_id as string);
    const operation = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: queued.body.operation_id as string } });
    expect(operation).toMatchObject({ status: "succeeded", stepsDone: ["check_image_tested", "record_image", "verify_upgraded_odoo"] });
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: acme.id } })).toMatchObject({
      infraTemplateId: templates.v2,
      imageTag: "18.0-20261201",
    });
    expect(await helmTag()).toBe("18.0-20261201");
  });

  it("puts the previous tag back when Odoo does not answer after the upgrade, and a template untested meanwhile fails the first step", async () => {
    const newer = await app.platformDb.infraTemplate.create({
      data: { name: "odoo-18", version: 4, odooImage: "odoo:18.0-20261220", postgresImage: "postgres:16.4", tested: true },
    });
    const queued = await post({ type: "upgrade_image", params: { templateId: newer.id } });
    standIns.odoo.faults.failNext({ service: "common", method: "authenticate", error: "AccessDenied" });
    await app.runOperation(queued.body.operation_id as string);
    const failed = await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: queued.body.operation_id as string } });
    expect(failed).toMatchObject({ status: "failed", failedStep: "verify_upgraded_odoo", stepsDone: ["check_image_tested"] });
    expect(failed.error).toMatch(/previous tag 18\.0-20261201 is recorded again/);
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: acme.id } })).toMatchObject({
      infraTemplateId: templates.v2,
      imageTag: "18.0-20261201",
      status: "error",
    });

    await app.platformDb.infraTemplate.update({ where: { id: newer.id }, data: { tested: false } });
    const rerun = await app.platformDb.tenantOperation.update({ where: { id: failed.id }, data: { stepsDone: [] }, select: { id: true } });
    await app.rerunOperation(rerun.id, { sub: "owner" }, "ui");
    await app.runOperation(rerun.id);
    expect(await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: rerun.id } })).toMatchObject({
      status: "failed",
      failedStep: "check_image_tested",
    });
  });
});
