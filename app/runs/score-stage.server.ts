import { performance } from "node:perf_hooks";
import { db } from "~/db.server";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { candidateMatchedBySql } from "~/icp/candidates.server";
import { rationaleFor } from "~/scoring/rationale.server";
import { employeeFit, scoreLead, type DomainConfidence, type LeadSignals } from "~/scoring/score";
import { isoDay } from "~/utils/date-format";
import { raiseVendorFailureAlert } from "./alerts.server";
import { leadEngineClients } from "./clients.server";
import { loadRunContext, type RunContext } from "./run-context.server";
import { llmUsageDelta, logStep } from "./run-log.server";
import { recordVendorUsage } from "./vendor-calls.server";

/**
 * Score + rationale + persist for companies whose enrichment (and email
 * verification) is complete. A company outside the ICP's employee range
 * (known only after enrichment) is filtered out here instead of scored.
 * Returns how many companies it settled.
 */
export async function scoreCompanies(tenantId: string, runId: string, uens: string[]): Promise<number> {
  const run = await loadRunContext(tenantId, runId);
  let settled = 0;
  for (const uen of uens) {
    const claimed = await db.$withTenant(tenantId, (tx) =>
      tx.runCompany.updateMany({
        where: { runId, uen, status: { in: ["running", "awaiting_verification"] } },
        data: { stage: "score", updatedAt: new Date() },
      }),
    );
    if (claimed.count === 0) continue;
    await scoreOne(run, uen);
    settled++;
  }
  return settled;
}

async function scoreOne(run: RunContext, uen: string) {
  const { tenantId, runId } = run;
  const started = performance.now();
  const signals = await signalsFor(run, uen);
  const fit = employeeFit(signals.icp.employeeRange, signals.enrichment.headcountEstimate);
  if (fit === "out_of_range") {
    await db.$withTenant(tenantId, async (tx) => {
      await tx.runCompany.updateMany({ where: { runId, uen }, data: { status: "done", stage: "filtered", finishedAt: new Date(), updatedAt: new Date() } });
      await logStep(tx, {
        runId,
        uen,
        stage: "score",
        event: "filtered",
        status: "skipped",
        durationMs: performance.now() - started,
        args: { headcount: signals.enrichment.headcountEstimate, range: signals.icp.employeeRange },
        message: "outside the ICP's employee range",
      });
    });
    return;
  }

  const result = scoreLead(signals, run.rules.scoreThresholds ?? undefined);
  const rationale = await rationaleFor({ db, llm: leadEngineClients().llm }, tenantId, result);
  if (rationale.source === "llm") await recordVendorUsage(run, "llm", llmUsageDelta(rationale.tokens));
  if (rationale.fallback === "llm_error") {
    await recordVendorUsage(run, "llm", { ...llmUsageDelta(rationale.tokens), errors: 1 });
    await raiseVendorFailureAlert(tenantId, runId, "llm", rationale.errorName);
  }
  await db.$withTenant(tenantId, async (tx) => {
    const row = {
      score: result.score,
      bucket: result.bucket,
      breakdown: result.breakdown as object,
      rationale: rationale.text,
      rationaleSource: rationale.source,
      contactWeight: result.contactWeight,
      verifiedContacts: signals.contacts.verifiedEmails,
    };
    await tx.leadScore.upsert({ where: { tenantId_runId_uen: { tenantId, runId, uen } }, create: { tenantId, runId, uen, ...row }, update: row });
    await tx.runCompany.updateMany({ where: { runId, uen }, data: { status: "done", stage: "done", finishedAt: new Date(), updatedAt: new Date() } });
    await logStep(tx, {
      runId,
      uen,
      stage: "score",
      event: "scored",
      status: "ok",
      durationMs: performance.now() - started,
      args: { score: result.score, bucket: result.bucket, rationale: rationale.source },
    });
  });
}

/** Reads what the score needs about one company from the registry, the candidate set and its enrichment. */
async function signalsFor(run: RunContext, uen: string): Promise<LeadSignals> {
  const { tenantId } = run;
  const company = await run.company(uen);
  const data = await db.$withTenant(tenantId, async (tx) => ({
    candidate: await tx.$queryRaw<Array<{ matched_by: string }>>(candidateMatchedBySql(uen)),
    features: await tx.leadFeature.findUnique({ where: { tenantId_uen: { tenantId, uen } } }),
    contacts: await tx.leadContact.findMany({ where: { uen }, select: { title: true } }),
    emails: await tx.leadEmail.findMany({ where: { uen }, select: { verificationStatus: true } }),
  }));
  const f = data.features;
  const titles = run.rules.contactTitles?.length ? run.rules.contactTitles : leadEngineClients().defaultContactTitles;
  const domainSource = f?.domainSource ?? "";
  const confidence: DomainConfidence | null = !f?.domain
    ? null
    : domainSource.endsWith(":low")
      ? "low"
      : domainSource.endsWith(":medium") || domainSource === "tavily_search" || domainSource === "apify_company"
        ? "medium"
        : "high";
  const ssicInclude = run.rules.ssic?.include ?? [];
  return {
    icp: {
      match: data.candidate[0]?.matched_by === "industry_fallback" ? "industry_only" : "rules",
      ssicMatched: ssicInclude.length ? ssicInclude.some((p) => (company.ssicCode ?? "").startsWith(p)) : null,
      employeeRange: run.rules.employees ?? null,
    },
    registry: {
      status: company.status,
      entityType: company.entityType,
      incorporatedOn: company.incorporated ? isoDay(company.incorporated) : null,
    },
    enrichment: {
      domainConfidence: confidence,
      headcountEstimate: f?.headcountEstimate ?? null,
      aboutTextPresent: Boolean(f?.aboutText),
      crawlStatus: (f?.crawlStatus as LeadSignals["enrichment"]["crawlStatus"]) ?? "none",
      tavilyUsed: f?.tavilyUsed ?? false,
      productsCount: f?.products.length ?? 0,
      locationsIncludeSingapore: (f?.locations ?? []).some((l) => /singapore/i.test(l)),
    },
    contacts: {
      vendor:
        f?.contactsStatus === "ok"
          ? "available"
          : f?.contactsStatus === "quota" || f?.contactsStatus === "cap_reached"
            ? "quota"
            : f?.contactsStatus === "disabled"
              ? "disabled"
              : "error",
      roleQualified: data.contacts.filter((c) => titles.some((wanted) => matchesContactTitle(c.title, wanted))).length,
      verifiedEmails: data.emails.filter((e) => e.verificationStatus === "verified").length,
      unknownEmails: data.emails.filter((e) => e.verificationStatus === "unknown" || e.verificationStatus === "catch_all").length,
    },
    asOf: run.runDate,
  };
}
