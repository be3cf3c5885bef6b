import { db, type TenantTx } from "../db.server";
import { enqueue } from "../jobs/enqueue.server";
import { listIcpVersions, latestIcpVersion, type IcpVersion } from "./icp-versions.server";
import { compileCountQuery, compileSampleQuery, hasIndustryScope, type PREVIEW_COLUMNS } from "./predicate";
import { diffIcpRules, parseIcpRules, sameIcpRules, type IcpRuleChange, type IcpRules } from "./rules";

/**
 * A tenant's ICP: versioned rules (every change a new row with its author),
 * their history with diffs, and a live preview of what they match.
 */
export type { IcpVersion };
export type Actor = { sub: string; email?: string | null };

export const REFRESH_TASK = "refresh_candidates";

/** Queues a candidate refresh; pending refreshes of a tenant collapse into one. */
export async function enqueueCandidateRefresh(tenantId: string, reason: string, tx?: TenantTx) {
  return enqueue(REFRESH_TASK, { tenantId, reason }, { jobKey: `refresh_candidates:${tenantId}`, jobKeyMode: "replace", maxAttempts: 5, tx });
}

export type SaveResult = { changed: boolean; version: IcpVersion; changes: IcpRuleChange[] };

/**
 * Validates and saves the rules as a new version (unless they equal the
 * current one), audits the change, and queues a candidate refresh in the same
 * transaction. Throws InvalidIcpRulesError with one message per problem.
 */
export async function saveIcpRules(tenantId: string, actor: Actor, input: unknown): Promise<SaveResult> {
  const rules = parseIcpRules(input);
  return db.$withTenant(
    tenantId,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('icp_rules:' || ${tenantId}))`;
      const current = await latestIcpVersion(tx);
      if (current && sameIcpRules(current.rules, rules)) return { changed: false, version: current, changes: [] };
      const changes = diffIcpRules(current?.rules, rules);
      const next = (current?.version ?? 0) + 1;
      const [row] = await tx.$queryRaw<[{ created_at: Date }]>`
        INSERT INTO icp_rules (version, rules, author_sub, author_email)
        VALUES (${next}, ${JSON.stringify(rules)}::jsonb, ${actor.sub}, ${actor.email ?? null})
        RETURNING created_at`;
      await tx.$executeRaw`
        INSERT INTO audit_log (actor_sub, actor_email, action, target, details)
        VALUES (${actor.sub}, ${actor.email ?? null}, 'icp.update', ${`icp_rules:v${next}`}, ${JSON.stringify({ changes })}::jsonb)`;
      await enqueueCandidateRefresh(tenantId, `icp_changed:v${next}`, tx);
      return {
        changed: true,
        version: { version: next, rules, authorSub: actor.sub, authorEmail: actor.email ?? null, createdAt: row.created_at },
        changes,
      };
    },
    { actor },
  );
}

/** The current rules, or null when the tenant never saved any (then the default template applies). */
export async function currentIcpRules(tenantId: string): Promise<IcpVersion | null> {
  return db.$withTenant(tenantId, (tx) => latestIcpVersion(tx));
}

export type IcpHistoryEntry = IcpVersion & { changes: IcpRuleChange[] };

/** Versions newest first, each with its changes against the version before it. */
export async function icpHistory(tenantId: string, options: { limit?: number } = {}): Promise<IcpHistoryEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const versions = await db.$withTenant(tenantId, (tx) => listIcpVersions(tx, limit + 1));
  return versions.slice(0, limit).map((v, i) => ({ ...v, changes: diffIcpRules(versions[i + 1]?.rules, v.rules) }));
}

export type PreviewRow = Record<(typeof PREVIEW_COLUMNS)[number], string | Date | null>;

export type CandidatePreview = {
  count: number;
  sample: PreviewRow[];
  /** When the rules match nothing: how many the industry-only fallback would give. */
  fallbackCount?: number;
};

/** How many registry companies some (unsaved) rules match, and a sample, for the editor's live preview. */
export async function previewCandidates(tenantId: string, input: unknown, options: { sampleSize?: number; asOf?: Date } = {}): Promise<CandidatePreview> {
  const rules: IcpRules = parseIcpRules(input);
  const asOf = options.asOf ?? new Date();
  const sampleSize = Math.min(Math.max(options.sampleSize ?? 20, 0), 100);
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const count = compileCountQuery(rules, { asOf });
      const [{ count: matches }] = await tx.$queryRawUnsafe<[{ count: number }]>(count.text, ...count.params);
      const sampleQuery = compileSampleQuery(rules, { asOf, limit: sampleSize });
      const sample = matches > 0 && sampleSize > 0 ? await tx.$queryRawUnsafe<PreviewRow[]>(sampleQuery.text, ...sampleQuery.params) : [];
      if (matches > 0 || !hasIndustryScope(rules)) return { count: matches, sample };
      const fallback = compileCountQuery(rules, { asOf, mode: "industry_fallback" });
      const [{ count: fallbackCount }] = await tx.$queryRawUnsafe<[{ count: number }]>(fallback.text, ...fallback.params);
      return { count: 0, sample, fallbackCount };
    },
    { timeout: 60_000 },
  );
}
