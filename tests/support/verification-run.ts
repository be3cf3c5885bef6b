/**
 * Runs waiting on email verification, for the tests of the verification job.
 * The database module is imported late: the test file's simulator sets the environment first.
 */
/** A run with `waiting` companies awaiting verification (each with `perCompany` fresh addresses) and `enriching` still running. */
export async function runWith(slug: string, waiting: number, perCompany: number, enriching: number) {
  const { db, platformDb } = await import("~/db.server");
  const tenant = await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  const uens = Array.from({ length: waiting + enriching }, (_, i) => `2011${String(i).padStart(5, "0")}A`);
  const run = await db.$withTenant(tenant.id, async (tx) => {
    const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-05"), targetCount: uens.length } });
    // One by one: each waiting company's updated_at (when it queued its addresses) comes after the previous one's.
    for (const uen of uens.slice(0, waiting)) await tx.runCompany.create({ data: { runId: run.id, uen, status: "awaiting_verification" } });
    await tx.runCompany.createMany({ data: uens.slice(waiting).map((uen) => ({ runId: run.id, uen, status: "running" })) });
    await tx.leadEmail.createMany({
      data: uens
        .slice(0, waiting)
        .flatMap((uen) => Array.from({ length: perCompany }, (_, j) => ({ uen, email: `person${j}@c${uen.toLowerCase()}.sg`, source: "website" }))),
    });
    return run;
  });
  return { tenantId: tenant.id, runId: run.id, uens: uens.slice(0, waiting) };
}

export async function lastCallAgo(tenantId: string, runId: string, ms: number) {
  const { db } = await import("~/db.server");
  await db.$withTenant(tenantId, (tx) =>
    tx.runEventLog.create({ data: { runId, stage: "verify", event: "batch", status: "ok", createdAt: new Date(Date.now() - ms) } }),
  );
}

export async function verificationState(tenantId: string, runId: string) {
  const { db, platformDb } = await import("~/db.server");
  const pending = await db.$withTenant(tenantId, (tx) => tx.leadEmail.count({ where: { verificationStatus: "pending" } }));
  const jobs = await platformDb.$queryRaw<Array<{ task: string; key: string; priority: number }>>`
    SELECT t.identifier AS task, j.key, j.priority FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.payload->>'runId' = ${runId} ORDER BY t.identifier, j.key`;
  return { pending, jobs };
}
