import { describe, expect, it } from "vitest";
import { metricsAccess } from "./access.server";

const token = "s3cret-metrics-token-0123456789";

describe("metricsAccess", () => {
  it("with a token set, admits exactly its bearer", () => {
    for (const production of [true, false]) {
      expect(metricsAccess(`Bearer ${token}`, { token, production })).toBe("allowed");
      expect(metricsAccess(`bearer ${token}`, { token, production })).toBe("allowed");
      expect(metricsAccess(null, { token, production })).toBe("unauthorized");
      expect(metricsAccess(`Bearer ${token}x`, { token, production })).toBe("unauthorized");
      expect(metricsAccess(`Bearer ${token.slice(1)}`, { token, production })).toBe("unauthorized");
      expect(metricsAccess(`Basic ${token}`, { token, production })).toBe("unauthorized");
      expect(metricsAccess("Bearer ", { token, production })).toBe("unauthorized");
    }
  });

  it("without a token, is open in development and tests and absent in production", () => {
    expect(metricsAccess(null, { token: undefined, production: false })).toBe("allowed");
    expect(metricsAccess(`Bearer ${token}`, { token: undefined, production: true })).toBe("not_found");
    expect(metricsAccess(null, { token: undefined, production: true })).toBe("not_found");
  });
});
