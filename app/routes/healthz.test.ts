import { afterEach, describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { loader } from "./healthz";

afterEach(async () => {
  await platformDb.workerHeartbeat.deleteMany();
});

async function health() {
  const response = await loader();
  return { status: response.status, body: await response.json() };
}

describe("GET /healthz", () => {
  it("is 503 when no worker has been seen", async () => {
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body).toMatchObject({ ok: false, db: true, worker: false });
  });

  it("is 200 when a worker beat within the last minute", async () => {
    const now = new Date();
    await platformDb.workerHeartbeat.create({ data: { workerId: "w1", hostname: "h", pid: 1, startedAt: now, seenAt: now } });
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, db: true, worker: true });
  });

  it("is 503 when the newest heartbeat is stale", async () => {
    const old = new Date(Date.now() - 5 * 60_000);
    await platformDb.workerHeartbeat.create({ data: { workerId: "w2", hostname: "h", pid: 1, startedAt: old, seenAt: old } });
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.worker).toBe(false);
  });
});
