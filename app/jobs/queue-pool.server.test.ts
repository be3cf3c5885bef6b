import net from "node:net";
import { describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { addJob } from "./enqueue.server";
import { releaseOrphanedJobs } from "./heartbeat.server";
import { isConnectionLoss, queuePool } from "./queue-pool.server";

describe("isConnectionLoss", () => {
  it("recognises a server going away, not a bad statement", () => {
    const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });
    expect(isConnectionLoss(coded("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isConnectionLoss(coded("57P03", "the database system is starting up"))).toBe(true);
    expect(isConnectionLoss(coded("ECONNREFUSED"))).toBe(true);
    expect(isConnectionLoss(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionLoss(coded("42P01", 'relation "x" does not exist'))).toBe(false);
    expect(isConnectionLoss(coded("23505", "duplicate key"))).toBe(false);
    expect(isConnectionLoss("Connection terminated")).toBe(false);
  });
});

describe("queuePool", () => {
  it("waits for a database that is not there yet, then connects", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    // A stand-in that starts forwarding to the real server only after the pool's first refusals.
    const waits: number[] = [];
    const pool = queuePool(
      { host: "127.0.0.1", port, user: url.username, password: url.password, database: url.pathname.slice(1) },
      { onWait: (_, ms) => waits.push(ms) },
    );
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(url.port), url.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    setTimeout(() => proxy.listen(port, "127.0.0.1"), 600);
    try {
      const client = await pool.connect();
      expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      client.release();
      expect(waits.length).toBeGreaterThan(0);
    } finally {
      await pool.end();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("gives up after its longest wait", async () => {
    const pool = queuePool({ host: "127.0.0.1", port: 1, user: "x", database: "x" }, { maxWaitMs: 200 });
    await expect(pool.connect()).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await pool.end();
  });
});

describe("releaseOrphanedJobs", () => {
  it("unlocks the jobs this process holds but no longer runs, and their queues", async () => {
    const orphan = await addJob("prune_rate_limits", {}, { queueName: "drill-queue", runAt: new Date(Date.now() + 60_000) });
    const running = await addJob("prune_rate_limits", {}, { runAt: new Date(Date.now() + 60_000) });
    const other = await addJob("prune_rate_limits", {}, { runAt: new Date(Date.now() + 60_000) });
    const lock = (id: string, by: string) =>
      platformDb.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = ${by} WHERE id = ${BigInt(id)}`;
    await lock(orphan.id, "pool-a");
    await lock(running.id, "pool-a");
    await lock(other.id, "pool-b");
    await platformDb.$executeRaw`UPDATE graphile_worker._private_job_queues SET locked_at = now(), locked_by = 'pool-a' WHERE queue_name = 'drill-queue'`;

    expect(await releaseOrphanedJobs(["pool-a"], [running.id])).toBe(1);
    const rows = await platformDb.$queryRaw<Array<{ id: bigint; locked_by: string | null }>>`
      SELECT id, locked_by FROM graphile_worker._private_jobs WHERE id = ANY (${[orphan.id, running.id, other.id]}::bigint[]) ORDER BY id`;
    expect(rows.map((r) => r.locked_by)).toEqual([null, "pool-a", "pool-b"]);
    const [queue] = await platformDb.$queryRaw<Array<{ locked_by: string | null }>>`
      SELECT locked_by FROM graphile_worker._private_job_queues WHERE queue_name = 'drill-queue'`;
    expect(queue!.locked_by).toBeNull();
  });
});
