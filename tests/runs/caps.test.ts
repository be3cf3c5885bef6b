import { describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { dailyCapGuard } from "~/runs/caps.server";

/**
 * The per-tenant daily vendor cap (APIFY_DAILY_CAP) against real Postgres:
 * units are taken before a call, never past the cap, even by concurrent jobs.
 */
let tenantCount = 0;
async function newTenant(): Promise<string> {
  tenantCount += 1;
  const tenant = await platformDb.tenant.create({ data: { slug: `caps-${tenantCount}`, name: `Caps ${tenantCount}`, status: "active" } });
  return tenant.id;
}

const at = (iso: string) => () => new Date(iso);

describe("dailyCapGuard", () => {
  it("grants units up to the cap and refuses the rest of the Singapore day", async () => {
    const tenantId = await newTenant();
    const guard = dailyCapGuard(tenantId, 3, at("2026-11-23T02:00:00Z"));
    expect(await guard.tryConsume("apify_linkedin", 1)).toBe(true);
    expect(await guard.tryConsume("apify_linkedin", 2)).toBe(true);
    expect(await guard.tryConsume("apify_linkedin", 1)).toBe(false);
    // Another vendor has its own count; the next Singapore day starts afresh (16:00 UTC is midnight there).
    expect(await guard.tryConsume("lusha", 1)).toBe(true);
    expect(await dailyCapGuard(tenantId, 3, at("2026-11-23T16:00:00Z")).tryConsume("apify_linkedin", 1)).toBe(true);
  });

  it("never lets concurrent jobs pass the cap together", async () => {
    const tenantId = await newTenant();
    const guard = dailyCapGuard(tenantId, 5, at("2026-11-23T02:00:00Z"));
    const granted = await Promise.all(Array.from({ length: 20 }, () => guard.tryConsume("apify_linkedin", 1)));
    expect(granted.filter(Boolean)).toHaveLength(5);
  });

  it("keeps tenants apart, and a cap of 0 refuses everything", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    expect(await dailyCapGuard(a, 1, at("2026-11-23T02:00:00Z")).tryConsume("apify_linkedin", 1)).toBe(true);
    expect(await dailyCapGuard(b, 1, at("2026-11-23T02:00:00Z")).tryConsume("apify_linkedin", 1)).toBe(true);
    expect(await dailyCapGuard(a, 0).tryConsume("apify_linkedin", 1)).toBe(false);
  });
});
