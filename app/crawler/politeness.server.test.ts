import { describe, expect, it } from "vitest";
import { inJobOrder } from "~/job-order.server";
import { createPoliteness, type Clock, type SharedHostGate } from "./politeness.server";

/** A clock that only moves when the test says so. */
function fakeClock() {
  let t = 0;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  const clock: Clock = {
    now: () => t,
    sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: t + ms, resolve })),
  };
  return {
    clock,
    flush,
    async advance(ms: number) {
      const target = t + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        t = next.at;
        next.resolve();
        await flush();
      }
      t = target;
      await flush();
    },
  };
}

describe("politeness", () => {
  it("spaces requests to one host by the minimum delay, and lets other hosts run meanwhile", async () => {
    const { clock, advance } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 16, clock });
    const starts: Array<[string, number]> = [];
    const task = (label: string) => async () => {
      starts.push([label, clock.now()]);
    };
    const all = Promise.all([
      gate.schedule("a.sg", task("a1")),
      gate.schedule("a.sg", task("a2")),
      gate.schedule("A.SG", task("a3")),
      gate.schedule("b.sg", task("b1")),
    ]);
    await advance(5000);
    await all;
    expect(starts).toEqual([
      ["a1", 0],
      ["b1", 0],
      ["a2", 1000],
      ["a3", 2000],
    ]);
  });

  it("measures the gap from the end of the previous request", async () => {
    const { clock, advance } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 4, clock });
    const starts: number[] = [];
    const slow = () => {
      starts.push(clock.now());
      return clock.sleep(3000);
    };
    const both = Promise.all([gate.schedule("a.sg", slow), gate.schedule("a.sg", slow)]);
    await advance(10_000);
    await both;
    expect(starts).toEqual([0, 4000]);
  });

  it("honours Crawl-delay up to the cap", async () => {
    const { clock, advance } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 4, clock });
    gate.setCrawlDelay("slow.sg", 5);
    gate.setCrawlDelay("greedy.sg", 120);
    expect(gate.delayMs("slow.sg")).toBe(5000);
    expect(gate.delayMs("greedy.sg")).toBe(10_000);
    gate.setCrawlDelay("tiny.sg", 0.2);
    expect(gate.delayMs("tiny.sg")).toBe(1000);
    const starts: number[] = [];
    const mark = async () => void starts.push(clock.now());
    const runs = Promise.all([gate.schedule("greedy.sg", mark), gate.schedule("greedy.sg", mark), gate.schedule("greedy.sg", mark)]);
    await advance(30_000);
    await runs;
    expect(starts).toEqual([0, 10_000, 20_000]);
  });

  it("keeps the global number of requests in flight under the limit", async () => {
    const { clock, advance, flush } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 0, maxCrawlDelayS: 10, concurrency: 2, clock });
    let peak = 0;
    const work = async () => {
      peak = Math.max(peak, gate.inFlight());
      await clock.sleep(100);
    };
    const runs = Promise.all(["a", "b", "c", "d", "e"].map((h) => gate.schedule(`${h}.sg`, work)));
    await flush();
    expect(gate.inFlight()).toBe(2);
    await advance(1000);
    await runs;
    expect(peak).toBe(2);
    expect(gate.inFlight()).toBe(0);
  });

  it("lets the requests of the job earliest in the queue go first when every request slot is taken", async () => {
    const { clock, advance, flush } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 0, maxCrawlDelayS: 10, concurrency: 1, clock });
    const order: string[] = [];
    const request = (label: string) => async () => {
      order.push(label);
      await clock.sleep(100);
    };
    // A late-queued company's request holds the one slot; then others ask, the earliest-queued job last.
    const requests = [
      inJobOrder({ priority: 0, id: "40" }, () => gate.schedule("holder.sg", request("job 40"))),
      inJobOrder({ priority: 0, id: "30" }, () => gate.schedule("c.sg", request("job 30"))),
      inJobOrder({ priority: 0, id: "20" }, () => gate.schedule("b.sg", request("job 20"))),
      inJobOrder({ priority: -2, id: "90" }, () => gate.schedule("verify.sg", request("job 90 (a later stage)"))),
      inJobOrder({ priority: 0, id: "10" }, () => gate.schedule("a.sg", request("job 10"))),
    ];
    await flush();
    await advance(1000);
    await Promise.all(requests);
    expect(order).toEqual(["job 40", "job 90 (a later stage)", "job 10", "job 20", "job 30"]);
  });

  it("counts requests made outside the queue", async () => {
    const { clock, advance } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 1, clock });
    gate.touch("a.sg");
    const next = gate.schedule("a.sg", async () => clock.now());
    await advance(2000);
    await expect(next).resolves.toBe(1000);
  });

  it("spaces a redirect hop from the answer before it and from its own host's last request", async () => {
    const { clock, advance } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 4, clock });
    const starts: Array<[string, number]> = [];
    gate.touch("www.a.sg");
    const done = gate.schedule("a.sg", async () => {
      starts.push(["a.sg/", clock.now()]);
      await gate.follow("a.sg", "www.a.sg");
      starts.push(["www.a.sg/", clock.now()]);
      await gate.follow("www.a.sg", "www.a.sg");
      starts.push(["www.a.sg/en/", clock.now()]);
    });
    await advance(5000);
    await done;
    expect(starts).toEqual([
      ["a.sg/", 0],
      ["www.a.sg/", 1000],
      ["www.a.sg/en/", 2000],
    ]);
  });

  it("keeps going after a failed request", async () => {
    const { clock, advance } = fakeClock();
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 1, clock });
    const failed = gate.schedule("a.sg", async () => {
      throw new Error("boom");
    });
    await expect(failed).rejects.toThrow("boom");
    const next = gate.schedule("a.sg", async () => clock.now());
    await advance(2000);
    await expect(next).resolves.toBe(1000);
  });

  it("waits a host's delay from the moment the shared gate recorded its last request, so the next claim is not refused", async () => {
    const { clock, advance } = fakeClock();
    // The shared record of a request's end is written when its lease is released, a round trip (here 40 ms) after it ended.
    const shared: SharedHostGate = {
      acquire: async () => ({ release: () => clock.sleep(40) }),
      touch: async () => {},
    };
    const gate = createPoliteness({ minDelayMs: 1000, maxCrawlDelayS: 10, concurrency: 4, clock, shared });
    const starts: number[] = [];
    const page = async () => void starts.push(clock.now());
    const pages = Promise.all([gate.schedule("a.sg", page), gate.schedule("a.sg", page), gate.schedule("a.sg", page)]);
    await advance(5000);
    await pages;
    expect(starts).toEqual([0, 1040, 2080]);
  });
});
