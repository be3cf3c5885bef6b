import { afterEach } from "vitest";

type Closable = { close(): Promise<void> };

/**
 * What a test starts (recording servers, simulators) is closed after it;
 * call the returned function on each one as it starts, and use what it returns.
 */
export function closedAfterEach(): <T extends Closable>(started: T) => T {
  const started: Closable[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return (s) => {
    started.push(s);
    return s;
  };
}
