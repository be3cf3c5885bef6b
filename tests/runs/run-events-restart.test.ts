import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../app/db/migrator.server";
import { DEV_APP_ROLE, devAppDatabaseUrl } from "../../app/dev/dev-logins.server";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../../app/dev/embedded-postgres.server";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { sseMessages, type SseMessage } from "../support/sse";
import { memberCookie } from "../support/workspace-users";

/**
 * A live-progress stream is open when Postgres restarts: the web process must
 * not crash (the listener's reconnect used to reject unhandled), and the same
 * stream must carry the steps written after the restart. This file runs its
 * own embedded Postgres, since restarting the shared test server would break
 * the other files.
 */
const DATABASE = "nexius_restart";
let dataDir: string;
let port: number;
let server: EmbeddedPostgresHandle;
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);

async function loadApp() {
  const [db, route, runLog] = await Promise.all([import("~/db.server"), import("~/routes/api+/runs.$id.events"), import("~/runs/run-log.server")]);
  return { ...db, route, ...runLog };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port: found } = probe.address() as { port: number };
      probe.close(() => resolve(found));
    });
  });
}

const startPostgres = () => startEmbeddedPostgres({ dataDir, port, database: DATABASE });

beforeAll(async () => {
  process.on("unhandledRejection", recordUnhandled);
  dataDir = await mkdtemp(path.join(tmpdir(), "nexius-restart-pg-"));
  port = await freePort();
  server = await startPostgres();
  await migrate({ ownerUrl: server.url, appLogin: DEV_APP_ROLE });
  process.env.DATABASE_URL = server.url;
  process.env.APP_DATABASE_URL = devAppDatabaseUrl(server.url);
  standIns = await startStandIns();
  app = await loadApp();
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", recordUnhandled);
  await standIns?.stop();
  for (const key of ["db:app", "db:platform", "db:export"]) {
    const client = (globalThis as unknown as { __nexiusSingletons?: Map<string, { $disconnect(): Promise<void> }> }).__nexiusSingletons?.get(key);
    await client?.$disconnect().catch(() => {});
  }
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** Collects the stream's messages in the background; `next` waits for one that `wanted` accepts. */
function follow(response: Response) {
  const messages: SseMessage[] = [];
  const stream = sseMessages(response);
  let ended = false;
  let notify: () => void = () => {};
  void (async () => {
    for await (const message of stream) {
      messages.push(message);
      notify();
    }
    ended = true;
    notify();
  })();
  return {
    messages,
    async next(wanted: (m: SseMessage) => boolean): Promise<SseMessage> {
      for (;;) {
        const found = messages.find(wanted);
        if (found) return found;
        if (ended) throw new Error(`the stream ended without it; got ${messages.map((m) => m.event).join(", ")}`);
        await new Promise<void>((resolve) => (notify = resolve));
      }
    },
  };
}

const step = (stage: string) => (m: SseMessage) => m.event === "step" && JSON.parse(m.data!).stage === stage;

describe("a live-progress stream across a Postgres restart", () => {
  it("keeps the web process up and carries the steps written after the restart", async () => {
    const tenantId = (await app.platformDb.tenant.create({ data: { slug: "restart", name: "Restart", status: "active" } })).id;
    const { cookie } = await memberCookie("restart-ops", ["ops"], tenantId);
    const runId = await app.db.$withTenant(tenantId, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-04"), targetCount: 1 } });
      await app.logStep(tx, { runId: run.id, uen: "201700001A", stage: "domain", event: "done", status: "ok" });
      return run.id;
    });

    const response = await invoke(app.route.loader, appRequest(`/api/runs/${runId}/events`, { cookie }), { id: runId });
    expect(response.status).toBe(200);
    const stream = follow(response);
    await stream.next(step("domain"));

    await server.stop();
    // Down for a few seconds, as in a real restart: the listener's reconnect attempts meet a closed port.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    server = await startPostgres();

    // Written after the restart: the stream hears of it once the listener is back.
    await app.db.$withTenant(tenantId, (tx) => app.logStep(tx, { runId, uen: "201700001A", stage: "crawl", event: "done", status: "ok" }));
    await stream.next(step("crawl"));
    await app.db.$withTenant(tenantId, async (tx) => {
      await tx.run.update({ where: { tenantId_id: { tenantId, id: runId } }, data: { status: "succeeded" } });
      await app.logStep(tx, { runId, stage: "run", event: "finished", status: "ok" });
    });
    await stream.next((m) => m.event === "done");
    expect(unhandled).toEqual([]);
  }, 90_000);
});
