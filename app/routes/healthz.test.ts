import { afterEach, describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { loader as healthz } from "./healthz";
import { loader as readyz } from "./readyz";

afterEach(async () => {
  await platformDb.workerHeartbeat.deleteMany();
});

async function body(response: Response) {
  return { status: response.status, body: await response.json() };
}

async function workerSeen(msAgo: number) {
  const at = new Date(Date.now() - msAgo);
  await platformDb.workerHeartbeat.create({ data: { workerId: `w-${msAgo}`, hostname: "h", pid: 1, startedAt: at, seenAt: at } });
}

describe("GET /healthz (liveness of the web process)", () => {
  it("is 200 with the database reachable, whatever the workers do", async () => {
    expect(await body(await healthz())).toEqual({ status: 200, body: { ok: true, db: true } });
    await workerSeen(5 * 60_000);
    expect(await body(await healthz())).toEqual({ status: 200, body: { ok: true, db: true } });
  });
});

describe("GET /readyz (readiness of the platform)", () => {
  it("is 503 when no worker has been seen", async () => {
    const { status, body: ready } = await body(await readyz());
    expect(status).toBe(503);
    expect(ready).toEqual({ ok: false, db: true, worker: false, workerSeenAt: null });
  });

  it("is 200 when a worker beat within the last minute", async () => {
    await workerSeen(1_000);
    const { status, body: ready } = await body(await readyz());
    expect(status).toBe(200);
    expect(ready).toMatchObject({ ok: true, db: true, worker: true, workerSeenAt: expect.any(String) });
  });

  it("is 503 when the newest heartbeat is stale", async () => {
    await workerSeen(5 * 60_000);
    const { status, body: ready } = await body(await readyz());
    expect(status).toBe(503);
    expect(ready).toMatchObject({ ok: false, db: true, worker: false });
  });
});
