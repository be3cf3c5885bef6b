import { describe, expect, it } from "vitest";
import { vendorFailureAlert } from "./alerts.server";

describe("vendorFailureAlert", () => {
  it("raises quota and rate-limit failures of any vendor, the LLM's included", () => {
    expect(vendorFailureAlert("llm", "RateLimited")).toMatchObject({ kind: "vendor_rate_limit", severity: "info" });
    expect(vendorFailureAlert("llm", "QuotaExceeded")).toMatchObject({ kind: "vendor_quota", severity: "warning" });
    expect(vendorFailureAlert("tavily", "QuotaExceeded")?.message).toContain("tavily");
  });

  it("leaves other failures to the run's degraded reasons", () => {
    for (const name of ["Unavailable", "Timeout", "BadResponse", undefined]) expect(vendorFailureAlert("llm", name), String(name)).toBeNull();
  });
});
