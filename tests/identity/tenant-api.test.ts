import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { OdooClient } from "~/odoo/client.server";
import { mintToken, ODOO_SETTINGS, type DevTokenRequest, type StandIns } from "../support/platform";
import { ACME_ADMIN, callApi as call, startApiTenants } from "../support/tenant-api";

/**
 * The tenant and onboarding APIs with bearer tokens: who may rotate and
 * verify a tenant's Odoo credential, see a tenant, and start a workspace at
 * first login; the wrong role gets 403, another tenant's id 404.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: Tenant;
let globex: Tenant;

async function loadApp() {
  const [db, connection] = await Promise.all([import("~/db.server"), import("~/odoo/connection.server")]);
  return { platformDb: db.platformDb, openOdooSecret: connection.openOdooSecret };
}

beforeAll(async () => {
  ({ standIns, acme, globex } = await startApiTenants());
  app = await loadApp();
});

afterAll(async () => {
  await standIns?.stop();
});

const token = (request: DevTokenRequest) => mintToken(standIns.idp, request);

describe("rotating the Odoo service credential", () => {
  const odooClient = () => new OdooClient({ baseUrl: standIns.odoo.url, maxRetries: 0 });

  async function storedCredential() {
    const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    return { connection, password: app.openOdooSecret(connection) };
  }

  it.each([["viewer"], ["ops"], ["platform_operator"], ["finance_owner"]])("is refused to %s (403) and changes nothing", async (role) => {
    const before = await storedCredential();
    const bearer = await token({
      sub: `acme-${role}`,
      email: `${role}@acme.test`,
      ...(role.startsWith("platform") || role === "finance_owner" ? {} : { tenant_id: "acme" }),
      roles: [role],
    });
    const { status, body } = await call("rotate", { token: bearer, params: { id: acme.id } });
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: "forbidden" });
    const after = await storedCredential();
    expect(after.password).toBe(before.password);
    expect(await odooClient().authenticate(ODOO_SETTINGS.database, before.connection.login, before.password)).toBe(before.connection.userId);
  });

  it("lets the tenant's admin rotate it: 204, the old password stops working, the stored one works", async () => {
    const before = await storedCredential();
    const bearer = await token(ACME_ADMIN);
    const { status, body } = await call("rotate", { token: bearer, params: { id: acme.id } });
    expect(status).toBe(204);
    expect(body).toBeNull();

    const after = await storedCredential();
    expect(after.password).not.toBe(before.password);
    expect(Buffer.from(after.connection.secretCipher)).not.toContain(Buffer.from(after.password));
    const odoo = odooClient();
    expect(await odoo.authenticate(ODOO_SETTINGS.database, before.connection.login, before.password)).toBe(false);
    expect(await odoo.authenticate(ODOO_SETTINGS.database, after.connection.login, after.password)).toBe(before.connection.userId);
    const audit = await app.platformDb.auditLog.findFirst({ where: { tenantId: acme.id, action: "odoo.credential_rotated" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorSub: ACME_ADMIN.sub, actorEmail: ACME_ADMIN.email, target: before.connection.login });
    expect(JSON.stringify(audit!.details)).not.toContain(after.password);
  });

  it("lets a platform owner rotate any tenant's", async () => {
    const before = await storedCredential();
    const owner = await token({ sub: "owner-sub", email: "owner@nexius.test", roles: ["platform_owner"] });
    expect((await call("rotate", { token: owner, params: { id: acme.id } })).status).toBe(204);
    const after = await storedCredential();
    expect(after.password).not.toBe(before.password);
    expect(await odooClient().authenticate(ODOO_SETTINGS.database, after.connection.login, after.password)).toBe(before.connection.userId);
  });

  it("answers 404 for another tenant's id, as if it did not exist", async () => {
    const bearer = await token(ACME_ADMIN);
    const { status, body } = await call("rotate", { token: bearer, params: { id: globex.id } });
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: "not_found" });
  });

  it("answers 409 when the tenant has no Odoo connection yet", async () => {
    const owner = await token({ sub: "owner-sub", email: "owner@nexius.test", roles: ["platform_owner"] });
    const { status, body } = await call("rotate", { token: owner, params: { id: globex.id } });
    expect(status).toBe(409);
    expect(body).toMatchObject({ error: "no_odoo_connection" });
  });
});

describe("GET /api/tenants/:id", () => {
  it("shows a member their own tenant with its provisioning status", async () => {
    const ops = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"] });
    const { status, body } = await call("tenant", { token: ops, params: { id: acme.id } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: acme.id, slug: "acme", status: "active", provisioning: { tenant_id: acme.id, status: "ready", phase: "ready" } });
  });

  it("answers 404 for another tenant, an unknown id and a malformed id", async () => {
    const ops = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"] });
    for (const id of [globex.id, randomUUID(), "acme"]) {
      const { status, body } = await call("tenant", { token: ops, params: { id } });
      expect(status).toBe(404);
      expect(body).toMatchObject({ error: "not_found" });
    }
  });

  it("shows platform staff any tenant", async () => {
    const owner = await token({ sub: "owner-sub", email: "owner@nexius.test", roles: ["platform_owner"] });
    const { status, body } = await call("tenant", { token: owner, params: { id: globex.id } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: globex.id, slug: "globex", provisioning: null });
    expect((await call("tenant", { token: owner, params: { id: randomUUID() } })).status).toBe(404);
  });
});

describe("onboarding API", () => {
  async function provisionJobs(tenantId: string) {
    const rows = await app.platformDb.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${`provision:${tenantId}`}`;
    return Number(rows[0]!.n);
  }

  it("POST first_login creates one workspace and one job however often it is called", async () => {
    const sub = `self-serve-${randomUUID()}`;
    const bearer = await token({ sub, email: "founder@startup.test", name: "Fay Founder" });
    const first = await call("firstLogin", { token: bearer });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ tenant_id: expect.any(String), status: "provisioning" });
    const tenantId = first.body!.tenant_id as string;

    const again = await Promise.all([call("firstLogin", { token: bearer }), call("firstLogin", { token: bearer }), call("firstLogin", { token: bearer })]);
    expect(again.map((r) => [r.status, r.body])).toEqual(Array(3).fill([202, { tenant_id: tenantId, status: "provisioning" }]));
    expect(await app.platformDb.tenant.count({ where: { ownerSub: sub } })).toBe(1);
    expect(await provisionJobs(tenantId)).toBe(1);
    const tenant = await app.platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, include: { members: { include: { user: true } } } });
    expect(tenant).toMatchObject({ ownerSub: sub, status: "provisioning", name: "Fay Founder's workspace" });
    expect(tenant.members.map((m) => [m.user.sub, m.roles])).toEqual([[sub, ["admin"]]]);

    // The token carries no tenant: the workspace bound to the subject is its tenant, and its owner is admin.
    expect((await call("whoami", { token: bearer })).body).toMatchObject({ tenant_id: tenantId, roles: ["admin"] });
    const status = await call("status", { token: bearer });
    expect(status.status).toBe(200);
    expect(status.headers.get("cache-control")).toBe("no-store");
    expect(status.body).toEqual({ tenant_id: tenantId, status: "provisioning", phase: "starting", error: null, timings: {}, attempts: 0 });
  });

  it("POST first_login is 409 for platform staff, who have no workspace", async () => {
    const owner = await token({ sub: "owner-sub", email: "owner@nexius.test", roles: ["platform_owner"] });
    const tenantsBefore = await app.platformDb.tenant.count();
    const { status, body } = await call("firstLogin", { token: owner });
    expect(status).toBe(409);
    expect(body).toMatchObject({ error: "no_workspace" });
    expect(await app.platformDb.tenant.count()).toBe(tenantsBefore);
  });

  it("POST first_login creates the tenant a token names, not a self-serve workspace, with the token's roles", async () => {
    const sub = `initech-ops-${randomUUID()}`;
    const bearer = await token({ sub, email: "ops@initech.test", tenant_id: "initech", roles: ["ops"] });
    const { status, body } = await call("firstLogin", { token: bearer });
    expect(status).toBe(202);
    const tenant = await app.platformDb.tenant.findUniqueOrThrow({
      where: { id: body!.tenant_id as string },
      include: { members: { include: { user: true } } },
    });
    expect(tenant).toMatchObject({ slug: "initech", ownerSub: null, status: "provisioning" });
    expect(tenant.members.map((m) => [m.user.sub, m.roles])).toEqual([[sub, ["ops"]]]);
    expect(await app.platformDb.tenant.count({ where: { ownerSub: sub } })).toBe(0);
    expect((await call("whoami", { token: bearer })).body).toMatchObject({ tenant_id: tenant.id, roles: ["ops"] });
    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorSub, a.details])).toEqual([
      ["tenant.created", sub, { via: "token_tenant_first_login" }],
      ["member.joined", sub, { roles: ["ops"] }],
    ]);
  });

  it("POST first_login records whether the IdP verified the email, as the token says on each call", async () => {
    const sub = `verified-${randomUUID()}`;
    const user = () => app.platformDb.user.findUniqueOrThrow({ where: { sub } });
    await call("firstLogin", { token: await token({ sub, email: "maybe@startup.test", email_verified: false }) });
    expect((await user()).emailVerified).toBe(false);
    await call("firstLogin", { token: await token({ sub, email: "maybe@startup.test", email_verified: true }) });
    expect((await user()).emailVerified).toBe(true);
    await call("firstLogin", { token: await token({ sub, email: "other@startup.test", email_verified: false }) });
    expect(await user()).toMatchObject({ email: "other@startup.test", emailVerified: false });
  });

  it("POST first_login keys a tenant named by a UUID under that id, so later tokens find it", async () => {
    const tenantId = randomUUID();
    const bearer = await token({ sub: `uuid-admin-${randomUUID()}`, email: "admin@uuid-tenant.test", tenant_id: tenantId, roles: ["admin"] });
    const first = await call("firstLogin", { token: bearer });
    expect(first.body).toEqual({ tenant_id: tenantId, status: "provisioning" });
    expect((await call("whoami", { token: bearer })).body).toMatchObject({ tenant_id: tenantId, roles: ["admin"] });
    expect((await call("status", { token: bearer })).status).toBe(200);
    expect((await call("firstLogin", { token: bearer })).body).toEqual({ tenant_id: tenantId, status: "provisioning" });
  });

  it("records a member's role change from the token in the audit trail", async () => {
    const sub = `acme-member-${randomUUID()}`;
    await call("firstLogin", { token: await token({ sub, email: "member@acme.test", tenant_id: "acme", roles: ["viewer"] }) });
    await call("firstLogin", { token: await token({ sub, email: "member@acme.test", tenant_id: "acme", roles: ["viewer"] }) });
    await call("firstLogin", { token: await token({ sub, email: "member@acme.test", tenant_id: "acme", roles: ["ops"] }) });
    const audit = await app.platformDb.auditLog.findMany({ where: { tenantId: acme.id, actorSub: sub }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ["member.joined", { roles: ["viewer"] }],
      ["member.roles_changed", { roles: ["ops"], before: ["viewer"] }],
    ]);
  });

  it("GET status reports a provisioned tenant's phases and timings", async () => {
    const ops = await token({ sub: "acme-ops-sub", email: "ops@acme.test", tenant_id: "acme", roles: ["ops"] });
    const { status, body } = await call("status", { token: ops });
    expect(status).toBe(200);
    expect(body).toMatchObject({ tenant_id: acme.id, status: "ready", phase: "ready", error: null, attempts: 1 });
    const timings = body!.timings as Record<string, { ms: number; startedAt: string; finishedAt: string }>;
    // (jsonb keeps its own key order)
    expect(Object.keys(timings).sort()).toEqual(["configuring_oidc", "creating_odoo", "ready", "seeding", "starting"]);
    const phases = ["starting", "creating_odoo", "configuring_oidc", "seeding", "ready"].map((phase) => timings[phase]!);
    for (const t of phases) expect(t.ms).toBe(Date.parse(t.finishedAt) - Date.parse(t.startedAt));
    // The phases ran one after another, each started once the one before had finished.
    for (let i = 1; i < phases.length; i++) expect(Date.parse(phases[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(phases[i - 1]!.finishedAt));
    // Creating the Odoo company is real work against the simulator.
    expect(timings.creating_odoo!.ms).toBeGreaterThan(0);
  });

  it("GET status is 404 without a workspace", async () => {
    const owner = await token({ sub: "owner-sub", email: "owner@nexius.test", roles: ["platform_owner"] });
    const { status, body } = await call("status", { token: owner });
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: "no_workspace" });
  });

  it("POST verify_odoo, for a workspace admin, signs in with the stored credential and returns neither it nor the login", async () => {
    const admin = await token({ ...ACME_ADMIN });
    const before = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    const { status, body } = await call("verify", { token: admin });
    expect(status).toBe(200);
    expect(body).toEqual({
      tenant_id: acme.id,
      ok: true,
      database: ODOO_SETTINGS.database,
      server_version: "17.0",
      latency_ms: expect.any(Number),
      last_verified_at: expect.any(String),
      error: null,
    });
    const after = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    expect(after.lastVerifiedAt!.getTime()).toBeGreaterThan(before.lastVerifiedAt!.getTime());
    expect(body!.last_verified_at).toBe(after.lastVerifiedAt!.toISOString());
    expect(JSON.stringify(body)).not.toContain(app.openOdooSecret(after));
    expect(JSON.stringify(body)).not.toContain(after.login);
    // It wrote lastVerifiedAt, so the audit trail says who asked.
    const entry = await app.platformDb.auditLog.findFirstOrThrow({ where: { tenantId: acme.id, action: "odoo.verified" }, orderBy: { id: "desc" } });
    expect(entry).toMatchObject({ actorSub: ACME_ADMIN.sub, actorEmail: ACME_ADMIN.email, details: { ok: true, error: null } });
  });

  it("verify_odoo: ops and viewers get 403 and nothing is written; a GET is 405", async () => {
    const before = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    const audits = await app.platformDb.auditLog.count({ where: { tenantId: acme.id, action: "odoo.verified" } });
    for (const role of ["ops", "viewer"]) {
      const bearer = await token({ sub: `acme-${role}-sub`, email: `${role}@acme.test`, tenant_id: "acme", roles: [role] });
      const { status, body } = await call("verify", { token: bearer });
      expect(status, role).toBe(403);
      expect(body).toMatchObject({ error: "forbidden" });
      expect((await call("verifyGet", { token: bearer })).status).toBe(405);
    }
    expect((await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } })).lastVerifiedAt).toEqual(before.lastVerifiedAt);
    expect(await app.platformDb.auditLog.count({ where: { tenantId: acme.id, action: "odoo.verified" } })).toBe(audits);
  });

  it("POST verify_odoo reports a refused credential as 502 in plain words, without Odoo's internals", async () => {
    const admin = await token({ ...ACME_ADMIN });
    standIns.odoo.faults.failNext({ service: "common", method: "authenticate", error: "AccessDenied" });
    const { status, body } = await call("verify", { token: admin });
    expect(status).toBe(502);
    expect(body).toMatchObject({ ok: false, error: "Odoo refused the workspace's service credential; a workspace admin can rotate it." });
    expect(JSON.stringify(body)).not.toMatch(/AccessDenied|odoo\.exceptions|Traceback/);
  });

  it("POST verify_odoo says so when provisioning has not created the connection yet", async () => {
    const bearer = await token({ sub: `self-serve-${randomUUID()}`, email: "second@startup.test" });
    await call("firstLogin", { token: bearer });
    const { status, body } = await call("verify", { token: bearer });
    expect(status).toBe(502);
    expect(body).toMatchObject({ ok: false, error: expect.stringMatching(/No Odoo connection yet/) });
  });
});
