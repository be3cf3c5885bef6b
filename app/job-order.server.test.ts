import { describe, expect, it } from "vitest";
import { currentJobRank, inJobOrder, orderedSlots, orderedStatements, type Statements } from "./job-order.server";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("work in the job queue's order", () => {
  it("ranks a job by its priority, then its id, and anything outside a job ahead of every job", async () => {
    expect(currentJobRank()).toEqual([-Infinity, 0]);
    expect(inJobOrder({ priority: -1, id: "1234" }, () => currentJobRank())).toEqual([-1, 1234]);
    // The rank follows the job's work across awaits.
    expect(await inJobOrder({ priority: 0, id: "7" }, async () => (await tick(), currentJobRank()))).toEqual([0, 7]);
  });

  it("hands a free slot to the earliest-queued waiter, and waiters of one rank in the order they asked", async () => {
    const slots = orderedSlots(1);
    await slots.take();
    const served: string[] = [];
    const wait = (label: string, job?: { priority: number; id: string }) => {
      const taken = job ? inJobOrder(job, () => slots.take()) : slots.take();
      return taken.then(() => served.push(label));
    };
    const waiters = [
      wait("job 9, first to ask", { priority: 0, id: "9" }),
      wait("job 3", { priority: 0, id: "3" }),
      wait("job 9, second to ask", { priority: 0, id: "9" }),
      wait("job 12 of a later stage", { priority: -2, id: "12" }),
      wait("a web request"),
    ];
    expect(slots.waiting()).toBe(5);
    for (let i = 0; i < 5; i++) {
      slots.give();
      await tick();
    }
    await Promise.all(waiters);
    expect(served).toEqual(["a web request", "job 12 of a later stage", "job 3", "job 9, first to ask", "job 9, second to ask"]);
    expect(slots.inUse()).toBe(1);
  });

  it("sends no more statements at once than the pool has connections, a later stage's first, jobs of one priority in the order they asked", async () => {
    const answers: Array<() => void> = [];
    const sent: string[] = [];
    const pool: Statements = {
      query: (text) => {
        sent.push(text);
        return new Promise((resolve, reject) =>
          answers.push(() => (text === "fails" ? reject(new Error("refused")) : resolve({ rows: [], rowCount: 0 } as never))),
        );
      },
    };
    const statements = orderedStatements(pool, 2);
    const results = [
      statements.query("fails").catch((error: Error) => error.message),
      inJobOrder({ priority: 0, id: "8" }, () => statements.query("job 8")),
      inJobOrder({ priority: 0, id: "5" }, () => statements.query("job 5")),
      inJobOrder({ priority: -2, id: "12" }, () => statements.query("job 12 of a later stage")),
      inJobOrder({ priority: 0, id: "2" }, () => statements.query("job 2")),
    ];
    await tick();
    expect(sent).toEqual(["fails", "job 8"]);
    // The failed statement's connection goes to the waiter first in order.
    answers.shift()!();
    await tick();
    expect(sent).toEqual(["fails", "job 8", "job 12 of a later stage"]);
    while (answers.length) {
      answers.shift()!();
      await tick();
    }
    expect(sent).toEqual(["fails", "job 8", "job 12 of a later stage", "job 5", "job 2"]);
    expect((await Promise.all(results))[0]).toBe("refused");
  });
});

describe("platform statements", () => {
  it("reach the platform connections a later stage's first once all five are busy", async () => {
    const { platformSql } = await import("./db.server");
    const { Prisma } = await import("./generated/prisma/client");
    const answered: string[] = [];
    const statement = (label: string, seconds: number) => platformSql(Prisma.sql`SELECT pg_sleep(${seconds}::float8)`).then(() => answered.push(label));
    // The five connections come free 200 ms apart: each waiting statement has one to itself.
    const busy = Array.from({ length: 5 }, (_, i) => statement(`busy ${i}`, 0.2 * (i + 1)));
    const waiting = [
      inJobOrder({ priority: 0, id: "100" }, () => statement("enrichment", 0)),
      inJobOrder({ priority: -2, id: "200" }, () => statement("verification", 0)),
    ];
    await Promise.all([...busy, ...waiting]);
    expect(answered.filter((label) => !label.startsWith("busy"))).toEqual(["verification", "enrichment"]);
  });
});
