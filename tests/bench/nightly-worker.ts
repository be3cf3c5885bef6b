import { startWorker } from "../../app/jobs/worker.server";

/**
 * One worker process of `bench:nightly -- --workers N`, as one of N machines
 * would run it: its own job queue connections, pools and vendor clients,
 * sharing only Postgres with the others. Configured by the environment the
 * bench passes down (WORKER_CONCURRENCY, DB_POOL_SIZE… as a deployment's);
 * its job poll interval is the bench's first argument when given, else the
 * worker's default. Stops on SIGTERM, printing the CPU seconds it used.
 */
const worker = await startWorker({ crontabFile: null, ...(process.argv[2] ? { pollInterval: Number(process.argv[2]) } : {}) });
process.stdout.write(`worker ${worker.workerId} ready\n`);
process.on("SIGTERM", () => {
  void worker.stop().then(() => {
    // The CPU this worker used, for the bench's CPU per company.
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpu_s: (user + system) / 1e6 })}\n`, () => process.exit(0));
  });
});
