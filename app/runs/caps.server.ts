import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { singaporeDate } from "~/utils/singapore-time";
import { type CapGuard } from "~/vendors/apify.server";

/**
 * Daily vendor caps per tenant, checked BEFORE a call: the units are taken
 * with one atomic statement that refuses when the day's total would pass the
 * cap, so concurrent jobs cannot overshoot it together.
 */
export function dailyCapGuard(tenantId: string, cap: number, now: () => Date = () => new Date()): CapGuard {
  return {
    async tryConsume(vendor, units) {
      if (cap <= 0) return false;
      const day = singaporeDate(now());
      // Every actor run of the tenant's day updates this row: one statement, so it is locked only while the server runs it.
      const { rows } = await db.$tenantSql(
        tenantId,
        Prisma.sql`
          INSERT INTO vendor_daily_usage (day, vendor, units, calls)
          SELECT ${day}::date, ${vendor}, ${units}, 1 WHERE ${units} <= ${cap}
          ON CONFLICT (tenant_id, day, vendor) DO UPDATE
            SET units = vendor_daily_usage.units + EXCLUDED.units, calls = vendor_daily_usage.calls + 1
            WHERE vendor_daily_usage.units + EXCLUDED.units <= ${cap}
          RETURNING units`,
      );
      return rows.length > 0;
    },
  };
}
