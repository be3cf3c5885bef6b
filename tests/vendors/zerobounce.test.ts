import { afterEach, describe, expect, it } from "vitest";
import { Unauthorized } from "~/vendors/errors.server";
import { createCallLimiter } from "~/vendors/rate-limit.server";
import { createZeroBounceClient, mapZeroBounceStatus, type ZeroBounceConfig } from "~/vendors/zerobounce.server";
import { startZeroBounceSimulator, type ZeroBounceSimOptions } from "../sims/vendors/zerobounce-sim";
import { fakeClock } from "../support/fake-clock";

type Sim = Awaited<ReturnType<typeof startZeroBounceSimulator>>;
let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(options: ZeroBounceSimOptions = {}, config: Partial<ZeroBounceConfig> = {}) {
  const clock = fakeClock();
  const started = await startZeroBounceSimulator({ now: clock.now, ...options });
  sim = started;
  const client = createZeroBounceClient({ baseUrl: `${started.url}/v2`, apiKey: "zb-simulator-key", clock, ...config });
  return { sim: started, client, clock };
}

const emails = (n: number) => Array.from({ length: n }, (_, i) => `person${i}@lioncityrobotics.sg`);

describe("mapZeroBounceStatus", () => {
  it.each([
    ["valid", "", "verified"],
    ["valid", "alias_address", "verified"],
    ["invalid", "mailbox_not_found", "invalid"],
    ["invalid", "mailbox_quota_exceeded", "unknown"],
    ["catch-all", "", "catch_all"],
    ["unknown", "greylisted", "unknown"],
    ["spamtrap", "", "do_not_mail"],
    ["abuse", "", "do_not_mail"],
    ["do_not_mail", "role_based", "do_not_mail"],
    ["do_not_mail", "disposable", "do_not_mail"],
    ["something-new", "", "unknown"],
  ])("%s/%s → %s", (status, sub, ours) => {
    expect(mapZeroBounceStatus(status, sub)).toBe(ours);
  });
});

describe("ZeroBounce client against the simulator", () => {
  it("validates a batch and maps every status", async () => {
    const { client } = await setup();
    const out = await client.validateBatch([
      "WeiMing.Tan@LionCityRobotics.sg",
      "bounce@lioncityrobotics.sg",
      "sarah@marinabaylogistics.com.sg",
      "info@lioncityrobotics.sg",
      "greylist@lioncityrobotics.sg",
      "trap@lioncityrobotics.sg",
      "someone@gmail.com",
    ]);
    expect(out.map((r) => [r.email, r.status])).toEqual([
      ["weiming.tan@lioncityrobotics.sg", "verified"],
      ["bounce@lioncityrobotics.sg", "invalid"],
      ["sarah@marinabaylogistics.com.sg", "catch_all"],
      ["info@lioncityrobotics.sg", "do_not_mail"],
      ["greylist@lioncityrobotics.sg", "unknown"],
      ["trap@lioncityrobotics.sg", "do_not_mail"],
      ["someone@gmail.com", "verified"],
    ]);
    expect(out[3]).toMatchObject({ vendorStatus: "do_not_mail", vendorSubStatus: "role_based", freeEmail: false });
    expect(out[6]!.freeEmail).toBe(true);
  });

  it("splits 450 addresses into three calls of at most 200", async () => {
    const { client, sim } = await setup();
    const out = await client.validateBatch(emails(450));
    expect(out).toHaveLength(450);
    expect(out.every((r) => r.status === "verified")).toBe(true);
    expect(sim.stats.byPath["/v2/validatebatch"]).toBe(3);
    expect(sim.stats.items).toBe(450);
  });

  it("never sends more than 5 batch calls in any minute", async () => {
    const { client, sim, clock } = await setup();
    const out = await client.validateBatch(emails(1_500));
    expect(out.filter((r) => r.status === "verified")).toHaveLength(1_500);
    expect(sim.batchCalls).toHaveLength(8);
    expect(sim.blockedUntil()).toBe(0);
    for (const t of sim.batchCalls) {
      expect(sim.batchCalls.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(5);
    }
    expect(clock.slept.length).toBeGreaterThan(0);
  });

  it("shows why the limiter matters: the simulator blocks the key on the sixth call in a minute, and the client waits the block out", async () => {
    const { client, sim, clock } = await setup({}, { batchCallsPerMinute: 100, batchSize: 10 });
    const out = await client.validateBatch(emails(70));
    expect(out.slice(0, 50).every((r) => r.status === "verified")).toBe(true);
    expect(out.slice(50, 60).every((r) => r.status === "unknown" && /blocked/.test(r.error ?? ""))).toBe(true);
    expect(sim.blockedUntil()).toBeGreaterThan(0);
    // No call while the key was blocked: the seventh went once the block had lifted.
    expect(out.slice(60).every((r) => r.status === "verified")).toBe(true);
    expect(sim.stats.limitBreaches).toBe(1);
    expect(clock.now()).toBeGreaterThanOrEqual(sim.blockedUntil());
  });

  it("waits out a block answered in the body with HTTP 200 as well", async () => {
    const { client, sim } = await setup({ blockedReply: "body200" }, { batchCallsPerMinute: 100, batchSize: 10 });
    const out = await client.validateBatch(emails(80));
    expect(out.slice(50, 60).every((r) => r.status === "unknown" && /blocked/.test(r.error ?? ""))).toBe(true);
    expect(out.slice(60).every((r) => r.status === "verified")).toBe(true);
    expect(sim.stats.limitBreaches).toBe(1);
  });

  it("marks every address unknown on a bad key instead of throwing", async () => {
    const { sim } = await setup();
    const client = createZeroBounceClient({ baseUrl: `${sim.url}/v2`, apiKey: "wrong" });
    const out = await client.validateBatch(["a@lioncityrobotics.sg", "b@lioncityrobotics.sg"]);
    expect(out.map((r) => r.status)).toEqual(["unknown", "unknown"]);
    expect(out[0]!.error).toMatch(/Invalid API Key/i);
    await expect(client.getCredits()).rejects.toBeInstanceOf(Unauthorized);
    expect((await client.validate("a@lioncityrobotics.sg")).status).toBe("unknown");
  });

  it("marks every address unknown on server faults and timeouts", async () => {
    const faulty = await setup({ faultRate: 1 });
    const out = await faulty.client.validateBatch(emails(3));
    expect(out.every((r) => r.status === "unknown" && /HTTP 5\d\d|server/i.test(r.error ?? ""))).toBe(true);
    await faulty.sim.close();
    const slow = await setup({ latencyMs: 400 }, { timeoutMs: 50 });
    const late = await slow.client.validateBatch(emails(2));
    expect(late.every((r) => r.status === "unknown" && /no answer/.test(r.error ?? ""))).toBe(true);
  });

  it("validates one address and reads the credit balance", async () => {
    const { client, sim } = await setup({ credits: 10 });
    expect(await client.validate("bounce@lioncityrobotics.sg")).toMatchObject({ status: "invalid", vendorSubStatus: "mailbox_not_found" });
    expect(await client.getCredits()).toBe(9);
    expect(sim.credits()).toBe(9);
  });
});

describe("createCallLimiter", () => {
  it("waits for the oldest call to leave the window", async () => {
    const clock = fakeClock(0);
    const limiter = createCallLimiter(2, 60_000, clock);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.take();
      times.push(clock.now());
    }
    expect(times).toEqual([0, 0, 60_001, 60_001, 120_002]);
  });
});
