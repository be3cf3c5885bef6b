import "./load-dotenv";
import { requireEnvOrExit } from "../env.server";
import { enqueue } from "../jobs/enqueue.server";
import { keepWorkingThroughConnectionLoss } from "../jobs/queue-pool.server";
import { startWorker } from "../jobs/worker.server";
import { rootLogger } from "../logger.server";
import { serveWorkerMetrics } from "../metrics/exposition.server";
import { REFILL_WARM_POOL_JOB_KEY } from "../odoo/warm-pool.server";

const config = requireEnvOrExit();
keepWorkingThroughConnectionLoss(rootLogger);
const worker = await startWorker();
rootLogger.info({ workerId: worker.workerId }, "worker started");
// A fresh deployment (or `npm run dev`) has its warm pool ready within seconds, not at the next five-minute tick.
if (config.ODOO_WARM_POOL_SIZE > 0) await enqueue("refill_warm_pool", {}, { jobKey: REFILL_WARM_POOL_JOB_KEY, jobKeyMode: "replace" });
if (config.WORKER_METRICS_PORT) {
  await serveWorkerMetrics(config.WORKER_METRICS_PORT);
  rootLogger.info({ port: config.WORKER_METRICS_PORT }, "worker metrics at /metrics");
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  rootLogger.info({ signal }, "worker stopping (finishing running jobs)");
  await worker.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
