import { performance } from "node:perf_hooks";
import { db } from "~/db.server";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { Prisma } from "~/generated/prisma/client";
import { candidateMatchedBySql } from "~/icp/candidates.server";
import { rationaleFor } from "~/scoring/rationale.server";
import { employeeFit, scoreLead, type DomainConfidence, type LeadSignals } from "~/scoring/score";
import { raiseVendorFailureAlert } from "./alerts.server";
import { leadEngineClients } from "./clients.server";
import { loadRunContext, type RunContext } from "./run-context.server";
import { llmUsageDelta, stepEventsInsert, type StepEvent } from "./run-log.server";
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
    const signals = await claimForScoring(run, uen);
    if (!signals) continue;
    await scoreOne(run, uen, signals);
    settled++;
  }
  return settled;
}

async function scoreOne(run: RunContext, uen: string, signals: LeadSignals) {
  const { tenantId, runId } = run;
  const started = performance.now();
  const fit = employeeFit(signals.icp.employeeRange, signals.enrichment.headcountEstimate);
  if (fit === "out_of_range") {
    await settleCompany(run, uen, "filtered", {
      runId,
      uen,
      stage: "score",
      event: "filtered",
      status: "skipped",
      durationMs: performance.now() - started,
      args: { headcount: signals.enrichment.headcountEstimate, range: signals.icp.employeeRange },
      message: "outside the ICP's employee range",
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
  const score = Prisma.sql`
    INSERT INTO lead_scores (run_id, uen, score, bucket, breakdown, rationale, rationale_source, contact_weight, verified_contacts)
    VALUES (${runId}::uuid, ${uen}, ${result.score}::float8, ${result.bucket}, ${JSON.stringify(result.breakdown)}::jsonb, ${rationale.text},
      ${rationale.source}, ${result.contactWeight}::float8, ${signals.contacts.verifiedEmails}::int)
    ON CONFLICT (tenant_id, run_id, uen) DO UPDATE SET score = EXCLUDED.score, bucket = EXCLUDED.bucket, breakdown = EXCLUDED.breakdown,
      rationale = EXCLUDED.rationale, rationale_source = EXCLUDED.rationale_source, contact_weight = EXCLUDED.contact_weight,
      verified_contacts = EXCLUDED.verified_contacts`;
  await settleCompany(
    run,
    uen,
    "done",
    {
      runId,
      uen,
      stage: "score",
      event: "scored",
      status: "ok",
      durationMs: performance.now() - started,
      args: { score: result.score, bucket: result.bucket, rationale: rationale.source },
    },
    score,
  );
}

/**
 * A company's last writes as one statement through `$tenantSql`: its score
 * (when it has one), its done status and its step event. Every company makes
 * them, and as a transaction they were three statements and a COMMIT, each a
 * round trip and Prisma's work in a worker that is short of CPU.
 */
async function settleCompany(run: RunContext, uen: string, stage: "done" | "filtered", event: StepEvent, score?: Prisma.Sql) {
  await db.$tenantSql(
    run.tenantId,
    Prisma.sql`
      WITH ${score ? Prisma.sql`scored AS (${score}),` : Prisma.empty}
        settled AS (UPDATE run_companies SET status = 'done', stage = ${stage}, finished_at = now(), updated_at = now()
          WHERE run_id = ${run.runId}::uuid AND uen = ${uen})
      ${stepEventsInsert([event])}`,
  );
}

type SignalsRow = {
  in_registry: boolean;
  status: string | null;
  entity_type: string | null;
  incorporated_on: string | null;
  ssic_code: string | null;
  matched_by: string | null;
  domain: string | null;
  domain_source: string | null;
  headcount_estimate: number | null;
  about_text_present: boolean | null;
  crawl_status: string | null;
  tavily_used: boolean | null;
  products_count: number | null;
  locations: string[] | null;
  contacts_status: string | null;
  contact_titles: Array<string | null>;
  verified_emails: number;
  unknown_emails: number;
};

/**
 * Claims a company for scoring (its stage becomes `score`, if it is still
 * running or waiting for verification) and reads what the score needs about
 * it from the registry, the candidate set and its enrichment, in one
 * statement: as a claim, a registry read and a read of the tenant's rows
 * they were three statements a company, as four reads in a transaction six
 * round trips. Null when the company was not there to claim (scored already).
 */
async function claimForScoring(run: RunContext, uen: string): Promise<LeadSignals | null> {
  const { tenantId, runId } = run;
  const {
    rows: [data],
  } = await db.$tenantSql<SignalsRow>(
    tenantId,
    Prisma.sql`
    WITH claimed AS (
      UPDATE run_companies SET stage = 'score', updated_at = now()
      WHERE run_id = ${runId}::uuid AND uen = ${uen} AND status IN ('running', 'awaiting_verification')
      RETURNING uen)
    SELECT r.uen IS NOT NULL AS in_registry, r.entity_status_description AS status, r.entity_type_description AS entity_type,
      to_char(r.registration_incorporation_date, 'YYYY-MM-DD') AS incorporated_on, r.primary_ssic_code AS ssic_code,
      (${candidateMatchedBySql(uen)}) AS matched_by,
      f.domain, f.domain_source, f.headcount_estimate, f.about_text <> '' AS about_text_present, f.crawl_status, f.tavily_used,
      cardinality(f.products) AS products_count, f.locations, f.contacts_status,
      ARRAY(SELECT c.title FROM lead_contacts c WHERE c.uen = ${uen}) AS contact_titles,
      e.verified_emails, e.unknown_emails
    FROM claimed
    CROSS JOIN (SELECT count(*) FILTER (WHERE verification_status = 'verified')::int AS verified_emails,
                  count(*) FILTER (WHERE verification_status IN ('unknown', 'catch_all'))::int AS unknown_emails
                FROM lead_emails WHERE uen = ${uen}) e
    LEFT JOIN staging_acra_companies r ON r.uen = claimed.uen
    LEFT JOIN lead_features f ON f.tenant_id = ${tenantId}::uuid AND f.uen = claimed.uen`,
  );
  if (!data) return null;
  if (!data.in_registry) throw new Error(`Company ${uen} is not in the registry`);
  const titles = run.rules.contactTitles?.length ? run.rules.contactTitles : leadEngineClients().defaultContactTitles;
  const domainSource = data.domain_source ?? "";
  const confidence: DomainConfidence | null = !data.domain
    ? null
    : domainSource.endsWith(":low")
      ? "low"
      : domainSource.endsWith(":medium") || domainSource === "tavily_search" || domainSource === "apify_company"
        ? "medium"
        : "high";
  const ssicInclude = run.rules.ssic?.include ?? [];
  return {
    icp: {
      match: data.matched_by === "industry_fallback" ? "industry_only" : "rules",
      ssicMatched: ssicInclude.length ? ssicInclude.some((p) => (data.ssic_code ?? "").startsWith(p)) : null,
      employeeRange: run.rules.employees ?? null,
    },
    registry: { status: data.status, entityType: data.entity_type, incorporatedOn: data.incorporated_on },
    enrichment: {
      domainConfidence: confidence,
      headcountEstimate: data.headcount_estimate,
      aboutTextPresent: data.about_text_present === true,
      crawlStatus: (data.crawl_status as LeadSignals["enrichment"]["crawlStatus"]) ?? "none",
      tavilyUsed: data.tavily_used ?? false,
      productsCount: data.products_count ?? 0,
      locationsIncludeSingapore: (data.locations ?? []).some((l) => /singapore/i.test(l)),
    },
    contacts: {
      vendor:
        data.contacts_status === "ok"
          ? "available"
          : data.contacts_status === "quota" || data.contacts_status === "cap_reached"
            ? "quota"
            : data.contacts_status === "disabled"
              ? "disabled"
              : "error",
      roleQualified: data.contact_titles.filter((title) => titles.some((wanted) => matchesContactTitle(title, wanted))).length,
      verifiedEmails: data.verified_emails,
      unknownEmails: data.unknown_emails,
    },
    asOf: run.runDate,
  };
}
