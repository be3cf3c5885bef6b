import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { log } from "../app/logger.server";
import { odooClient, odooSettings } from "../app/odoo/connection.server";
import { refillWarmPool, warmPoolConfig } from "../app/odoo/warm-pool.server";

/**
 * Tops the warm pool up (crontab, after each claim, and the admin's "Refill
 * now"). A failed copy is recorded on its row with a backoff instead of
 * failing the job, so one bad copy does not hold the others back.
 */
export default defineTask("refill_warm_pool", taskContracts.refill_warm_pool, async () => {
  const config = warmPoolConfig(odooSettings().masterPassword);
  if (config.size === 0) return;
  const result = await refillWarmPool(odooClient(), config);
  log().info({ warmPool: { made: result.made.length, failed: result.failed.length } }, "warm pool refilled");
});
