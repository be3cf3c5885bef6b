import { startWorker } from "~/jobs/worker.server";

/** A worker process of its own for the SIGKILL test: runs jobs until it is killed. */
const worker = await startWorker({ concurrency: 8, pollInterval: 50, crontabFile: null });
process.stdout.write(`worker ${worker.workerId} ready\n`);
