import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The development bypass (X-Tenant-ID header, dev_tenant cookie) under one
 * environment. env() is parsed once per process, so each environment is its
 * own test file calling this with the variables to set.
 */
export function devBypassSuite(environment: Record<string, string | undefined>, honoured: boolean) {
  let standIns: StandIns;
  let app: Awaited<ReturnType<typeof loadApp>>;
  let acme: Tenant;
  let globex: Tenant;

  async function loadApp() {
    const [db, whoami, info, rotate, layout, root, devTenant] = await Promise.all([
      import("~/db.server"),
      import("~/routes/api+/whoami"),
      import("~/routes/api+/info"),
      import("~/routes/api+/tenants.$id.odoo.api-key.rotate"),
      import("~/routes/app+/_layout"),
      import("~/root"),
      import("~/routes/auth+/dev-tenant"),
    ]);
    return {
      platformDb: db.platformDb,
      whoami: whoami.loader,
      info: info.loader,
      rotate: rotate.action,
      appLayout: layout.loader,
      root: root.loader,
      devTenant: devTenant.action,
    };
  }

  beforeAll(async () => {
    standIns = await startStandIns({ env: environment });
    app = await loadApp();
    acme = await app.platformDb.tenant.create({ data: { slug: "acme", name: "Acme", status: "active" } });
    globex = await app.platformDb.tenant.create({ data: { slug: "globex", name: "Globex", status: "active" } });
  });

  afterAll(async () => {
    await standIns?.stop();
  });

  const acmeToken = (roles: string[]) => mintToken(standIns.idp, { sub: "acme-user-sub", email: "user@acme.test", tenant_id: "acme", roles });
  const expected = () => (honoured ? globex : acme);

  describe(`the dev bypass (${honoured ? "honoured" : "ignored"})`, () => {
    it(`${honoured ? "switches" : "does not switch"} the tenant of a bearer request on X-Tenant-ID, by id or slug`, async () => {
      const token = await acmeToken(["ops"]);
      for (const value of [globex.id, "globex"]) {
        const response = await invoke(app.whoami, appRequest("/api/whoami", { token, headers: { "x-tenant-id": value } }));
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ tenant_id: expected().id, roles: ["ops"] });
      }
    });

    it("keeps the signed-in tenant for an X-Tenant-ID that names no tenant, even one shaped like an id", async () => {
      const token = await acmeToken(["ops"]);
      for (const value of ["-".repeat(36), "nobody"]) {
        const response = await invoke(app.whoami, appRequest("/api/whoami", { token, headers: { "x-tenant-id": value } }));
        expect(response.status, value).toBe(200);
        expect(await response.json()).toMatchObject({ tenant_id: acme.id });
      }
    });

    it(`${honoured ? "switches" : "does not switch"} a session's tenant on the dev_tenant cookie`, async () => {
      const { cookie: session } = await memberCookie("acme-user", ["ops"], acme.id, "user@acme.test");
      const response = await invoke(app.appLayout, appRequest("/app", { cookie: `${session}; dev_tenant=globex` }));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ tenant: { id: expected().id } });
    });

    it(`${honoured ? "lets" : "does not let"} X-Tenant-ID reach another tenant's admin API`, async () => {
      const token = await acmeToken(["admin"]);
      const response = await invoke(
        app.rotate,
        appRequest(`/api/tenants/${globex.id}/odoo/api-key/rotate`, { method: "POST", token, headers: { "x-tenant-id": globex.id } }),
        { id: globex.id },
      );
      // Honoured: the request acts in globex, which has no Odoo connection yet (409); ignored: globex is not ours (404).
      expect(response.status).toBe(honoured ? 409 : 404);
    });

    it(`${honoured ? "offers" : "does not offer"} the tenant selector, whose choice ${honoured ? "sets" : "never sets"} the dev_tenant cookie`, async () => {
      const { cookie: session } = await memberCookie("acme-user", ["ops"], acme.id, "user@acme.test");
      const header = (await (await invoke(app.root, appRequest("/app", { cookie: session }))).json()) as { viewer: { devTenants?: Array<{ slug: string }> } };
      if (honoured) expect(header.viewer.devTenants?.map((t) => t.slug)).toEqual(expect.arrayContaining(["acme", "globex"]));
      else expect(header.viewer.devTenants).toBeUndefined();

      const chosen = await invoke(app.devTenant, appRequest("/auth/dev-tenant", { cookie: session, form: { tenant: "globex" } }));
      expect(chosen.status).toBe(honoured ? 302 : 404);
      expect(chosen.headers.get("set-cookie") ?? "").toMatch(honoured ? /^dev_tenant=globex;.*HttpOnly/ : /^$/);
    });

    it(`reports dev_bypass: ${honoured} in /api/info`, async () => {
      const response = await invoke(app.info, appRequest("/api/info"));
      expect(((await response.json()) as { capabilities: { dev_bypass: boolean } }).capabilities.dev_bypass).toBe(honoured);
    });
  });
}
