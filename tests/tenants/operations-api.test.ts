import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";

/** The control plane's API (bearer tokens with platform roles): tenants, and their operations. */
let standIns: StandIns;
let token: string;
let tenants: Tenant[];

beforeAll(async () => {
  standIns = await startStandIns();
  const { platformDb } = await import("~/db.server");
  tenants = await Promise.all(
    ["north", "south", "east"].map((slug, i) =>
      platformDb.tenant.create({
        data: { slug: `api-${slug}`, name: `Api ${slug}`, status: i === 2 ? "paused" : "active", plan: i === 0 ? "growth" : "trial" },
      }),
    ),
  );
  token = await mintToken(standIns.idp, { sub: "api-operator", email: "operator@example.test", roles: ["platform_operator"] });
});

afterAll(async () => {
  await standIns?.stop();
});

async function call(path: string, init: { json?: unknown; params?: Record<string, string> } = {}) {
  const route = path.startsWith("/api/operations/recent")
    ? await import("~/routes/api+/operations.recent")
    : path.startsWith("/api/operations/")
      ? await import("~/routes/api+/operations.$id")
      : path.endsWith("/operations")
        ? await import("~/routes/api+/tenants.$id.operations")
        : await import("~/routes/api+/tenants._index");
  const request =
    init.json === undefined
      ? appRequest(path, { token })
      : new Request(new URL(path, "http://localhost:3999"), {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(init.json),
        });
  const fn = (init.json === undefined ? (route as { loader: unknown }).loader : (route as { action: unknown }).action) as (args: never) => unknown;
  const response = await invoke(fn, request, init.params ?? {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("GET /api/tenants", () => {
  it("searches, filters by status and plan, and pages by limit and offset", async () => {
    const all = await call("/api/tenants?q=api-&sort=name&limit=2");
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect((all.body.items as Array<{ slug: string }>).map((t) => t.slug)).toEqual(["api-east", "api-north"]);
    const next = await call("/api/tenants?q=api-&sort=name&limit=2&offset=2");
    expect((next.body.items as Array<{ slug: string }>).map((t) => t.slug)).toEqual(["api-south"]);
    expect((await call("/api/tenants?q=api-&status=paused")).body).toMatchObject({ total: 1, items: [{ slug: "api-east" }] });
    expect((await call("/api/tenants?q=api-&plan=growth")).body).toMatchObject({ total: 1, items: [{ slug: "api-north" }] });
  });

  it("answers 400 with the reason for a bad parameter", async () => {
    expect(await call("/api/tenants?limit=1000")).toMatchObject({ status: 400, body: { error: "invalid_query", message: expect.stringMatching(/limit/) } });
    expect(await call("/api/tenants?status=sleeping")).toMatchObject({ status: 400 });
    expect(await call("/api/tenants?colour=red")).toMatchObject({ status: 400 });
  });
});

describe("POST /api/tenants/:id/operations and the operations API", () => {
  it("queues a pause (202), reads it back, refuses a second while it waits, and says which types are not available yet", async () => {
    const north = tenants[0]!;
    const queued = await call(`/api/tenants/${north.id}/operations`, { json: { type: "pause" }, params: { id: north.id } });
    expect(queued).toEqual({ status: 202, body: { operation_id: expect.any(String), status: "queued" } });
    const operationId = queued.body.operation_id as string;
    expect(await call(`/api/tenants/${north.id}/operations`, { json: { type: "rebuild" }, params: { id: north.id } })).toMatchObject({
      status: 409,
      body: { error: "conflict" },
    });

    const { runOperation } = await import("~/tenants/operations.server");
    await runOperation(operationId);
    const read = await call(`/api/operations/${operationId}`, { params: { id: operationId } });
    expect(read).toMatchObject({
      status: 200,
      body: {
        id: operationId,
        type: "pause",
        status: "succeeded",
        triggerSource: "api",
        actorEmail: "operator@example.test",
        stepsDone: ["close_workspace"],
        runbook: null,
      },
    });
    const recent = await call("/api/operations/recent?limit=5");
    expect((recent.body.items as Array<{ id: string }>)[0]!.id).toBe(operationId);

    expect(await call(`/api/tenants/${north.id}/operations`, { json: { type: "explode" }, params: { id: north.id } })).toMatchObject({ status: 400 });
    // Deleting a workspace is the platform owner's call, never an operator's.
    expect(await call(`/api/tenants/${north.id}/operations`, { json: { type: "decommission" }, params: { id: north.id } })).toMatchObject({ status: 403 });
    expect(await call(`/api/tenants/${north.id}/operations`, { json: { type: "restore", params: {} }, params: { id: north.id } })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining("backup_id") },
    });
    // module_apply plans against the workspace's Odoo, which this one does not have yet.
    expect(
      await call(`/api/tenants/${north.id}/operations`, { json: { type: "module_apply", params: { bundle: "sales-core" } }, params: { id: north.id } }),
    ).toMatchObject({
      status: 400,
      body: { error: "invalid_request", message: "The workspace has no Odoo yet: provisioning creates it" },
    });
    expect(await call(`/api/tenants/${north.id}/operations`, { json: { type: "module_apply" }, params: { id: north.id } })).toMatchObject({
      status: 400,
      body: { error: "invalid_body" },
    });
    // A template id that is not one is no such template: 400 with the reason, not an error.
    expect(
      await call(`/api/tenants/${north.id}/operations`, { json: { type: "upgrade_image", params: { templateId: "-".repeat(36) } }, params: { id: north.id } }),
    ).toMatchObject({ status: 400, body: { message: expect.stringContaining("no such infra template") } });
    expect(await call(`/api/tenants/${north.id}/operations`, { json: { type: "pause" }, params: { id: north.id } })).toMatchObject({
      status: 409,
      body: { message: "A pause needs a workspace that is active or error; this one is paused." },
    });
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await call(`/api/tenants/${unknown}/operations`, { json: { type: "pause" }, params: { id: unknown } })).toMatchObject({ status: 404 });
    expect(await call(`/api/operations/${unknown}`, { params: { id: unknown } })).toMatchObject({ status: 404 });
  });
});
