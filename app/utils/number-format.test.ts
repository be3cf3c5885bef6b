import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatMoney, formatPercent, formatUsd } from "./number-format";

describe("number formatting", () => {
  it("groups counts and rounds them to whole numbers", () => {
    expect(formatCount(12_345)).toBe("12,345");
    expect(formatCount(2.6)).toBe("3");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(null)).toBe("—");
  });

  it("shows rates as whole percents, with one decimal under 10 %", () => {
    expect(formatPercent(0.753)).toBe("75 %");
    expect(formatPercent(0.052)).toBe("5.2 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(undefined)).toBe("—");
  });

  it("keeps fractions of a cent in vendor costs", () => {
    expect(formatUsd(0.0054)).toMatch(/^US\$0\.0054$/);
    expect(formatUsd(12)).toMatch(/^US\$12\.00$/);
    expect(formatUsd(undefined)).toBe("—");
  });

  it("shows deal amounts in whole units of their currency, or as a plain number without one", () => {
    expect(formatMoney(12_345.4, "SGD")).toBe("$12,345");
    expect(formatMoney(1_000, "USD")).toBe("US$1,000");
    expect(formatMoney(12_345.6, null)).toBe("12,346");
    expect(formatMoney(null, "SGD")).toBe("—");
  });
});

describe("formatBytes", () => {
  it("shows a file size in the largest unit under a thousand", () => {
    expect(formatBytes(912)).toBe("912 B");
    expect(formatBytes(1_500_000)).toBe("1.5 MB");
    expect(formatBytes(23_400)).toBe("23 KB");
  });
});
