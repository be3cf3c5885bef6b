import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, platformDb } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { dailyCapGuard } from "~/runs/caps.server";
import { scheduleVerification, settle } from "~/runs/company-job.server";
import { stepRecorder } from "~/runs/enrichment-step.server";
import { loadRunContext } from "~/runs/run-context.server";
import { scoreCompanies } from "~/runs/score-stage.server";
import { recordVendorUsage } from "~/runs/vendor-calls.server";
import { rationaleFor } from "~/scoring/rationale.server";
import { scoreLead, type LeadSignals } from "~/scoring/score";
import { reserveTokens, settleTokens, tokenBudgetStatus } from "~/scoring/token-budget.server";
import { createLlmClient } from "~/vendors/llm.server";
import { startLlmSimulator } from "../sims/vendors/llm-sim";
import { seedRegistryCompanies } from "../support/lead-fixtures";
import { TYPICAL_LEAD_SIGNALS } from "../support/lead-signals";
import { recordSentStatements } from "../support/sent-statements";

/**
 * Rows every job of a tenant updates — the day's Apify cap, the day's LLM
 * token budget, a run's vendor counters — and the writes every stage of
 * every company makes (its stage and step event) are written in one statement that
 * the server commits itself. A worker short of CPU answers a statement's
 * result late; if it still had to send COMMIT, the row would stay locked
 * until then, and every other job of every worker would wait behind it.
 * Here the app's COMMITs are held back (as a starved process would be slow
 * to send them): each write must finish without one, so its row is free
 * again as soon as the server has run it.
 */
const sendQuery = pg.Client.prototype.query;
let heldCommits: Array<() => void> = [];

function holdCommits() {
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [config] = args as [{ text?: string } | string];
    const text = typeof config === "string" ? config : config?.text;
    if (text?.trim().toUpperCase() === "COMMIT") {
      return new Promise((resolve, reject) => {
        heldCommits.push(() => (sendQuery as (...a: unknown[]) => Promise<unknown>).apply(this, args).then(resolve, reject));
      }) as never;
    }
    return (sendQuery as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const release of heldCommits) release();
  heldCommits = [];
});

/** Runs `write` with COMMITs held: it must finish, and no COMMIT may be waiting when it does. */
async function finishesWithoutCommit<T>(write: () => Promise<T>): Promise<T> {
  holdCommits();
  // A write that fails settles the race too: its error is the test's.
  const outcome = write().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  let settled = false;
  void outcome.then(() => (settled = true));
  const held = new Promise<"held">((resolve) => {
    const look = () => {
      if (heldCommits.length > 0) resolve("held");
      else if (!settled) setTimeout(look, 5);
    };
    look();
  });
  const first = await Promise.race([outcome, held]);
  vi.restoreAllMocks();
  if (first === "held") {
    for (const release of heldCommits) release();
    heldCommits = [];
    await outcome;
    throw new Error("the write waited for a COMMIT from the process, holding its row meanwhile");
  }
  if ("error" in first) throw first.error;
  return first.value;
}

async function newTenant(slug: string, budget?: number) {
  const tenant = await platformDb.tenant.create({ data: { slug, name: slug, status: "active" } });
  if (budget !== undefined) await platformDb.tenantSettings.create({ data: { tenantId: tenant.id, dailyTokenBudget: budget } });
  return tenant.id;
}

const NOW = new Date("2026-12-18T02:00:00Z");

describe("hot rows are written without a round trip under lock", () => {
  it("a token reservation and its settlement need no COMMIT from the process, and keep the budget", async () => {
    const tenantId = await newTenant("hot-tokens", 1_000);
    const reservation = await finishesWithoutCommit(() => reserveTokens(db, tenantId, 600, NOW));
    expect(reservation).toMatchObject({ reserved: 600 });
    // Past the budget: refused, on the same single statement.
    expect(await finishesWithoutCommit(() => reserveTokens(db, tenantId, 600, NOW))).toBeNull();
    await finishesWithoutCommit(() => settleTokens(db, reservation!, { promptTokens: 100, completionTokens: 50 }));
    expect(await tokenBudgetStatus(db, tenantId, NOW)).toMatchObject({ used: 150, calls: 1, budget: 1_000 });
    // Concurrent reservations still never pass the budget together.
    const granted = await Promise.all(Array.from({ length: 12 }, () => reserveTokens(db, tenantId, 100, NOW)));
    expect(granted.filter(Boolean)).toHaveLength(8);
    expect((await tokenBudgetStatus(db, tenantId, NOW)).used).toBe(950);
  });

  it("a first reservation of the day creates the row, within the default budget for a tenant without settings", async () => {
    const tenantId = await newTenant("hot-tokens-default");
    expect(await finishesWithoutCommit(() => reserveTokens(db, tenantId, 200_001, NOW))).toBeNull();
    expect(await finishesWithoutCommit(() => reserveTokens(db, tenantId, 200_000, NOW))).toMatchObject({ reserved: 200_000 });
    expect(await tokenBudgetStatus(db, tenantId, NOW)).toMatchObject({ used: 200_000, budget: 200_000 });
  });

  it("the Apify daily cap is taken without a COMMIT from the process", async () => {
    const tenantId = await newTenant("hot-cap");
    const guard = dailyCapGuard(tenantId, 2, () => NOW);
    expect(await finishesWithoutCommit(() => guard.tryConsume("apify_linkedin", 2))).toBe(true);
    expect(await finishesWithoutCommit(() => guard.tryConsume("apify_linkedin", 1))).toBe(false);
  });

  it("a run's vendor counters are added without a COMMIT from the process", async () => {
    const tenantId = await newTenant("hot-usage");
    const run = await db.$withTenant(tenantId, (tx) =>
      tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1 } }),
    );
    await finishesWithoutCommit(() => recordVendorUsage({ tenantId, runId: run.id }, "tavily", { calls: 1, units: 1 }));
    const row = await db.$withTenant(tenantId, (tx) => tx.runVendorUsage.findFirstOrThrow({ where: { runId: run.id, vendor: "tavily" } }));
    expect(row).toMatchObject({ calls: 1, units: 1 });
  });

  it("a company's stage and its step event are one statement, without a COMMIT from the process", async () => {
    const tenantId = await newTenant("hot-steps");
    const run = await db.$withTenant(tenantId, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1 } });
      await tx.runCompany.create({ data: { runId: run.id, uen: "201800001A", status: "running" } });
      return run;
    });
    const step = stepRecorder(tenantId, run.id, "201800001A");
    expect(await finishesWithoutCommit(() => step("crawl", "crawl", async (note) => (note({ tool: "crawler", args: { pages: 3 } }), 7)))).toBe(7);
    await expect(
      finishesWithoutCommit(() =>
        step("extract", "extract", async () => {
          throw new Error("the model answered nonsense");
        }),
      ),
    ).rejects.toThrow("the model answered nonsense");

    const [company, events] = await db.$withTenant(tenantId, (tx) =>
      Promise.all([
        tx.runCompany.findFirstOrThrow({ where: { runId: run.id }, select: { stage: true } }),
        tx.runEventLog.findMany({
          where: { runId: run.id },
          orderBy: { id: "asc" },
          select: { stage: true, status: true, tool: true, args: true, message: true },
        }),
      ]),
    );
    // A stage that failed is logged but is not where the company stands.
    expect(company.stage).toBe("crawl");
    expect(events).toEqual([
      { stage: "crawl", status: "ok", tool: "crawler", args: { pages: 3 }, message: null },
      { stage: "extract", status: "error", tool: null, args: {}, message: "the model answered nonsense" },
    ]);
  });

  it("settling a company counts the run's settled companies without a COMMIT from the process, and queues the finalizer once", async () => {
    const tenantId = await newTenant("hot-settle");
    const uens = ["201800011A", "201800012B", "201800013C", "201800014D"];
    const run = await db.$withTenant(tenantId, async (tx) => {
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: uens.length } });
      await tx.runCompany.createMany({ data: uens.map((uen, i) => ({ runId: run.id, uen, status: i === 0 ? "done" : "running" })) });
      return run;
    });
    await finishesWithoutCommit(() => settle(tenantId, run.id, 1));
    const settledCount = () =>
      db.$withTenant(tenantId, (tx) => tx.run.findFirstOrThrow({ where: { id: run.id }, select: { settledCount: true } })).then((r) => r.settledCount);
    expect(await settledCount()).toBe(1);

    // The other three settle at once, each after committing its company: the last count sees all four.
    await Promise.all(
      uens.slice(1).map(async (uen, i) => {
        await db.$withTenant(tenantId, (tx) => tx.runCompany.updateMany({ where: { runId: run.id, uen }, data: { status: i === 0 ? "failed" : "done" } }));
        await settle(tenantId, run.id, 1);
      }),
    );
    expect(await settledCount()).toBe(4);
    const finalizers = await platformDb.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`run:${run.id}:finalize`}`;
    expect(finalizers[0]!.n).toBe(1);
  });

  it("a company is scored and settled without a COMMIT from the process, from its own rows only", async () => {
    const tenantId = await newTenant("hot-score");
    const other = await newTenant("hot-score-other");
    const [kept, tooBig] = await seedRegistryCompanies(2, 61);
    const rules = { employees: { min: 10, max: 200 }, contactTitles: ["CTO", "Head of Sales"], ssic: { include: ["620"] } };
    const runIn = (tenant: string) =>
      db.$withTenant(tenant, async (tx) => {
        await tx.icpRule.create({ data: { version: 1, rules } });
        const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 2, icpVersion: 1 } });
        await tx.runCompany.createMany({ data: [kept!, tooBig!].map((uen) => ({ runId: run.id, uen, status: "running", stage: "merge" })) });
        return run.id;
      });
    const runId = await runIn(tenantId);
    await db.$withTenant(tenantId, async (tx) => {
      await tx.leadFeature.createMany({
        data: [
          {
            uen: kept!,
            domain: "kept.example.sg",
            domainSource: "tavily_search",
            crawlStatus: "ok",
            aboutText: "We build software.",
            headcountEstimate: 40,
            products: ["Ledger", "Payroll", "Rostering"],
            locations: ["Singapore", "Kuala Lumpur"],
            contactsStatus: "ok",
          },
          { uen: tooBig!, domain: "big.example.sg", domainSource: "crawler", crawlStatus: "ok", headcountEstimate: 900, contactsStatus: "ok" },
        ],
      });
      await tx.leadContact.createMany({
        data: ["CTO", "Head of Sales", "Office Manager", null].map((title, i) => ({
          uen: kept!,
          fullName: `Person ${i}`,
          title,
          linkedinUrl: `https://www.linkedin.com/in/kept-${i}`,
          source: "apify",
        })),
      });
      await tx.leadEmail.createMany({
        data: ["verified", "verified", "unknown", "catch_all", "invalid"].map((verificationStatus, i) => ({
          uen: kept!,
          email: `p${i}@kept.example.sg`,
          source: "pattern",
          verificationStatus,
        })),
      });
    });
    // Another tenant's rows for the same company must not count.
    const otherRun = await runIn(other);
    await db.$withTenant(other, async (tx) => {
      await tx.leadContact.create({
        data: { uen: kept!, fullName: "Not ours", title: "CTO", linkedinUrl: "https://www.linkedin.com/in/not-ours", source: "apify" },
      });
      await tx.leadEmail.create({ data: { uen: kept!, email: "x@kept.example.sg", source: "pattern", verificationStatus: "verified" } });
    });
    expect(otherRun).not.toBe(runId);
    // The run's context is read once per run and kept; what is measured is each company's own work.
    await loadRunContext(tenantId, runId);

    expect(await finishesWithoutCommit(() => scoreCompanies(tenantId, runId, [kept!, tooBig!]))).toBe(2);

    const expected: LeadSignals = {
      icp: { match: "rules", ssicMatched: true, employeeRange: { min: 10, max: 200 } },
      registry: { status: "Live Company", entityType: "Local Company", incorporatedOn: "2010-01-01" },
      enrichment: {
        domainConfidence: "medium",
        headcountEstimate: 40,
        aboutTextPresent: true,
        crawlStatus: "ok",
        tavilyUsed: false,
        productsCount: 3,
        locationsIncludeSingapore: true,
      },
      contacts: { vendor: "available", roleQualified: 2, verifiedEmails: 2, unknownEmails: 2 },
      asOf: "2026-12-18",
    };
    const result = scoreLead(expected, undefined);
    const stored = await db.$withTenant(tenantId, async (tx) => ({
      scores: await tx.leadScore.findMany({ where: { runId } }),
      companies: await tx.runCompany.findMany({ where: { runId }, orderBy: { uen: "asc" }, select: { uen: true, status: true, stage: true } }),
      events: await tx.runEventLog.findMany({ where: { runId, stage: "score" }, orderBy: { uen: "asc" }, select: { uen: true, event: true, status: true } }),
    }));
    expect(stored.scores).toHaveLength(1);
    expect(stored.scores[0]).toMatchObject({ uen: kept, score: result.score, bucket: result.bucket, verifiedContacts: 2, rationaleSource: "template" });
    expect(stored.scores[0]!.breakdown).toEqual(JSON.parse(JSON.stringify(result.breakdown)));
    expect(stored.companies).toEqual([
      { uen: kept, status: "done", stage: "done" },
      { uen: tooBig, status: "done", stage: "filtered" },
    ]);
    expect(stored.events).toEqual([
      { uen: kept, event: "scored", status: "ok" },
      { uen: tooBig, event: "filtered", status: "skipped" },
    ]);
  });

  it("a company is claimed for scoring with what its score needs in one statement, and settled in another", async () => {
    const tenantId = await newTenant("score-statements");
    const [uen] = await seedRegistryCompanies(1, 62);
    const runId = await db.$withTenant(tenantId, async (tx) => {
      await tx.icpRule.create({ data: { version: 1, rules: { employees: { min: 10, max: 200 } } } });
      const run = await tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1, icpVersion: 1 } });
      await tx.runCompany.create({ data: { runId: run.id, uen: uen!, status: "awaiting_verification", stage: "verify" } });
      await tx.leadFeature.create({ data: { uen: uen!, domain: "big.example.sg", domainSource: "crawler", crawlStatus: "ok", headcountEstimate: 900 } });
      return run.id;
    });
    await loadRunContext(tenantId, runId);
    const sent = recordSentStatements();
    // Outside the ICP's employee range: filtered, without a rationale.
    expect(await scoreCompanies(tenantId, runId, [uen!])).toBe(1);
    expect(sent).toEqual(["WITH", "WITH"]);
    // Settled already: the claim finds nothing, in the same one statement.
    sent.length = 0;
    expect(await scoreCompanies(tenantId, runId, [uen!])).toBe(0);
    expect(sent).toEqual(["WITH"]);
    vi.restoreAllMocks();
    const company = await db.$tenantRead(tenantId, (tx) => tx.runCompany.findFirstOrThrow({ where: { runId }, select: { status: true, stage: true } }));
    expect(company).toEqual({ status: "done", stage: "filtered" });
  });

  it("a tenant write sees only its tenant's rows", async () => {
    const [a, b] = [await newTenant("hot-a", 1_000), await newTenant("hot-b", 1_000)];
    await reserveTokens(db, a, 400, NOW);
    const touched = await db.$tenantWrite(b, (tx) => tx.$executeRaw`UPDATE token_usage SET calls = calls + 1`);
    expect(touched).toBe(0);
    expect(await tokenBudgetStatus(db, a, NOW)).toMatchObject({ used: 400, calls: 0 });
  });

  it("a rationale cache hit, counted on the row every company with the same facts reads, needs no COMMIT from the process", async () => {
    const tenantId = await newTenant("hot-rationale");
    const sim = await startLlmSimulator({ latencyMs: 0 });
    try {
      const llm = createLlmClient({ baseUrl: `${sim.url}/v1`, apiKey: "sk-simulator", model: "gpt-4o-mini" });
      const scored = scoreLead(TYPICAL_LEAD_SIGNALS);
      const first = await rationaleFor({ db, llm, now: () => NOW }, tenantId, scored);
      expect(first.source).toBe("llm");
      const hit = await finishesWithoutCommit(() => rationaleFor({ db, llm, now: () => NOW }, tenantId, scored));
      expect(hit).toMatchObject({ source: "cache", text: first.text });
      const [row] = await platformDb.$queryRaw<Array<{ hits: number }>>`SELECT hits FROM rationale_cache WHERE tenant_id = ${tenantId}::uuid`;
      expect(row!.hits).toBe(1);
      expect(sim.stats.calls).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it("a job is added in one statement, without a COMMIT from the process", async () => {
    const tenantId = await newTenant("hot-enqueue");
    const run = await newRun(tenantId);
    const job = await finishesWithoutCommit(() =>
      enqueue("finalize_run", { tenantId, runId: run.id }, { jobKey: `run:${run.id}:finalize`, jobKeyMode: "dedupe" }),
    );
    expect(await jobsWithKey(`run:${run.id}:finalize`)).toEqual([{ id: BigInt(job.id), revision: 0 }]);
  });
});

/**
 * Every company of a run that leaves addresses to verify asks for the run's
 * one verification job. Through add_job each ask updated that job's row
 * (and notified the queue), so the companies of every worker waited in turn
 * for its lock; while the job has not started, asking must only read it.
 */
describe("the run's verification job", () => {
  it("is asked for by many companies without any of them waiting for its row", async () => {
    const tenantId = await newTenant("verify-ask");
    const run = await newRun(tenantId);
    const key = `run:${run.id}:verify`;
    await scheduleVerification(tenantId, run.id, 60_000);
    const [first] = await jobsWithKey(key);
    expect(first).toMatchObject({ revision: 0 });

    // Another company's add_job holds the row until its COMMIT: the next asks must not queue behind it.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM graphile_worker._private_jobs WHERE key = $1 FOR UPDATE", [key]);
      let asked = false;
      const asks = Promise.all(Array.from({ length: 5 }, () => scheduleVerification(tenantId, run.id, 2_000))).then(() => (asked = true));
      expect(await Promise.race([asks.then(() => "done"), lockWaitSeen(holder, () => asked)])).toBe("done");
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    // The waiting job is left as it was (graphile-worker counts every update in its revision).
    expect(await jobsWithKey(key)).toEqual([first]);
  });

  it("is added again once the waiting job has started, and not for another tenant's job of the same key", async () => {
    const tenantId = await newTenant("verify-started");
    const run = await newRun(tenantId);
    const key = `run:${run.id}:verify`;
    await scheduleVerification(tenantId, run.id, 0);
    const [started] = await jobsWithKey(key);
    // A worker took it: addresses that arrive now need a pass of their own.
    await platformDb.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'worker-a' WHERE id = ${started!.id}`;
    await scheduleVerification(tenantId, run.id, 0);
    const [next] = await jobsWithKey(key);
    expect(next!.id).not.toBe(started!.id);

    // A job waiting under this key for another tenant is neither seen nor taken over.
    const other = await newTenant("verify-other");
    await expect(
      db.$tenantWrite(
        other,
        (tx) =>
          tx.$queryRaw`SELECT * FROM app_enqueue_job_unless_waiting(identifier => 'verify_run_emails', payload => ${JSON.stringify({ tenantId: other, runId: run.id })}::json, job_key => ${key})`,
      ),
    ).rejects.toThrow(/belongs to another tenant/);
    expect(await jobsWithKey(key)).toEqual([next]);
  });
});

async function newRun(tenantId: string) {
  return db.$withTenant(tenantId, (tx) => tx.run.create({ data: { kind: "manual", status: "running", runDate: new Date("2026-12-18"), targetCount: 1 } }));
}

function jobsWithKey(key: string) {
  return platformDb.$queryRaw<Array<{ id: bigint; revision: number }>>`SELECT id, revision FROM graphile_worker._private_jobs WHERE key = ${key}`;
}

/** Resolves once a backend other than `holder` waits for a lock (only the held row can cause one here), unless `done` first. */
async function lockWaitSeen(holder: pg.Client, done: () => boolean): Promise<"waited for the held job row" | "done"> {
  while (!done()) {
    const { rows } = await holder.query(
      "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()",
    );
    if (rows.length > 0) return "waited for the held job row";
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return "done";
}
