import { describe, expect, it } from "vitest";
import { ConcurrencyGate } from "./concurrency.server";

describe("ConcurrencyGate", () => {
  it("lets each key hold its share, refuses past it, and counts a release once", () => {
    const gate = new ConcurrencyGate(
      () => 2,
      () => 3,
    );
    const a1 = gate.enter("a");
    const a2 = gate.enter("a");
    expect(gate.enter("a")).toEqual({ refused: "key" });
    const b1 = gate.enter("b");
    expect(gate.enter("c")).toEqual({ refused: "overall" });
    if (!("release" in a1) || !("release" in a2) || !("release" in b1)) throw new Error("expected slots");
    a1.release();
    a1.release();
    expect(gate.heldBy("a")).toBe(1);
    expect("release" in gate.enter("c")).toBe(true);
    expect(gate.enter("a")).toEqual({ refused: "overall" });
  });
});
