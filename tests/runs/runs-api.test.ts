import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { sseMessages, type SseMessage } from "../support/sse";
import { memberCookie } from "../support/workspace-users";

/**
 * /api/runs through its route modules: POST starts a run (ops and admins);
 * GET /api/runs/:id/events is a tenant-scoped Server-Sent Events stream of
 * the run's step events and counters, resumed with Last-Event-ID, pushed live
 * through NOTIFY, with a cookie or a bearer.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
const tenants: Record<string, string> = {};
const cookies: Record<string, string> = {};

async function loadApp() {
  const [db, route, start, runLog] = await Promise.all([
    import("~/db.server"),
    import("~/routes/api+/runs.$id.events"),
    import("~/routes/api+/runs._index"),
    import("~/runs/run-log.server"),
  ]);
  return { ...db, route, start, ...runLog };
}

async function member(slug: string, role = "viewer") {
  const tenantId = tenants[slug] ?? (await app.platformDb.tenant.create({ data: { slug, name: slug, status: "active" } })).id;
  tenants[slug] = tenantId;
  cookies[role === "viewer" ? slug : `${slug}:${role}`] = (await memberCookie(`${slug}-${role}`, [role], tenantId)).cookie;
}

async function newRun(tenantId: string, status: string, stages: string[]) {
  return app.db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.create({ data: { kind: "manual", status, runDate: new Date("2026-11-23"), targetCount: 1 } });
    for (const stage of stages) await app.logStep(tx, { runId: run.id, uen: "201700001A", stage, event: "done", status: "ok", durationMs: 5 });
    return run.id;
  });
}

/** Reads SSE messages until `until` says stop (or the stream ends). */
async function readSse(response: Response, until: (messages: SseMessage[]) => boolean = () => false): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of sseMessages(response)) {
    messages.push(message);
    if (until(messages)) break;
  }
  return messages;
}

const steps = (messages: SseMessage[]) => messages.filter((m) => m.event === "step").map((m) => JSON.parse(m.data!).stage as string);

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  await member("sse-acme");
  await member("sse-globex");
  await member("runs-start", "ops");
  await member("runs-start", "viewer");
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

describe("GET /api/runs/:id/events", () => {
  it("streams a finished run's steps with their ids, its counters, and ends with done", async () => {
    const runId = await newRun(tenants["sse-acme"]!, "succeeded", ["domain", "crawl", "merge"]);
    const response = await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`, { cookie: cookies["sse-acme"] }), { id: runId });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const messages = await readSse(response);
    expect(steps(messages)).toEqual(["domain", "crawl", "merge"]);
    expect(messages.filter((m) => m.event === "step").every((m) => /^\d+$/.test(m.id ?? ""))).toBe(true);
    expect(messages.map((m) => m.event).slice(-2)).toEqual(["progress", "done"]);
  });

  it("resumes after Last-Event-ID", async () => {
    const runId = await newRun(tenants["sse-acme"]!, "succeeded", ["domain", "crawl", "merge", "extract"]);
    const all = await readSse(await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`, { cookie: cookies["sse-acme"] }), { id: runId }));
    const second = all.filter((m) => m.event === "step")[1]!.id!;
    const resumed = await invoke(
      app.route.loader,
      appRequest(`/api/runs/${runId}/events`, { cookie: cookies["sse-acme"], headers: { "last-event-id": second } }),
      { id: runId },
    );
    expect(steps(await readSse(resumed))).toEqual(["merge", "extract"]);
  });

  it("pushes new steps of a running run as they are written", async () => {
    const tenantId = tenants["sse-acme"]!;
    const runId = await newRun(tenantId, "running", ["domain"]);
    const response = await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`, { cookie: cookies["sse-acme"] }), { id: runId });
    let streaming!: () => void;
    const firstStep = new Promise<void>((resolve) => (streaming = resolve));
    const reading = readSse(response, (messages) => {
      if (messages.some((m) => m.event === "step")) streaming();
      return messages.some((m) => m.event === "done");
    });
    // The stream is live once it has sent the step written before it opened.
    await firstStep;
    await app.db.$withTenant(tenantId, (tx) => app.logStep(tx, { runId, uen: "201700001A", stage: "score", event: "scored", status: "ok" }));
    await app.db.$withTenant(tenantId, async (tx) => {
      await tx.run.update({ where: { tenantId_id: { tenantId, id: runId } }, data: { status: "succeeded" } });
      await app.logStep(tx, { runId, stage: "run", event: "finished", status: "ok" });
    });
    const messages = await reading;
    expect(steps(messages)).toEqual(["domain", "score", "run"]);
    expect(messages.at(-1)?.event).toBe("done");
  }, 20_000);

  it("answers 404 for another tenant's run and 401 without credentials", async () => {
    const runId = await newRun(tenants["sse-acme"]!, "succeeded", ["domain"]);
    const foreign = await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`, { cookie: cookies["sse-globex"] }), { id: runId });
    expect(foreign.status).toBe(404);
    const anonymous = await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`), { id: runId });
    expect(anonymous.status).toBe(401);
  });

  it("works with a bearer token of the run's tenant", async () => {
    const runId = await newRun(tenants["sse-acme"]!, "succeeded", ["domain", "crawl"]);
    const token = await mintToken(standIns.idp, {
      sub: "sse-acme-viewer-sub",
      email: "sse-acme-viewer@example.test",
      tenant_id: "sse-acme",
      roles: ["viewer"],
    });
    const response = await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`, { token }), { id: runId });
    expect(response.status).toBe(200);
    expect(steps(await readSse(response))).toEqual(["domain", "crawl"]);
  });
});

describe("POST /api/runs", () => {
  const post = (init: { cookie?: string; token?: string; body?: string }) => {
    const request = appRequest("/api/runs", { cookie: init.cookie, token: init.token, headers: { "content-type": "application/json" } });
    return invoke(app.start.action, new Request(request.url, { method: "POST", headers: request.headers, body: init.body ?? "" }));
  };

  it("starts a run for ops with its options, answers 409 while it is active, and 403 for a viewer", async () => {
    const tenantId = tenants["runs-start"]!;
    const started = await post({ cookie: cookies["runs-start:ops"], body: JSON.stringify({ limit: 5, include_careers: true }) });
    expect(started.status).toBe(202);
    const { run_id: runId } = (await started.json()) as { run_id: string };
    const run = await app.db.$withTenant(tenantId, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: runId } } }));
    expect(run).toMatchObject({ kind: "manual", status: "queued", startedBySub: "runs-start-ops-sub", options: { limit: 5, includeCareers: true } });

    const again = await post({ cookie: cookies["runs-start:ops"] });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "run_in_progress", run_id: runId });
    expect((await post({ cookie: cookies["runs-start"] })).status).toBe(403);
  });

  it("refuses bodies that are not JSON or carry unknown or bad fields, and requests without credentials", async () => {
    for (const body of ["{", JSON.stringify({ limit: 0 }), JSON.stringify({ tenant_id: "x" })]) {
      expect((await post({ cookie: cookies["runs-start:ops"], body })).status, body).toBe(400);
    }
    expect((await post({})).status).toBe(401);
  });

  it("answers 402 with the plan's message once its manual runs for the day are used, and starts no run", async () => {
    await app.platformDb.plan.create({ data: { code: "no-manual-runs", name: "Nightly only", runsPerDay: 0 } });
    await member("runs-quota", "ops");
    const tenantId = tenants["runs-quota"]!;
    await app.platformDb.tenant.update({ where: { id: tenantId }, data: { plan: "no-manual-runs" } });
    const refused = await post({ cookie: cookies["runs-quota:ops"] });
    expect(refused.status).toBe(402);
    expect(await refused.json()).toMatchObject({
      error: "quota_exceeded",
      quota: "runsPerDay",
      message: "The Nightly only plan allows 0 manual runs per day (0 used today). Ask your administrator to change the plan.",
    });
    expect(await app.db.$withTenant(tenantId, (tx) => tx.run.count())).toBe(0);
  });

  it("works with a bearer token of an ops member", async () => {
    const token = await mintToken(standIns.idp, { sub: "sse-globex-ops", email: "sse-globex-ops@example.test", tenant_id: "sse-globex", roles: ["ops"] });
    const started = await post({ token });
    expect(started.status).toBe(202);
  });
});
