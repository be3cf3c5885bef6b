import { singleton } from "~/singleton.server";

/**
 * Caps on long-lived responses held at once, per user and per web process:
 * an export holds a connection of this process's export pool and a stream
 * holds a socket here, so the process is what they protect. (A user may
 * hold that many on each instance; the shared rate limits bound how fast
 * they are opened.) `enter` returns the release, or null when over a cap.
 */
export class ConcurrencyGate {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perKey: () => number,
    private readonly overall: () => number = () => Number.POSITIVE_INFINITY,
  ) {}

  enter(key: string): { release: () => void } | { refused: "key" | "overall" } {
    const mine = this.held.get(key) ?? 0;
    if (mine >= this.perKey()) return { refused: "key" };
    if (this.total >= this.overall()) return { refused: "overall" };
    this.held.set(key, mine + 1);
    this.total++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.held.get(key) ?? 1) - 1;
        if (left > 0) this.held.set(key, left);
        else this.held.delete(key);
      },
    };
  }

  heldBy(key: string): number {
    return this.held.get(key) ?? 0;
  }
}

export function gate(name: string, perKey: () => number, overall?: () => number): ConcurrencyGate {
  return singleton(`gate:${name}`, () => new ConcurrencyGate(perKey, overall));
}
