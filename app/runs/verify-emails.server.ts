import { performance } from "node:perf_hooks";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type EmailVerification } from "~/vendors/zerobounce.server";
import { raiseRunAlert } from "./alerts.server";
import { leadEngineClients } from "./clients.server";
import { VERIFICATION_FRESH_DAYS } from "./queue-emails.server";
import { addVendorUsage, logStep, VENDOR_UNIT_COST_USD } from "./run-log.server";

/**
 * Email verification for a run, batched across its companies (those waiting
 * on it, and those still enriching whose site addresses are queued): up to 200
 * pending addresses per ZeroBounce call (the client keeps to 5 calls a
 * minute). Results go into the 90-day cache. Without ZeroBounce, or when it
 * fails, addresses become `unknown` and are tried again next run. When to
 * call is the verification job's decision (company-job.server.ts): here the
 * pending addresses go, oldest first and as many as the job's pass allows (as
 * many calls as ZeroBounce's window has room for), in as few calls as the
 * batch size allows.
 * Returns the companies whose addresses are now all settled.
 */
export const BATCH = 200;

/** The run's companies whose pending addresses verification takes: those waiting on it, and those still enriching (their site addresses are queued early). */
export const VERIFYING_COMPANY = Prisma.sql`rc.status IN ('awaiting_verification', 'running')`;

/** lead_emails.sub_status of an address left `unknown` because the API failed, not the mailbox: the next run asks again. */
export const VERIFICATION_API_ERROR = "api_error";

/** At most a window's worth of calls per pass (ZeroBounce allows five a minute): a larger backlog is the next pass's. */
export const PASS_ADDRESSES = BATCH * 5;

export async function verifyPendingEmails(tenantId: string, runId: string, maxAddresses = PASS_ADDRESSES): Promise<string[]> {
  const { zeroBounce } = leadEngineClients();
  const pendingNow = await db.$withTenant(tenantId, async (tx) => {
    // An address another company of the run had verified after this one queued it takes that verdict, without a call.
    await tx.$executeRaw`
      WITH settled AS (
        UPDATE lead_emails e SET verification_status = v.status, sub_status = v.sub_status, verified_at = v.checked_at, updated_at = now()
        FROM run_companies rc, email_verifications v
        WHERE rc.run_id = ${runId}::uuid AND rc.uen = e.uen AND ${VERIFYING_COMPANY} AND e.verification_status = 'pending'
          AND v.email = e.email AND v.status <> 'unknown' AND v.checked_at > now() - make_interval(days => ${VERIFICATION_FRESH_DAYS}::int)
        RETURNING 1)
      INSERT INTO run_vendor_usage (run_id, vendor, cache_hits)
      SELECT ${runId}::uuid, 'zerobounce', count(*)::int FROM settled HAVING count(*) > 0
      ON CONFLICT (tenant_id, run_id, vendor) DO UPDATE SET cache_hits = run_vendor_usage.cache_hits + EXCLUDED.cache_hits, updated_at = now()`;
    // The addresses pending now, and only those: addresses that arrive during these calls wait for the next
    // pass, so the companies verified here are handed to scoring without waiting for the run's enrichment to end.
    // Distinct addresses, oldest first, each with every company of the run that waits on it: ZeroBounce is asked
    // once per address and a call carries 200 of them (companies sharing a website share its addresses).
    return tx.$queryRaw<Array<{ uen: string; email: string }>>`
      WITH pending AS (
        SELECT e.uen, e.email, rc.updated_at FROM lead_emails e
        JOIN run_companies rc ON rc.uen = e.uen AND rc.run_id = ${runId}::uuid AND ${VERIFYING_COMPANY}
        WHERE e.verification_status = 'pending'),
      picked AS (SELECT email, min(updated_at) AS queued_at FROM pending GROUP BY email ORDER BY queued_at, email LIMIT ${maxAddresses})
      SELECT p.uen, p.email FROM pending p JOIN picked USING (email) ORDER BY picked.queued_at, p.email, p.uen`;
  });
  const batches: Array<Array<{ uen: string; email: string }>> = [];
  let addresses = 0;
  for (const [i, row] of pendingNow.entries()) {
    if (i === 0 || row.email !== pendingNow[i - 1]!.email) {
      if (addresses % BATCH === 0) batches.push([]);
      addresses += 1;
    }
    batches.at(-1)!.push(row);
  }
  // The calls go out together: the pass takes no more than the window has room for, and ZeroBounce may take
  // up to 70 s over a call, so one after another would start each later call (and its place in the window) late.
  await Promise.all(batches.map((pending) => verifyBatch(tenantId, runId, zeroBounce, pending)));

  // Companies waiting on verification with nothing pending (any more) can be scored.
  const ready = await db.$withTenant(
    tenantId,
    (tx) =>
      tx.$queryRaw<Array<{ uen: string }>>`
      SELECT rc.uen FROM run_companies rc
      WHERE rc.run_id = ${runId}::uuid AND rc.status = 'awaiting_verification'
        AND NOT EXISTS (SELECT 1 FROM lead_emails e WHERE e.uen = rc.uen AND e.verification_status = 'pending')`,
  );
  return ready.map((r) => r.uen);
}

/** One ZeroBounce call for up to 200 addresses, and its verdicts written for every company waiting on them. */
async function verifyBatch(
  tenantId: string,
  runId: string,
  zeroBounce: ReturnType<typeof leadEngineClients>["zeroBounce"],
  pending: ReadonlyArray<{ uen: string; email: string }>,
) {
  const started = performance.now();
  const emails = [...new Set(pending.map((p) => p.email))];
  let results: EmailVerification[];
  let failure: string | null = null;
  if (zeroBounce) {
    results = await zeroBounce.validateBatch(emails);
    if (results.every((r) => r.status === "unknown" && r.error)) failure = results[0]?.error ?? "ZeroBounce error";
  } else {
    results = pending.map((p) => ({ email: p.email, status: "unknown", vendorStatus: null, vendorSubStatus: null, freeEmail: null, didYouMean: null }));
  }
  const byEmail = new Map(results.map((r) => [r.email.toLowerCase(), r]));
  const outcomes = pending.map((item) => {
    const result = byEmail.get(item.email.toLowerCase());
    const status = result?.status ?? "unknown";
    return {
      ...item,
      status,
      subStatus: result?.error ? VERIFICATION_API_ERROR : (result?.vendorSubStatus ?? null),
      vendorSubStatus: result?.vendorSubStatus ?? null,
    };
  });
  // An `unknown` is not cached: the next run asks again. One row per address (two companies may share one).
  const cacheable = zeroBounce ? [...new Map(outcomes.filter((o) => o.status !== "unknown").map((o) => [o.email, o])).values()] : [];
  await db.$withTenant(tenantId, async (tx) => {
    const now = new Date();
    // The whole batch in two statements: a transaction of 200 addresses stays short even on a busy database.
    await tx.$executeRaw`
      UPDATE lead_emails e SET verification_status = v.status, sub_status = v.sub_status, verified_at = ${now}, updated_at = ${now}
      FROM unnest(${outcomes.map((o) => o.uen)}::text[], ${outcomes.map((o) => o.email)}::text[],
                  ${outcomes.map((o) => o.status)}::text[], ${outcomes.map((o) => o.subStatus)}::text[]) AS v(uen, email, status, sub_status)
      WHERE e.uen = v.uen AND e.email = v.email`;
    if (cacheable.length > 0) {
      await tx.$executeRaw`
        INSERT INTO email_verifications (email, status, sub_status, checked_at)
        SELECT v.email, v.status, v.sub_status, ${now}
        FROM unnest(${cacheable.map((o) => o.email)}::text[], ${cacheable.map((o) => o.status)}::text[], ${cacheable.map((o) => o.vendorSubStatus)}::text[]) AS v(email, status, sub_status)
        ON CONFLICT (tenant_id, email) DO UPDATE SET status = EXCLUDED.status, sub_status = EXCLUDED.sub_status, checked_at = EXCLUDED.checked_at`;
    }
    if (zeroBounce) {
      await addVendorUsage(tx, runId, "zerobounce", {
        calls: 1,
        units: emails.length,
        costUsd: emails.length * (VENDOR_UNIT_COST_USD.zerobounce ?? 0),
        errors: failure ? 1 : 0,
      });
    }
    await logStep(tx, {
      runId,
      stage: "verify",
      event: "batch",
      status: failure ? "error" : zeroBounce ? "ok" : "skipped",
      tool: zeroBounce ? "zerobounce" : undefined,
      durationMs: performance.now() - started,
      args: { emails: emails.length, verified: results.filter((r) => r.status === "verified").length },
      message: failure
        ? `ZeroBounce failed (${failure}); addresses marked unknown, retried next run`
        : zeroBounce
          ? undefined
          : "ZeroBounce not configured: addresses left unknown",
    });
  });
  if (failure) {
    // ZeroBounce's one body error for a refused key and for an account out of credits (vendor quota errors raise an alert).
    const kind = /ran out of credits/i.test(failure) ? "vendor_quota" : "vendor_error";
    await raiseRunAlert(tenantId, runId, kind, "warning", `Email verification failed: ${failure}. Addresses are marked unknown and retried next run.`, {
      vendor: "zerobounce",
    });
  }
}
