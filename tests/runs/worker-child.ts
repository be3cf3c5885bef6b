import { keepWorkingThroughConnectionLoss } from "~/jobs/queue-pool.server";
import { startWorker } from "~/jobs/worker.server";
import { rootLogger } from "~/logger.server";
import { DRILL_HEARTBEAT_MS } from "../support/drill-heartbeat";

/** A worker process of its own for the SIGKILL and restart drills, set up as `npm run worker` sets up its own. */
keepWorkingThroughConnectionLoss(rootLogger);
const worker = await startWorker({ concurrency: 8, pollInterval: 50, crontabFile: null, heartbeatMs: DRILL_HEARTBEAT_MS });
process.stdout.write(`worker ${worker.workerId} ready\n`);
