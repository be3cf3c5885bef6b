import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { type WorkerHandle } from "~/jobs/worker.server";
import { WEBHOOK_HEADERS } from "~/webhooks/signature.server";
import { appRequest, invoke } from "../support/app-requests";
import { expectErrorLogs } from "../support/error-logs";
import { startStandIns, type StandIns } from "../support/platform";
import { waitFor } from "../support/wait-for";
import { startWebhookReceiver } from "../support/webhook-receiver";
import { activeTenant, memberCookie } from "../support/workspace-users";

/**
 * Platform events on signed webhooks, with a real worker: an owner adds an
 * endpoint on /admin/integrations/webhooks; a pause operation's events reach
 * a receiver that verifies HMAC-SHA256 over timestamp.body, a failed attempt
 * is retried with backoff, a delivery is replayed, and an event emitted twice
 * (a retried job) is delivered once.
 */
let standIns: StandIns;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: WorkerHandle;
let tenant: Tenant;
let owner: string;
const received = () => receiver.received.map((r) => ({ ...r, event: String(r.headers[WEBHOOK_HEADERS.event]) }));

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const port = receiver.port;
  standIns = await startStandIns({ env: { WEBHOOK_HOST_OVERRIDES: JSON.stringify({ "automation.test": `127.0.0.1:${port}` }) } });
  tenant = await activeTenant("events-co", "Events Co");
  owner = (await memberCookie("events-owner", ["platform_owner"], null)).cookie;
  const { startWorker } = await import("~/jobs/worker.server");
  worker = await startWorker({ crontabFile: null, pollInterval: 100, concurrency: 4 });
});

afterAll(async () => {
  await worker?.stop();
  await standIns?.stop();
  await receiver?.close();
});

async function postPage(form: Record<string, string | string[]>) {
  const route = await import("~/routes/admin+/integrations.webhooks");
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  const request = new Request(new URL("/admin/integrations/webhooks", "http://localhost:3999"), {
    method: "POST",
    headers: { cookie: owner, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return (await (await invoke(route.action, request)).json()) as { ok: boolean; message: string; secret?: string };
}

describe("platform event webhooks", () => {
  it("delivers a pause's events signed, retries a failed attempt with backoff, replays on request, and delivers a re-emitted event once", async () => {
    expectErrorLogs(/Failed task \d+ \(deliver_webhook.*HTTP 500/);
    const added = await postPage({
      intent: "add-endpoint",
      url: "http://automation.test/hooks",
      description: "n8n",
      eventTypes: ["operation.finished", "tenant.paused"],
    });
    expect(added).toMatchObject({ ok: true, secret: expect.stringMatching(/^whsec_/) });
    receiver.state.secret = added.secret!;

    receiver.answers.push(500);
    const operations = await import("~/tenants/operations.server");
    const requested = await operations.requestOperation(tenant.id, { type: "pause", source: "api", actor: { sub: "events-owner-sub" } });
    if (!requested.ok) throw new Error(requested.reason);
    await waitFor(async () => (await operations.operationDetail(requested.operationId))?.status === "succeeded" || null, {
      timeoutMs: 20_000,
      what: "the pause",
    });

    const finished = await waitFor(() => (received().filter((r) => r.event === "operation.finished" && r.status === 200).length ? received() : null), {
      timeoutMs: 20_000,
      what: "operation.finished delivered",
    });
    expect(finished.every((r) => r.verdict.ok)).toBe(true);
    const events = finished
      .filter((r) => r.status === 200)
      .map((r) => JSON.parse(r.body) as { type: string; tenant_id: string | null; data: Record<string, unknown> });
    expect(events.find((e) => e.type === "operation.finished")).toMatchObject({
      tenant_id: null,
      data: { tenant_id: tenant.id, operation_id: requested.operationId, type: "pause", status: "succeeded", failed_step: null },
    });
    await waitFor(() => (received().some((r) => r.event === "tenant.paused" && r.status === 200) ? true : null), { timeoutMs: 20_000, what: "tenant.paused" });
    // The first attempt got a 500: the same body came again after graphile-worker's backoff (exp(1) ≈ 2.7 s).
    const [first, retry] = received().filter((r) => r.body === receiver.received[0]!.body);
    expect([first!.status, retry!.status]).toEqual([500, 200]);
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(2_000);

    const { platformDb } = await import("~/db.server");
    const delivery = await platformDb.webhookDelivery.findFirstOrThrow({ where: { tenantId: null, eventType: "operation.finished" } });
    const replayed = await postPage({ intent: "replay-delivery", deliveryId: delivery.id });
    expect(replayed.ok).toBe(true);
    await waitFor(() => (received().filter((r) => r.event === "operation.finished" && r.status === 200).length >= 2 ? true : null), {
      timeoutMs: 20_000,
      what: "the replay",
    });
    const bodies = received()
      .filter((r) => r.event === "operation.finished" && r.status === 200)
      .map((r) => r.body);
    expect(bodies[1]).toBe(bodies[0]);

    const { emitPlatformEvent } = await import("~/webhooks/platform-events.server");
    const before = await platformDb.webhookDelivery.count({ where: { tenantId: null } });
    await emitPlatformEvent(tenant.id, "tenant.paused", `tenant.paused:${requested.operationId}`, { operation_id: requested.operationId });
    expect(await platformDb.webhookDelivery.count({ where: { tenantId: null } })).toBe(before);

    const page = await import("~/routes/admin+/integrations.webhooks");
    const data = (await (await invoke(page.loader, appRequest("/admin/integrations/webhooks", { cookie: owner }))).json()) as {
      endpoints: Array<{ url: string }>;
      deliveries: Array<{ eventType: string; replayOf: string | null }>;
    };
    expect(data.endpoints.map((e) => e.url)).toEqual(["http://automation.test/hooks"]);
    expect(data.deliveries.some((d) => d.eventType === "operation.finished" && d.replayOf === delivery.id)).toBe(true);
  });
});
