import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The infra templates page and the tenant's Infra tab: the owner saves a
 * template's next version (untested, whatever the form says), marks it
 * tested, and only then can the tab's upgrade move a tenant onto it.
 */
let standIns: StandIns;
let tenant: Tenant;
let ownerCookie: string;
let operatorCookie: string;
let app: Awaited<ReturnType<typeof loadApp>>;

async function loadApp() {
  const [db, identity, provisioning, operations, templatesPage, detail] = await Promise.all([
    import("~/db.server"),
    import("~/auth/identity.server"),
    import("~/tenants/provisioning.server"),
    import("~/tenants/operations.server"),
    import("~/routes/admin+/infra.templates"),
    import("~/routes/admin+/tenants.$id"),
  ]);
  return {
    platformDb: db.platformDb,
    resolveIdentity: identity.resolveIdentity,
    runProvisioning: provisioning.runProvisioning,
    ...operations,
    templatesPage,
    detail,
  };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  const resolved = await app.resolveIdentity({ sub: "infra-admin", email: "admin@infra.test", email_verified: true, tenant_id: "infra-co", roles: ["admin"] });
  tenant = resolved.tenant!;
  await app.runProvisioning(tenant.id, { sub: "infra-admin", email: "admin@infra.test" });
  ownerCookie = (await memberCookie("infra-owner", ["platform_owner"], null)).cookie;
  operatorCookie = (await memberCookie("infra-operator", ["platform_operator"], null)).cookie;
});

afterAll(async () => {
  await standIns?.stop();
});

const saveForm = (overrides: Record<string, string> = {}) => ({
  intent: "save",
  name: "odoo-18",
  odooImage: "odoo:18.0-20261205",
  postgresImage: "postgres:16.4",
  sizeProfile: "medium",
  envDefaults: "LIST_DB=False\nPROXY_MODE=True",
  ...overrides,
});

async function templatesAction(cookie: string, form: Record<string, string>) {
  return invoke(app.templatesPage.action, appRequest("/admin/infra/templates", { cookie, form }));
}

async function tenantAction(cookie: string, form: Record<string, string>) {
  const response = await invoke(app.detail.action, appRequest(`/admin/tenants/${tenant.id}`, { cookie, form }), { id: tenant.id });
  return (await response.json()) as { ok: boolean; message: string; operationId?: string };
}

const versionsOf = (name: string) =>
  app.platformDb.infraTemplate.findMany({ where: { name }, orderBy: { version: "asc" }, select: { id: true, version: true, tested: true, envDefaults: true } });

describe("infra templates", () => {
  it("saves each edit as the name's next version, untested, and refuses secrets among the defaults", async () => {
    const before = await versionsOf("odoo-18");
    const saved = await templatesAction(ownerCookie, saveForm());
    expect(saved.status).toBe(302);
    const again = await templatesAction(ownerCookie, saveForm({ odooImage: "odoo:18.0-20261206" }));
    expect(again.status).toBe(302);
    const after = await versionsOf("odoo-18");
    const top = before.at(-1)!.version;
    expect(after.slice(before.length)).toEqual([
      expect.objectContaining({ version: top + 1, tested: false, envDefaults: { LIST_DB: "False", PROXY_MODE: "True" } }),
      expect.objectContaining({ version: top + 2, tested: false }),
    ]);

    const secret = await templatesAction(ownerCookie, saveForm({ envDefaults: "DB_PASSWORD=hunter2" }));
    expect(secret.status).toBe(200);
    expect(await secret.json()).toMatchObject({ ok: false, errors: { envDefaults: [expect.stringContaining("DB_PASSWORD looks like a secret")] } });
    expect(await versionsOf("odoo-18")).toHaveLength(after.length);

    expect((await templatesAction(operatorCookie, saveForm())).status).toBe(403);
  });

  it("lets the Infra tab upgrade a tenant only onto a version marked tested", async () => {
    const latest = (await versionsOf("odoo-18")).at(-1)!;
    const tab = await invoke(app.detail.loader, appRequest(`/admin/tenants/${tenant.id}?tab=infra`, { cookie: operatorCookie }), { id: tenant.id });
    const data = (await tab.json()) as { infra: { candidates: Array<{ id: string; tested: boolean }>; artifacts: string[] } };
    expect(data.infra.artifacts).toEqual(["helm-values.yaml", "docker-compose.yaml"]);
    expect(data.infra.candidates).toContainEqual(expect.objectContaining({ id: latest.id, tested: false }));

    const refused = await tenantAction(operatorCookie, { intent: "upgrade_image", templateId: latest.id });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("is not a tested image") });
    expect(await app.platformDb.tenantOperation.count({ where: { tenantId: tenant.id, type: "upgrade_image" } })).toBe(0);

    // The workspace was pinned to the newest tested version when it was created; testing a newer one does not move it.
    const pinned = (await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).infraTemplateId;
    expect(pinned).toBe((await app.platformDb.infraTemplate.findFirstOrThrow({ where: { name: "odoo-18", version: 1 } })).id);
    expect((await templatesAction(ownerCookie, { intent: "tested", id: latest.id, tested: "true" })).status).toBe(302);
    expect((await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).infraTemplateId).toBe(pinned);
    const queued = await tenantAction(operatorCookie, { intent: "upgrade_image", templateId: latest.id });
    expect(queued).toMatchObject({ ok: true, operationId: expect.any(String) });
    await app.runOperation(queued.operationId!);
    expect(await app.platformDb.tenantOperation.findUniqueOrThrow({ where: { id: queued.operationId! } })).toMatchObject({ status: "succeeded" });
    expect(await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({
      infraTemplateId: latest.id,
      imageTag: "18.0-20261206",
    });
  });
});
