import { randomUUID } from "node:crypto";
import { type JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { syncLakeSourceJob } from "./sync-job.server";
import { requestSync } from "./sync-requests.server";

const firstAttempt = { job: { attempts: 1, max_attempts: 6 } } as unknown as Pick<JobHelpers, "job">;

describe("syncLakeSourceJob", () => {
  it.each(["odoo", "m365"] as const)("fails a %s sync whose source is not connected, with the reason, so the next one can be queued", async (source) => {
    const tenant = await platformDb.tenant.create({ data: { slug: `job-${randomUUID().slice(0, 8)}`, name: "Job Co", status: "active" } });
    const { syncRunId } = await requestSync(tenant.id, { source, mode: "incremental", trigger: "manual", queue: false });
    await syncLakeSourceJob(tenant.id, syncRunId, firstAttempt);
    const run = await db.$withTenant(tenant.id, (tx) => tx.lakeSyncRun.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: syncRunId } } }));
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(new RegExp(`The ${source} source is not connected`));
    const next = await requestSync(tenant.id, { source, mode: "incremental", trigger: "manual", queue: false });
    expect(next.alreadyActive).toBe(false);
  });
});
