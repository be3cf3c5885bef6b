import { type Clock } from "~/vendors/rate-limit.server";

/** Virtual time for a client, its limiter and a simulator: sleeping just moves it forward, and each sleep is recorded. */
export function fakeClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}
