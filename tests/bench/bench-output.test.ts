import { describe, expect, it } from "vitest";
import { isScenarioResult, lastJsonLine } from "./bench-output";

describe("a bench child's result line", () => {
  it("is found whatever the child printed after it", () => {
    const out = [
      '{"level":30,"msg":"worker started"}',
      '{"scenario":"concurrent","samples":[1.2,3.4]}',
      '{"level":30,"msg":"worker stopped"}',
      "graphile-worker: shutting down",
      "",
    ].join("\n");
    expect(lastJsonLine(out, isScenarioResult("concurrent"))).toEqual({ scenario: "concurrent", samples: [1.2, 3.4] });
  });

  it("is null when no line carries the scenario's samples", () => {
    expect(lastJsonLine('{"level":30}\n{"scenario":"db","samples":[1]}\n', isScenarioResult("concurrent"))).toBeNull();
    expect(lastJsonLine('{"scenario":"concurrent","samples":"x"}', isScenarioResult("concurrent"))).toBeNull();
    expect(lastJsonLine("", isScenarioResult("concurrent"))).toBeNull();
  });
});
