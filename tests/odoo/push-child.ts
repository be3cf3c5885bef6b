import { type JobHelpers } from "graphile-worker";
import { toGraphileTask } from "~/jobs/define-task.server";
import pushRunToOdoo from "../../tasks/push_run_to_odoo";

/**
 * A stand-in worker process for the SIGKILL test: runs one push_run_to_odoo
 * job the way graphile-worker would, and is killed part-way by the test.
 */
const [tenantId, runId] = process.argv.slice(2);
const helpers = { job: { id: "sigkill-child", attempts: 1 } } as unknown as JobHelpers;
await toGraphileTask(pushRunToOdoo)({ tenantId, runId }, helpers);
process.stdout.write("push finished\n");
process.exit(0);
