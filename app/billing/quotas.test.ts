import { describe, expect, it } from "vitest";
import { assertQuota, checkQuota, QuotaExceededError, refusedQuota, type PlanQuotas } from "./quotas";

const starter: PlanQuotas = { code: "starter", name: "Starter", runsPerDay: 2, companiesPerMonth: 100, seats: 3, lakeSources: null, exportsPerMonth: 0 };

describe("checkQuota", () => {
  it("allows up to the limit and counts what remains", () => {
    expect(checkQuota(starter, "runsPerDay", 0)).toEqual({ allowed: true, remaining: 1 });
    expect(checkQuota(starter, "runsPerDay", 1)).toEqual({ allowed: true, remaining: 0 });
  });

  it("refuses past the limit with the plan, the limit and the use in its message", () => {
    const decision = checkQuota(starter, "runsPerDay", 2);
    expect(decision).toEqual({
      allowed: false,
      limit: 2,
      used: 2,
      message: "The Starter plan allows 2 manual runs per day (2 used today). Ask your administrator to change the plan.",
    });
  });

  it("weighs a batch as a whole", () => {
    expect(checkQuota(starter, "companiesPerMonth", 60, 40).allowed).toBe(true);
    expect(checkQuota(starter, "companiesPerMonth", 60, 41).allowed).toBe(false);
  });

  it("treats null as unlimited and zero as none at all", () => {
    expect(checkQuota(starter, "lakeSources", 10_000)).toEqual({ allowed: true, remaining: null });
    const none = checkQuota(starter, "exportsPerMonth", 0);
    expect(none.allowed).toBe(false);
    expect(!none.allowed && none.message).toContain("0 exports per month (0 used this month)");
  });

  it("words quotas without a period as what is in use", () => {
    const seats = checkQuota(starter, "seats", 3);
    expect(!seats.allowed && seats.message).toContain("3 seats (3 in use)");
  });
});

describe("assertQuota", () => {
  it("throws a 402 naming the quota when refused, and nothing when allowed", () => {
    expect(() => assertQuota(starter, "seats", 2)).not.toThrow();
    try {
      assertQuota(starter, "seats", 3);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(QuotaExceededError);
      expect((error as QuotaExceededError).status).toBe(402);
      expect((error as QuotaExceededError).quota).toBe("seats");
    }
  });
});

describe("refusedQuota", () => {
  it("hands back a refused quota to answer with, and throws any other failure on", async () => {
    const refused = new QuotaExceededError("seats", "no seat");
    await expect(Promise.reject(refused).catch(refusedQuota)).resolves.toBe(refused);
    await expect(Promise.reject(new Error("database down")).catch(refusedQuota)).rejects.toThrow("database down");
  });
});
