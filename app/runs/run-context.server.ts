import { z } from "zod";
import { db } from "~/db.server";
import { Prisma, type LeadFeature } from "~/generated/prisma/client";
import { parseIcpRules, type IcpRules } from "~/icp/rules";
import { DEFAULT_MIN_WEBSITE_CONTACTS } from "~/settings/settings-forms";
import { isoDay } from "~/utils/date-format";
import { type SuppressedPeople } from "./suppressed-people";

/**
 * What every step of a run needs to know, loaded once per run and process:
 * the run's options, the ICP version it started with, the tenant's
 * suppression lists and token budget, and registry rows on demand.
 */
export const RunOptionsSchema = z.object({
  limit: z.number().int().min(1).max(10_000).optional(),
  /** Only these companies (re-enrich). */
  uens: z.array(z.string().min(1).max(20)).max(10_000).optional(),
  includeCareers: z.boolean().optional(),
  /** Crawl again even if a domain and pages are known. */
  forceRecrawl: z.boolean().optional(),
  /** Enrich companies again even if they were enriched in the last days. */
  includeRecent: z.boolean().optional(),
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

export type RegistryCompany = {
  uen: string;
  name: string;
  status: string;
  entityType: string | null;
  ssicCode: string | null;
  ssicDescription: string | null;
  incorporated: Date | null;
  postalCode: string | null;
  address: string | null;
};

export type RunContext = {
  tenantId: string;
  runId: string;
  kind: string;
  /** The run's Singapore date, YYYY-MM-DD. */
  runDate: string;
  options: RunOptions;
  icpVersion: number | null;
  rules: IcpRules;
  suppression: { emails: string[]; domains: string[] };
  suppressedUens: Set<string>;
  /** People never to collect again: their addresses and LinkedIn profiles. */
  suppressedPeople: SuppressedPeople;
  /** Role-qualified people the website must name before the paid LinkedIn search is skipped. */
  minWebsiteContacts: number;
};

const cache = new Map<string, { at: number; context: Promise<RunContext> }>();
const TTL_MS = 30_000;

export function loadRunContext(tenantId: string, runId: string): Promise<RunContext> {
  const hit = cache.get(runId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.context;
  const context = build(tenantId, runId);
  cache.set(runId, { at: Date.now(), context });
  context.catch(() => cache.delete(runId));
  return context;
}

async function build(tenantId: string, runId: string): Promise<RunContext> {
  const { run, rules, suppressions, settings } = await db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: runId } } });
    const rules = run.icpVersion
      ? await tx.icpRule.findUnique({ where: { tenantId_version: { tenantId, version: run.icpVersion } } })
      : await tx.icpRule.findFirst({ orderBy: { version: "desc" } });
    const suppressions = await tx.suppressionEntry.findMany({ select: { kind: true, value: true } });
    const settings = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { minWebsiteContacts: true } });
    return { run, rules, suppressions, settings };
  });
  return {
    tenantId,
    runId,
    kind: run.kind,
    runDate: isoDay(run.runDate),
    options: RunOptionsSchema.parse(run.options),
    icpVersion: run.icpVersion,
    rules: parseIcpRules(rules?.rules ?? {}),
    minWebsiteContacts: settings?.minWebsiteContacts ?? DEFAULT_MIN_WEBSITE_CONTACTS,
    suppression: {
      emails: suppressions.filter((s) => s.kind === "email").map((s) => s.value),
      domains: suppressions.filter((s) => s.kind === "domain").map((s) => s.value),
    },
    suppressedUens: new Set(suppressions.filter((s) => s.kind === "uen").map((s) => s.value)),
    suppressedPeople: {
      emails: new Set(suppressions.filter((s) => s.kind === "email").map((s) => s.value)),
      linkedinUrls: new Set(suppressions.filter((s) => s.kind === "linkedin").map((s) => s.value)),
    },
  };
}

/** What a company's last enrichment found that the next one starts from: its domain, and whether its contacts are fresh. */
export type PreviousEnrichment = Pick<LeadFeature, "domain" | "domainSource" | "domainEvidence" | "contactsStatus" | "enrichedAt">;

type CompanyRow = RegistryCompany & { previous: boolean } & PreviousEnrichment;

/**
 * The company's registry row and what its last enrichment found, in one
 * statement (they were two, one of them a Prisma model read of the whole
 * features row).
 */
export async function companyToEnrich(tenantId: string, uen: string): Promise<{ company: RegistryCompany; previous: PreviousEnrichment | null }> {
  const {
    rows: [row],
  } = await db.$tenantSql<CompanyRow>(
    tenantId,
    Prisma.sql`
    SELECT r.uen, r.entity_name AS name, r.entity_status_description AS status, r.entity_type_description AS "entityType",
      r.primary_ssic_code AS "ssicCode", r.primary_ssic_description AS "ssicDescription",
      r.registration_incorporation_date::timestamp AT TIME ZONE 'UTC' AS incorporated, r.postal_code AS "postalCode",
      NULLIF(concat_ws(' ', r.block, r.street_name, CASE WHEN r.level_no IS NOT NULL THEN '#' || r.level_no || COALESCE('-' || r.unit_no, '') END, r.building_name), '') AS address,
      f.uen IS NOT NULL AS previous, f.domain, f.domain_source AS "domainSource", f.domain_evidence AS "domainEvidence",
      f.contacts_status AS "contactsStatus", f.enriched_at AS "enrichedAt"
    FROM staging_acra_companies r
    LEFT JOIN lead_features f ON f.tenant_id = ${tenantId}::uuid AND f.uen = r.uen
    WHERE r.uen = ${uen}`,
  );
  if (!row) throw new Error(`Company ${uen} is not in the registry`);
  const { previous, domain, domainSource, domainEvidence, contactsStatus, enrichedAt, ...company } = row;
  return { company, previous: previous ? { domain, domainSource, domainEvidence, contactsStatus, enrichedAt } : null };
}
