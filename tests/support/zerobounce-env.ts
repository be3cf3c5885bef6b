import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { startZeroBounceSimulator, type ZeroBounceSimOptions } from "../sims/vendors/zerobounce-sim";

export type ZeroBounceSimulator = Awaited<ReturnType<typeof startZeroBounceSimulator>>;

/** A ZeroBounce simulator for the test file, with the environment that points the product's client at it; returns a getter for it. */
export function zeroBounceSimulatorForFile(apiKey: string, options: Omit<ZeroBounceSimOptions, "apiKey"> = {}): () => ZeroBounceSimulator {
  let sim: ZeroBounceSimulator | undefined;
  beforeAll(async () => {
    sim = await startZeroBounceSimulator({ ...options, apiKey });
    Object.assign(process.env, {
      ZEROBOUNCE_BASE_URL: `${sim.url}/v2`,
      ZEROBOUNCE_API_KEY: apiKey,
      SECRET_KEYS: process.env.SECRET_KEYS ?? `test:${randomBytes(32).toString("base64")}`,
    });
  });
  afterAll(async () => {
    await sim?.close();
  });
  return () => sim!;
}
