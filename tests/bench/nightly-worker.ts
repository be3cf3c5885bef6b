import { startWorker } from "../../app/jobs/worker.server";

/**
 * One worker process of `bench:nightly -- --workers N`, as one of N machines
 * would run it: its own job queue connections, pools and vendor clients,
 * sharing only Postgres with the others. Configured by the environment the
 * bench passes down (WORKER_CONCURRENCY, DB_POOL_SIZE… as a deployment's);
 * stops on SIGTERM.
 */
const worker = await startWorker({ pollInterval: 100, crontabFile: null });
process.stdout.write(`worker ${worker.workerId} ready\n`);
process.on("SIGTERM", () => {
  void worker.stop().then(() => process.exit(0));
});
