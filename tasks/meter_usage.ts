import { meterUsage } from "../app/billing/metering.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { log } from "../app/logger.server";
import { singaporeDate } from "../app/utils/singapore-time";

/** Cron: hourly keeps today's usage current; the daily pass also measures storage and settles yesterday. */
export default defineTask("meter_usage", taskContracts.meter_usage, async ({ storage }) => {
  const now = new Date();
  const yesterday = singaporeDate(new Date(now.getTime() - 86_400_000));
  const { rows } = await meterUsage({ from: yesterday, to: singaporeDate(now), storage });
  log().info({ usage: { rows, storage } }, "usage metered");
});
